using System;

namespace AwsVault.Storage.Jwe
{
    /// <summary>base64url (RFC 4648 §5) as JOSE uses it: written without padding; read with or without.</summary>
    internal static class Base64Url
    {
        public static string Encode(byte[] data) =>
            Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static bool TryDecode(string text, out byte[] data)
        {
            data = null;
            if (text == null) return false;
            int length = text.Length;
            // jose2go accepts padded parts, so a hand-made or foreign token with '=' is still read.
            int padding = 0;
            while (length > 0 && text[length - 1] == '=' && padding < 2)
            {
                length--;
                padding++;
            }
            if (padding > 0 && text.Length % 4 != 0) return false;
            var chars = new char[length + (4 - length % 4) % 4];
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) chars[i] = c;
                else if (c == '-') chars[i] = '+';
                else if (c == '_') chars[i] = '/';
                else return false;
            }
            if (length % 4 == 1) return false;
            for (int i = length; i < chars.Length; i++) chars[i] = '=';
            try
            {
                data = Convert.FromBase64CharArray(chars, 0, chars.Length);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
