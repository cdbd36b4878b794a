using System;
using System.Collections.Generic;
using System.Text;

namespace AwsVault.Storage
{
    /// <summary>
    /// Item keys to file names and back, compatible with aws-vault's file backend, which percent-encodes
    /// '%' and '/' and percent-decodes whatever it lists. Decoding is generic, so any extra escaping
    /// done here still reads back to the same key in both tools.
    /// </summary>
    internal static class FileNameCodec
    {
        private static readonly HashSet<string> WindowsDeviceNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        };

        /// <summary>
        /// The file name for an item key. A leading '.' is escaped too, because names starting with '.'
        /// are this module's temp files (and things like .DS_Store) and are skipped when listing.
        /// On Windows, characters the file system rejects, trailing dots and spaces, and device names
        /// such as CON are escaped as well.
        /// </summary>
        public static string Encode(string key, bool forWindows)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            var sb = new StringBuilder(key.Length + 8);
            for (int i = 0; i < key.Length; i++)
            {
                char c = key[i];
                bool escape = c == '%' || c == '/' || (i == 0 && c == '.');
                if (!escape && forWindows)
                {
                    escape = c < 0x20 || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|' ||
                             (i == key.Length - 1 && (c == '.' || c == ' '));
                }
                if (escape) AppendEscaped(sb, c);
                else sb.Append(c);
            }
            if (forWindows && sb.Length > 0)
            {
                string text = sb.ToString();
                int dot = text.IndexOf('.');
                string stem = dot < 0 ? text : text.Substring(0, dot);
                if (WindowsDeviceNames.Contains(stem))
                {
                    // Escaping the first letter is enough to stop Windows treating the name as a device.
                    var escaped = new StringBuilder(text.Length + 2);
                    AppendEscaped(escaped, text[0]);
                    escaped.Append(text, 1, text.Length - 1);
                    return escaped.ToString();
                }
                return text;
            }
            return sb.ToString();
        }

        /// <summary>
        /// Percent-decodes a file name. A '%' that is not followed by two hex digits stays as it is, and a
        /// name whose escapes do not form valid UTF-8 is returned unchanged.
        /// </summary>
        public static string Decode(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            if (name.IndexOf('%') < 0) return name;
            var bytes = new List<byte>(name.Length);
            var one = new char[2];
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '%' && i + 2 < name.Length && IsHex(name[i + 1]) && IsHex(name[i + 2]))
                {
                    bytes.Add((byte)((HexValue(name[i + 1]) << 4) | HexValue(name[i + 2])));
                    i += 2;
                    continue;
                }
                int count = 1;
                one[0] = c;
                if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                {
                    one[1] = name[i + 1];
                    count = 2;
                    i++;
                }
                bytes.AddRange(Encoding.UTF8.GetBytes(one, 0, count));
            }
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes.ToArray());
            }
            catch (ArgumentException)
            {
                return name;
            }
        }

        /// <summary>Temp files and other dot files are never items.</summary>
        public static bool IsIgnored(string fileName) => fileName.Length == 0 || fileName[0] == '.';

        // Every character that is escaped is ASCII, so one byte each; upper-case hex like Go's encoder.
        private static void AppendEscaped(StringBuilder sb, char c)
        {
            const string hex = "0123456789ABCDEF";
            sb.Append('%').Append(hex[(c >> 4) & 0xF]).Append(hex[c & 0xF]);
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
