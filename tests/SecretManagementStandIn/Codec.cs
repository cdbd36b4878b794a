using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Turns the values the stand-in keeps (secrets, metadata, vault parameters) into one-line tokens and back,
    /// for the in-memory store, the per-secret files and the registry file alike. A token never holds a tab,
    /// a newline, ',' or '.', so records can be split on them. Decoding always builds new objects, so a caller
    /// that changes what it got back cannot change what is stored. Not a secure format: test data only.
    /// </summary>
    internal static class Codec
    {
        public static string Encode(object value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            switch (value)
            {
                case null: return "n";
                case string s: return "s:" + B64(s);
                case bool b: return b ? "t" : "f";
                case int i: return "i:" + i.ToString(CultureInfo.InvariantCulture);
                case long l: return "l:" + l.ToString(CultureInfo.InvariantCulture);
                case double d: return "d:" + d.ToString("R", CultureInfo.InvariantCulture);
                case DateTime dt: return "dt:" + dt.Ticks.ToString(CultureInfo.InvariantCulture) + ":" + ((int)dt.Kind).ToString(CultureInfo.InvariantCulture);
                case byte[] bytes: return "b:" + Convert.ToBase64String(bytes);
                case SecureString ss: return "ss:" + B64(Plain(ss));
                case PSCredential c: return "c:" + B64(c.UserName) + ":" + B64(Plain(c.Password));
                case IDictionary dict:
                    {
                        var parts = new List<string>();
                        foreach (DictionaryEntry e in dict) parts.Add(B64(Encode(e.Key)) + "." + B64(Encode(e.Value)));
                        return "h:" + string.Join(",", parts);
                    }
                case IEnumerable list:
                    {
                        var parts = new List<string>();
                        foreach (var item in list) parts.Add(B64(Encode(item)));
                        return "a:" + string.Join(",", parts);
                    }
                default:
                    return "s:" + B64(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        public static object Decode(string token)
        {
            if (token == "n") return null;
            if (token == "t") return true;
            if (token == "f") return false;
            int colon = token.IndexOf(':');
            if (colon < 0) throw new FormatException("Not a stand-in value token: " + token);
            string kind = token.Substring(0, colon);
            string body = token.Substring(colon + 1);
            switch (kind)
            {
                case "s": return Unb64(body);
                case "i": return int.Parse(body, CultureInfo.InvariantCulture);
                case "l": return long.Parse(body, CultureInfo.InvariantCulture);
                case "d": return double.Parse(body, CultureInfo.InvariantCulture);
                case "dt":
                    {
                        var p = body.Split(':');
                        return new DateTime(long.Parse(p[0], CultureInfo.InvariantCulture), (DateTimeKind)int.Parse(p[1], CultureInfo.InvariantCulture));
                    }
                case "b": return Convert.FromBase64String(body);
                case "ss": return Secure(Unb64(body));
                case "c":
                    {
                        var p = body.Split(':');
                        return new PSCredential(Unb64(p[0]), Secure(Unb64(p[1])));
                    }
                case "h":
                    {
                        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                        if (body.Length == 0) return table;
                        foreach (var part in body.Split(','))
                        {
                            var kv = part.Split('.');
                            table[Decode(Unb64(kv[0]))] = Decode(Unb64(kv[1]));
                        }
                        return table;
                    }
                case "a":
                    {
                        if (body.Length == 0) return new object[0];
                        var parts = body.Split(',');
                        var items = new object[parts.Length];
                        for (int i = 0; i < parts.Length; i++) items[i] = Decode(Unb64(parts[i]));
                        return items;
                    }
                default:
                    throw new FormatException("Not a stand-in value token: " + token);
            }
        }

        public static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s ?? string.Empty));

        public static string Unb64(string s) => Encoding.UTF8.GetString(Convert.FromBase64String(s));

        public static string Plain(SecureString secure)
        {
            if (secure == null) return null;
            IntPtr ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(ptr, secure.Length);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        public static SecureString Secure(string plain)
        {
            var secure = new SecureString();
            foreach (char c in plain ?? string.Empty) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Reads "key TAB token" lines into a dictionary of tokens.</summary>
        public static Dictionary<string, string> ReadRecord(string text)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                if (line.Length == 0 || line[0] == '#') continue;
                int tab = line.IndexOf('\t');
                if (tab < 0) throw new FormatException("Malformed stand-in record line: " + line);
                fields[line.Substring(0, tab)] = line.Substring(tab + 1);
            }
            return fields;
        }
    }
}
