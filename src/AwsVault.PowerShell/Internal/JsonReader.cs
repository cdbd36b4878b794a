using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AwsVault.Internal
{
    /// <summary>The net472 build's JSON reader (Windows PowerShell has no System.Text.Json, and the module may not
    /// ship one that could clash with another module's). The net8.0 build reads with System.Text.Json.</summary>
    internal static class JsonReader
    {
        public static object Parse(string text)
        {
            var reader = new Reader(text);
            reader.SkipWhitespace();
            object value = reader.ReadValue(0);
            reader.SkipWhitespace();
            if (!reader.AtEnd) throw reader.Error("unexpected data after the value");
            return value;
        }

        private const int MaxDepth = Json.MaxDepth;

        internal sealed class Reader
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
}
