namespace AwsVault.Config
{
    /// <summary>
    /// One pass over the text, no regular expressions: a config with thousands of profiles is read on
    /// every command. The dialect is botocore's as aws-vault users write it. Inline comments need
    /// whitespace before '#'/';' so URLs keep their fragments. A line continues the previous value only
    /// when indented deeper than that key's line (Python configparser's rule), so a section whose keys
    /// are all indented alike still reads as separate keys.
    /// </summary>
    internal sealed class ConfigParser
    {
        private readonly ConfigFile _file;
        private readonly string _text;
        private readonly string _path;

        private ConfigSection _section;
        private ConfigValue _lastKey;        // the key line that deeper-indented lines attach to
        private int _lastKeyIndent;
        private bool _nested;                // lines under _lastKey are parent.sub settings
        private bool _continued;             // lines under _lastKey extend its value

        public ConfigParser(ConfigFile file, string text, string path)
        {
            _file = file;
            _text = text;
            _path = path;
        }

        public void Run()
        {
            string text = _text;
            int pos = 0;
            if (text.Length > 0 && text[0] == '\uFEFF') pos = 1;
            int lineNumber = 0;

            while (pos < text.Length)
            {
                int end = pos;
                while (end < text.Length && text[end] != '\n' && text[end] != '\r') end++;
                lineNumber++;
                ParseLine(pos, end, lineNumber);

                if (end >= text.Length) break;
                pos = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
            }
        }

        private void ParseLine(int start, int end, int lineNumber)
        {
            string text = _text;
            int indent = start;
            while (indent < end && (text[indent] == ' ' || text[indent] == '\t')) indent++;
            if (indent == end) return; // blank: does not end a continuation block
            char first = text[indent];
            if (first == '#' || first == ';') return;

            // Strip an inline comment: '#' or ';' counts only after whitespace, so "https://x/#frag" and "a;b" stay.
            int contentEnd = end;
            for (int i = indent + 1; i < end; i++)
            {
                char c = text[i];
                if ((c == '#' || c == ';') && char.IsWhiteSpace(text[i - 1]))
                {
                    contentEnd = i;
                    break;
                }
            }
            while (contentEnd > indent && char.IsWhiteSpace(text[contentEnd - 1])) contentEnd--;
            int indentWidth = indent - start;

            if (_lastKey != null && indentWidth > _lastKeyIndent)
            {
                ParseIndented(text.Substring(indent, contentEnd - indent), lineNumber);
                return;
            }

            if (first == '[')
            {
                ParseHeader(text.Substring(indent, contentEnd - indent), lineNumber);
                return;
            }

            // Key lines are most of the file: cut key and value straight from the text, no line copy.
            int eq = text.IndexOf('=', indent, contentEnd - indent);
            if (eq < 0)
            {
                throw ConfigErrors.Syntax(_path, lineNumber,
                    "this line is not a comment, a [section] header or a 'name = value' setting. Add the missing '=', start the line with '#' to make it a comment, or remove it.");
            }
            int keyEnd = eq;
            while (keyEnd > indent && char.IsWhiteSpace(text[keyEnd - 1])) keyEnd--;
            if (keyEnd == indent)
            {
                throw ConfigErrors.Syntax(_path, lineNumber, "a setting has no name before '='. Write it as 'name = value'.");
            }
            string key = text.Substring(indent, keyEnd - indent);
            if (_section == null)
            {
                throw ConfigErrors.Syntax(_path, lineNumber,
                    "the setting '" + key + "' comes before any section header. Move it under [default] or a [profile NAME] section.");
            }
            int valueStart = eq + 1;
            while (valueStart < contentEnd && char.IsWhiteSpace(text[valueStart])) valueStart++;
            string value = valueStart == contentEnd ? string.Empty : text.Substring(valueStart, contentEnd - valueStart);

            var setting = new ConfigValue(key, value, lineNumber, _section);
            _section.Set(setting);
            _lastKey = setting;
            _lastKeyIndent = indentWidth;
            _nested = false;
            _continued = false;
        }

        // botocore reads "s3 =" followed by indented "name = value" lines as a nested block; any other
        // deeper-indented text extends the previous value. The first indented line decides which.
        private void ParseIndented(string content, int lineNumber)
        {
            if (!_nested && !_continued && _lastKey.Value.Length == 0 && content.IndexOf('=') >= 0)
            {
                _nested = true;
            }

            if (_nested)
            {
                int eq = content.IndexOf('=');
                if (eq < 0)
                {
                    throw ConfigErrors.Syntax(_path, lineNumber,
                        "the lines indented under '" + _lastKey.Key + "' must be 'name = value' settings. Add the missing '=', or indent the line no deeper than '" + _lastKey.Key + "'.");
                }
                string sub = content.Substring(0, eq).Trim();
                if (sub.Length == 0)
                {
                    throw ConfigErrors.Syntax(_path, lineNumber,
                        "a setting indented under '" + _lastKey.Key + "' has no name before '='. Write it as 'name = value'.");
                }
                _section.Set(new ConfigValue(_lastKey.Key + "." + sub, content.Substring(eq + 1).Trim(), lineNumber, _section));
                return;
            }

            _continued = true;
            _lastKey.Value = _lastKey.Value.Length == 0 ? content : _lastKey.Value + "\n" + content;
        }

        private void ParseHeader(string content, int lineNumber)
        {
            _lastKey = null;
            _nested = false;
            _continued = false;

            if (content.Length < 2 || content[content.Length - 1] != ']')
            {
                throw ConfigErrors.Syntax(_path, lineNumber,
                    "the section header is not closed. End it with ']'; a comment after it must start with a space and '#' or ';'.");
            }
            string inner = content.Substring(1, content.Length - 2).Trim();
            if (inner.IndexOf('[') >= 0 || inner.IndexOf(']') >= 0)
            {
                throw ConfigErrors.Syntax(_path, lineNumber, "the section name contains '[' or ']'. Remove them from the name.");
            }

            SectionKind kind;
            string name;
            if (TryStripPrefix(inner, "profile", out name))
            {
                // [profile default] and [default] land in the same section (see ConfigFile.GetOrAddSection):
                // both spellings mean the default profile, so one lookup finds either.
                kind = SectionKind.Profile;
            }
            else if (TryStripPrefix(inner, "sso-session", out name))
            {
                kind = SectionKind.SsoSession;
            }
            else if (inner == ConfigKeys.DefaultProfile)
            {
                kind = SectionKind.Default;
                name = inner;
            }
            else
            {
                kind = SectionKind.Other;
                name = inner;
            }

            if (name.Length == 0)
            {
                throw ConfigErrors.Syntax(_path, lineNumber,
                    "the section header has no name. Write [default], [profile NAME] or [sso-session NAME].");
            }
            _section = _file.GetOrAddSection(kind, name, lineNumber);
        }

        private static bool TryStripPrefix(string inner, string prefix, out string name)
        {
            if (inner.Length >= prefix.Length
                && string.CompareOrdinal(inner, 0, prefix, 0, prefix.Length) == 0
                && (inner.Length == prefix.Length || char.IsWhiteSpace(inner[prefix.Length])))
            {
                name = inner.Substring(prefix.Length).Trim();
                return true;
            }
            name = null;
            return false;
        }
    }
}
