using System.Text;

namespace AwsVault.Internal
{
    /// <summary>The net472 build's string escaping, the way Go's encoding/json escapes; the net8.0 build writes
    /// with System.Text.Json's Utf8JsonWriter and <see cref="GoJsonEncoder"/>.</summary>
    internal static class JsonStringEscaper
    {
        private const string Hex = "0123456789abcdef";

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
