using System;
using System.Globalization;
using System.Text;
#if !NETFRAMEWORK
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
#endif

namespace AwsVault.Internal
{
    /// <summary>
    /// Writes one JSON object with members in the order they are added, escaping strings the way Go's
    /// encoding/json does (including &lt;, &gt;, &amp;, U+2028 and U+2029) so that files this module writes
    /// are what aws-vault would write for the same values. The net8.0 build writes with System.Text.Json's
    /// Utf8JsonWriter and <see cref="GoJsonEncoder"/>; the net472 build with <see cref="JsonStringEscaper"/>.
    /// </summary>
    internal sealed class JsonObjectWriter
    {
#if NETFRAMEWORK
        internal static Type Implementation => typeof(JsonStringEscaper);

        private readonly StringBuilder _sb = new StringBuilder(128);
        private bool _first = true;
#else
        internal static Type Implementation => typeof(Utf8JsonWriter);

        private static readonly JsonWriterOptions s_options = new JsonWriterOptions { Encoder = GoJsonEncoder.Instance, Indented = false };
        private readonly ArrayBufferWriter<byte> _buffer = new ArrayBufferWriter<byte>(128);
        private readonly Utf8JsonWriter _writer;
        private string _result;
#endif
        private bool _closed;

        public JsonObjectWriter()
        {
#if NETFRAMEWORK
            _sb.Append('{');
#else
            _writer = new Utf8JsonWriter(_buffer, s_options);
            _writer.WriteStartObject();
#endif
        }

        public JsonObjectWriter String(string name, string value)
        {
            Name(name);
#if NETFRAMEWORK
            if (value == null) _sb.Append("null");
            else JsonStringEscaper.WriteString(_sb, value);
#else
            if (value == null) _writer.WriteNullValue();
            else _writer.WriteStringValue(value);
#endif
            return this;
        }

        public JsonObjectWriter Bool(string name, bool value)
        {
            Name(name);
#if NETFRAMEWORK
            _sb.Append(value ? "true" : "false");
#else
            _writer.WriteBooleanValue(value);
#endif
            return this;
        }

        public JsonObjectWriter Number(string name, long value)
        {
            Name(name);
#if NETFRAMEWORK
            _sb.Append(value.ToString(CultureInfo.InvariantCulture));
#else
            _writer.WriteNumberValue(value);
#endif
            return this;
        }

        /// <summary>Appends already-serialised JSON as the member's value; the caller vouches for it.</summary>
        public JsonObjectWriter Raw(string name, string json)
        {
            if (string.IsNullOrEmpty(json)) throw new ArgumentException("Raw JSON must not be empty.", nameof(json));
            Name(name);
#if NETFRAMEWORK
            _sb.Append(json);
#else
            _writer.WriteRawValue(json, skipInputValidation: true);
#endif
            return this;
        }

        public override string ToString()
        {
#if NETFRAMEWORK
            if (!_closed)
            {
                _sb.Append('}');
                _closed = true;
            }
            return _sb.ToString();
#else
            if (!_closed)
            {
                _writer.WriteEndObject();
                _writer.Flush();
                _writer.Dispose();
                _result = Encoding.UTF8.GetString(_buffer.WrittenSpan);
                _closed = true;
            }
            return _result;
#endif
        }

        /// <summary>A JSON string literal of the value, escaped as the members are.</summary>
        public static string Quote(string value)
        {
#if NETFRAMEWORK
            var sb = new StringBuilder(value.Length + 2);
            JsonStringEscaper.WriteString(sb, value);
            return sb.ToString();
#else
            var buffer = new ArrayBufferWriter<byte>(value.Length + 2);
            using (var writer = new Utf8JsonWriter(buffer, s_options))
            {
                writer.WriteStringValue(value);
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
#endif
        }

        private void Name(string name)
        {
            if (_closed) throw new InvalidOperationException("The object is already complete.");
            if (name == null) throw new ArgumentNullException(nameof(name));
#if NETFRAMEWORK
            if (!_first) _sb.Append(',');
            _first = false;
            JsonStringEscaper.WriteString(_sb, name);
            _sb.Append(':');
#else
            _writer.WritePropertyName(name);
#endif
        }
    }

#if !NETFRAMEWORK
    /// <summary>
    /// The escaping of Go's encoding/json for System.Text.Json: ", \ and \n \r \t by name, other control
    /// characters, &lt; &gt; &amp; U+2028 U+2029 as \u00xx with lower-case hex, everything else (non-ASCII
    /// included) as is. An unpaired surrogate, which UTF-8 cannot hold, becomes \ufffd as in Go (and so does
    /// U+FFFD itself, which reads back the same).
    /// </summary>
    internal sealed class GoJsonEncoder : JavaScriptEncoder
    {
        public static readonly GoJsonEncoder Instance = new GoJsonEncoder();

        private const string Hex = "0123456789abcdef";

        public override int MaxOutputCharactersPerInputCharacter => 6;

        public override bool WillEncode(int unicodeScalar) =>
            unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || unicodeScalar == '<' || unicodeScalar == '>' ||
            unicodeScalar == '&' || unicodeScalar == 0x2028 || unicodeScalar == 0x2029 || unicodeScalar == 0xFFFD ||
            (unicodeScalar >= 0xD800 && unicodeScalar <= 0xDFFF);

        public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
        {
            for (int i = 0; i < textLength; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }
                if (WillEncode(c)) return i;
            }
            return -1;
        }

        public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
        {
            string escaped;
            switch (unicodeScalar)
            {
                case '"': escaped = "\\\""; break;
                case '\\': escaped = "\\\\"; break;
                case '\n': escaped = "\\n"; break;
                case '\r': escaped = "\\r"; break;
                case '\t': escaped = "\\t"; break;
                default:
                    if (!WillEncode(unicodeScalar))
                    {
                        string literal = char.ConvertFromUtf32(unicodeScalar);
                        return Copy(literal, buffer, bufferLength, out numberOfCharactersWritten);
                    }
                    int c = unicodeScalar >= 0xD800 && unicodeScalar <= 0xDFFF ? 0xFFFD : unicodeScalar;
                    escaped = new string(new[] { '\\', 'u', Hex[(c >> 12) & 0xF], Hex[(c >> 8) & 0xF], Hex[(c >> 4) & 0xF], Hex[c & 0xF] });
                    break;
            }
            return Copy(escaped, buffer, bufferLength, out numberOfCharactersWritten);
        }

        private static unsafe bool Copy(string s, char* buffer, int bufferLength, out int written)
        {
            if (s.Length > bufferLength)
            {
                written = 0;
                return false;
            }
            for (int i = 0; i < s.Length; i++) buffer[i] = s[i];
            written = s.Length;
            return true;
        }
    }
#endif
}
