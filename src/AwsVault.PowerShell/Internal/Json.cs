using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AwsVault.Internal
{
    /// <summary>
    /// A small strict JSON reader. The module may not depend on System.Text.Json or Newtonsoft (it must
    /// load next to any other module in Windows PowerShell 5.1 and PowerShell 7), and the documents it
    /// reads (JWE headers, vault items, STS credentials) are small.
    /// Values come back as Dictionary&lt;string,object&gt; (ordinal), List&lt;object&gt;, string, long,
    /// double, bool or null. Errors give a position and a reason but never the text: it may hold secrets.
    /// </summary>
    internal static class Json
    {
        public const int MaxDepth = 64;

        public static object Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var reader = new Reader(text);
            reader.SkipWhitespace();
            object value = reader.ReadValue(0);
            reader.SkipWhitespace();
            if (!reader.AtEnd) throw reader.Error("unexpected data after the value");
            return value;
        }

        /// <summary>Parses UTF-8 bytes; invalid UTF-8 is a FormatException like any other bad input.</summary>
        public static object Parse(byte[] utf8)
        {
            if (utf8 == null) throw new ArgumentNullException(nameof(utf8));
            string text;
            try
            {
                text = StrictUtf8.GetString(utf8);
            }
            catch (DecoderFallbackException)
            {
                throw new FormatException("Invalid JSON: the bytes are not valid UTF-8.");
            }
            return Parse(text);
        }

        /// <summary>Parses text that must be a JSON object.</summary>
        public static Dictionary<string, object> ParseObject(string text)
        {
            return Parse(text) as Dictionary<string, object> ?? throw new FormatException("Invalid JSON: expected an object at position 0.");
        }

        public static Dictionary<string, object> ParseObject(byte[] utf8)
        {
            return Parse(utf8) as Dictionary<string, object> ?? throw new FormatException("Invalid JSON: expected an object at position 0.");
        }

        /// <summary>
        /// Looks a member up the way Go's encoding/json matches struct fields: an exact match first, else
        /// a case-insensitive one. aws-vault's items are read by Go, so files edited by hand or written by
        /// other tools with "accessKeyId" must read the same here.
        /// </summary>
        public static bool TryGetMember(Dictionary<string, object> obj, string name, out object value)
        {
            if (obj.TryGetValue(name, out value)) return true;
            foreach (var pair in obj)
            {
                if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = pair.Value;
                    return true;
                }
            }
            value = null;
            return false;
        }

        internal static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        private sealed class Reader
        {
            private readonly string _s;
            private int _pos;

            public Reader(string s)
            {
                _s = s;
            }

            public bool AtEnd => _pos >= _s.Length;

            public FormatException Error(string reason) =>
                new FormatException("Invalid JSON at position " + _pos.ToString(CultureInfo.InvariantCulture) + ": " + reason + ".");

            public void SkipWhitespace()
            {
                while (_pos < _s.Length)
                {
                    char c = _s[_pos];
                    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') _pos++;
                    else break;
                }
            }

            public object ReadValue(int depth)
            {
                if (AtEnd) throw Error("unexpected end of input");
                char c = _s[_pos];
                switch (c)
                {
                    case '{': return ReadObject(depth + 1);
                    case '[': return ReadArray(depth + 1);
                    case '"': return ReadString();
                    case 't': ExpectLiteral("true"); return true;
                    case 'f': ExpectLiteral("false"); return false;
                    case 'n': ExpectLiteral("null"); return null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber();
                        throw Error("unexpected character");
                }
            }

            private void ExpectLiteral(string literal)
            {
                if (string.CompareOrdinal(_s, _pos, literal, 0, literal.Length) != 0) throw Error("invalid literal");
                _pos += literal.Length;
            }

            private Dictionary<string, object> ReadObject(int depth)
            {
                if (depth > MaxDepth) throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture));
                _pos++;
                var result = new Dictionary<string, object>(StringComparer.Ordinal);
                SkipWhitespace();
                if (!AtEnd && _s[_pos] == '}')
                {
                    _pos++;
                    return result;
                }
                while (true)
                {
                    SkipWhitespace();
                    if (AtEnd || _s[_pos] != '"') throw Error("expected a member name");
                    string name = ReadString();
                    SkipWhitespace();
                    if (AtEnd || _s[_pos] != ':') throw Error("expected ':'");
                    _pos++;
                    SkipWhitespace();
                    // A repeated name keeps the last value, as Go's decoder does.
                    result[name] = ReadValue(depth);
                    SkipWhitespace();
                    if (AtEnd) throw Error("unexpected end of input in an object");
                    char c = _s[_pos++];
                    if (c == '}') return result;
                    if (c != ',') { _pos--; throw Error("expected ',' or '}'"); }
                }
            }

            private List<object> ReadArray(int depth)
            {
                if (depth > MaxDepth) throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture));
                _pos++;
                var result = new List<object>();
                SkipWhitespace();
                if (!AtEnd && _s[_pos] == ']')
                {
                    _pos++;
                    return result;
                }
                while (true)
                {
                    SkipWhitespace();
                    result.Add(ReadValue(depth));
                    SkipWhitespace();
                    if (AtEnd) throw Error("unexpected end of input in an array");
                    char c = _s[_pos++];
                    if (c == ']') return result;
                    if (c != ',') { _pos--; throw Error("expected ',' or ']'"); }
                }
            }

            private string ReadString()
            {
                _pos++; // opening quote
                int start = _pos;
                // Fast path: no escapes.
                while (_pos < _s.Length)
                {
                    char c = _s[_pos];
                    if (c == '"')
                    {
                        string plain = _s.Substring(start, _pos - start);
                        _pos++;
                        return plain;
                    }
                    if (c == '\\') break;
                    if (c < 0x20) throw Error("control character in a string");
                    _pos++;
                }
                var sb = new StringBuilder(_s, start, _pos - start, Math.Max(16, (_pos - start) * 2));
                while (true)
                {
                    if (AtEnd) throw Error("unterminated string");
                    char c = _s[_pos];
                    if (c == '"')
                    {
                        _pos++;
                        return sb.ToString();
                    }
                    if (c < 0x20) throw Error("control character in a string");
                    if (c != '\\')
                    {
                        sb.Append(c);
                        _pos++;
                        continue;
                    }
                    _pos++;
                    if (AtEnd) throw Error("unterminated escape");
                    char e = _s[_pos++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            {
                                char u = ReadHex4();
                                if (char.IsHighSurrogate(u))
                                {
                                    // A pair must be two consecutive escapes; anything else is an unpaired
                                    // surrogate, which Go decodes as U+FFFD rather than failing.
                                    if (_pos + 6 <= _s.Length && _s[_pos] == '\\' && _s[_pos + 1] == 'u')
                                    {
                                        int save = _pos;
                                        _pos += 2;
                                        char low = ReadHex4();
                                        if (char.IsLowSurrogate(low))
                                        {
                                            sb.Append(u).Append(low);
                                        }
                                        else
                                        {
                                            sb.Append('\uFFFD');
                                            _pos = save;
                                        }
                                    }
                                    else
                                    {
                                        sb.Append('\uFFFD');
                                    }
                                }
                                else if (char.IsLowSurrogate(u))
                                {
                                    sb.Append('\uFFFD');
                                }
                                else
                                {
                                    sb.Append(u);
                                }
                                break;
                            }
                        default:
                            _pos--;
                            throw Error("invalid escape");
                    }
                }
            }

            private char ReadHex4()
            {
                if (_pos + 4 > _s.Length) throw Error("truncated \\u escape");
                int v = 0;
                for (int i = 0; i < 4; i++)
                {
                    char h = _s[_pos];
                    int d;
                    if (h >= '0' && h <= '9') d = h - '0';
                    else if (h >= 'a' && h <= 'f') d = h - 'a' + 10;
                    else if (h >= 'A' && h <= 'F') d = h - 'A' + 10;
                    else throw Error("invalid hex digit in \\u escape");
                    v = (v << 4) | d;
                    _pos++;
                }
                return (char)v;
            }

            private object ReadNumber()
            {
                int start = _pos;
                bool isInteger = true;
                if (_s[_pos] == '-') _pos++;
                if (AtEnd) throw Error("truncated number");
                if (_s[_pos] == '0')
                {
                    _pos++;
                }
                else if (_s[_pos] >= '1' && _s[_pos] <= '9')
                {
                    while (!AtEnd && IsDigit(_s[_pos])) _pos++;
                }
                else
                {
                    throw Error("invalid number");
                }
                if (!AtEnd && _s[_pos] == '.')
                {
                    isInteger = false;
                    _pos++;
                    if (AtEnd || !IsDigit(_s[_pos])) throw Error("invalid number fraction");
                    while (!AtEnd && IsDigit(_s[_pos])) _pos++;
                }
                if (!AtEnd && (_s[_pos] == 'e' || _s[_pos] == 'E'))
                {
                    isInteger = false;
                    _pos++;
                    if (!AtEnd && (_s[_pos] == '+' || _s[_pos] == '-')) _pos++;
                    if (AtEnd || !IsDigit(_s[_pos])) throw Error("invalid number exponent");
                    while (!AtEnd && IsDigit(_s[_pos])) _pos++;
                }
                string text = _s.Substring(start, _pos - start);
                if (isInteger && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
                {
                    return l;
                }
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && !double.IsInfinity(d))
                {
                    return d;
                }
                _pos = start;
                throw Error("number out of range");
            }

            private static bool IsDigit(char c) => c >= '0' && c <= '9';
        }
    }

    /// <summary>
    /// Writes one JSON object with members in the order they are added, escaping strings the way Go's
    /// encoding/json does (including &lt;, &gt;, &amp;, U+2028 and U+2029) so that files this module writes
    /// are byte-for-byte what aws-vault would write for the same values.
    /// </summary>
    internal sealed class JsonObjectWriter
    {
        private readonly StringBuilder _sb = new StringBuilder(128);
        private bool _first = true;
        private bool _closed;

        public JsonObjectWriter()
        {
            _sb.Append('{');
        }

        public JsonObjectWriter String(string name, string value)
        {
            Name(name);
            if (value == null) _sb.Append("null");
            else WriteString(_sb, value);
            return this;
        }

        public JsonObjectWriter Bool(string name, bool value)
        {
            Name(name);
            _sb.Append(value ? "true" : "false");
            return this;
        }

        public JsonObjectWriter Number(string name, long value)
        {
            Name(name);
            _sb.Append(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        /// <summary>Appends already-serialised JSON as the member's value; the caller vouches for it.</summary>
        public JsonObjectWriter Raw(string name, string json)
        {
            if (string.IsNullOrEmpty(json)) throw new ArgumentException("Raw JSON must not be empty.", nameof(json));
            Name(name);
            _sb.Append(json);
            return this;
        }

        public override string ToString()
        {
            if (!_closed)
            {
                _sb.Append('}');
                _closed = true;
            }
            return _sb.ToString();
        }

        private void Name(string name)
        {
            if (_closed) throw new InvalidOperationException("The object is already complete.");
            if (name == null) throw new ArgumentNullException(nameof(name));
            if (!_first) _sb.Append(',');
            _first = false;
            WriteString(_sb, name);
            _sb.Append(':');
        }

        private const string Hex = "0123456789abcdef";

        public static string Quote(string value)
        {
            var sb = new StringBuilder(value.Length + 2);
            WriteString(sb, value);
            return sb.ToString();
        }

        internal static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                switch (c)
                {
                    case '"': sb.Append("\\\""); continue;
                    case '\\': sb.Append("\\\\"); continue;
                    case '\n': sb.Append("\\n"); continue;
                    case '\r': sb.Append("\\r"); continue;
                    case '\t': sb.Append("\\t"); continue;
                }
                if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029')
                {
                    AppendUnicodeEscape(sb, c);
                }
                else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    sb.Append(c).Append(s[i + 1]);
                    i++;
                }
                else if (char.IsSurrogate(c))
                {
                    // Go strings are UTF-8, where a lone surrogate cannot exist; its encoder writes U+FFFD.
                    AppendUnicodeEscape(sb, '\uFFFD');
                }
                else
                {
                    sb.Append(c);
                }
            }
            sb.Append('"');
        }

        private static void AppendUnicodeEscape(StringBuilder sb, char c)
        {
            sb.Append("\\u")
              .Append(Hex[(c >> 12) & 0xF])
              .Append(Hex[(c >> 8) & 0xF])
              .Append(Hex[(c >> 4) & 0xF])
              .Append(Hex[c & 0xF]);
        }
    }
}
