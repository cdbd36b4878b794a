using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
#if !NETFRAMEWORK
using System.Text.Json;
#endif

namespace AwsVault.Internal
{
    /// <summary>
    /// Strict JSON reading for the documents the module reads (JWE headers, vault items, STS credentials,
    /// credential_process output). The net8.0 build reads with System.Text.Json's Utf8JsonReader; the net472
    /// build, where the module may not bring a System.Text.Json of its own (it would clash with another
    /// module's in Windows PowerShell), uses <see cref="JsonReader"/>.
    /// Values come back as Dictionary&lt;string,object&gt; (ordinal), List&lt;object&gt;, string, long,
    /// double, bool or null. Errors give a position and a reason but never the text: it may hold secrets.
    /// </summary>
    internal static class Json
    {
        public const int MaxDepth = 64;

        /// <summary>The type that does the parsing in this build, for tests and diagnostics.</summary>
#if NETFRAMEWORK
        internal static Type Implementation => typeof(JsonReader);
#else
        internal static Type Implementation => typeof(Utf8JsonReader);
#endif

        public static object Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
#if NETFRAMEWORK
            return JsonReader.Parse(text);
#else
            return ParseUtf8(Encoding.UTF8.GetBytes(text));
#endif
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
#if NETFRAMEWORK
            return JsonReader.Parse(text);
#else
            return ParseUtf8(utf8);
#endif
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

#if !NETFRAMEWORK
        private static readonly JsonReaderOptions s_options = new JsonReaderOptions
        {
            MaxDepth = MaxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        };

        private static object ParseUtf8(byte[] utf8)
        {
            var reader = new Utf8JsonReader(utf8, s_options);
            try
            {
                if (!reader.Read()) throw Error(reader, "unexpected end of input");
                object value = ReadValue(ref reader);
                if (reader.Read()) throw Error(reader, "unexpected data after the value");
                return value;
            }
            catch (JsonException)
            {
                // Its message quotes the offending character; ours gives only the position.
                throw Error(reader, "not valid JSON");
            }
            catch (InvalidOperationException)
            {
                throw Error(reader, "a string is not valid UTF-8 or UTF-16");
            }
        }

        private static FormatException Error(Utf8JsonReader reader, string reason) =>
            new FormatException("Invalid JSON at position " + reader.BytesConsumed.ToString(CultureInfo.InvariantCulture) + ": " + reason + ".");

        private static object ReadValue(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    var obj = new Dictionary<string, object>(StringComparer.Ordinal);
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string name = ReadString(ref reader);
                        reader.Read();
                        // A repeated name keeps the last value, as Go's decoder does.
                        obj[name] = ReadValue(ref reader);
                    }
                    return obj;
                case JsonTokenType.StartArray:
                    var list = new List<object>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(ReadValue(ref reader));
                    return list;
                case JsonTokenType.String: return ReadString(ref reader);
                case JsonTokenType.True: return true;
                case JsonTokenType.False: return false;
                case JsonTokenType.Null: return null;
                case JsonTokenType.Number:
                    ReadOnlySpan<byte> raw = reader.ValueSpan;
                    if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && reader.TryGetInt64(out long l)) return l;
                    if (reader.TryGetDouble(out double d) && !double.IsInfinity(d)) return d;
                    throw Error(reader, "number out of range");
                default:
                    throw Error(reader, "unexpected token");
            }
        }

        private static string ReadString(ref Utf8JsonReader reader)
        {
            try
            {
                return reader.GetString();
            }
            catch (InvalidOperationException) when (reader.ValueIsEscaped)
            {
                // System.Text.Json refuses an escaped lone surrogate; Go's decoder reads it as U+FFFD, and a
                // file both tools read must give both the same string.
                byte[] repaired = ReplaceLoneSurrogateEscapes(reader.ValueSpan);
                var inner = new Utf8JsonReader(repaired);
                inner.Read();
                return inner.GetString();
            }
        }

        /// <summary>The escaped string token, quoted again, with each \u escape of an unpaired surrogate
        /// replaced by \ufffd. Everything else is left for Utf8JsonReader to unescape.</summary>
        private static byte[] ReplaceLoneSurrogateEscapes(ReadOnlySpan<byte> escaped)
        {
            var output = new List<byte>(escaped.Length + 2) { (byte)'"' };
            int i = 0;
            while (i < escaped.Length)
            {
                if (escaped[i] == '\\' && i + 5 < escaped.Length && escaped[i + 1] == 'u' && TryHex(escaped.Slice(i + 2, 4), out int unit) && unit >= 0xD800 && unit <= 0xDFFF)
                {
                    bool paired = unit <= 0xDBFF && i + 11 < escaped.Length && escaped[i + 6] == '\\' && escaped[i + 7] == 'u' &&
                                  TryHex(escaped.Slice(i + 8, 4), out int low) && low >= 0xDC00 && low <= 0xDFFF;
                    if (paired)
                    {
                        for (int k = 0; k < 12; k++) output.Add(escaped[i + k]);
                        i += 12;
                    }
                    else
                    {
                        foreach (char c in "\\ufffd") output.Add((byte)c);
                        i += 6;
                    }
                    continue;
                }
                if (escaped[i] == '\\' && i + 1 < escaped.Length)
                {
                    output.Add(escaped[i]);
                    output.Add(escaped[i + 1]);
                    i += 2;
                    continue;
                }
                output.Add(escaped[i++]);
            }
            output.Add((byte)'"');
            return output.ToArray();
        }

        private static bool TryHex(ReadOnlySpan<byte> hex, out int value) =>
            int.TryParse(Encoding.ASCII.GetString(hex), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
#endif
    }
}
