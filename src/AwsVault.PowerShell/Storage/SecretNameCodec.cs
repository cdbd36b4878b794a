using System;
using System.Text;

namespace AwsVault.Storage
{
    /// <summary>
    /// Maps profile names and session keys to SecretManagement secret names within [A-Za-z0-9-], the one
    /// alphabet every well-known vault accepts (Az.KeyVault allows nothing else, and Get-Secret treats
    /// * ? [ ] as wildcards). Letters and digits stay as they are; every other UTF-8 byte, '-' included,
    /// becomes "-XX" in upper-case hex, so each '-' after the prefix starts an escape and decoding is exact.
    /// </summary>
    internal static class SecretNameCodec
    {
        public const string KeyPrefix = "AwsVault-Key-";
        public const string SessionPrefix = "AwsVault-Session-";

        /// <summary>SSO sign-ins (tokens and client registration): neither keys nor sessions, so neither listing
        /// (which asks for KeyPrefix* and SessionPrefix*) sees them.</summary>
        public const string SsoTokenPrefix = "AwsVault-SsoToken-";

        public static string SsoTokenName(string tokenKey) => SsoTokenPrefix + Encode(tokenKey);

        public static bool TryParseSsoTokenName(string secretName, out string tokenKey)
        {
            tokenKey = null;
            return secretName != null && secretName.StartsWith(SsoTokenPrefix, StringComparison.Ordinal) &&
                   TryDecode(secretName.Substring(SsoTokenPrefix.Length), out tokenKey) && tokenKey.Length > 0;
        }

        public static string KeyName(string profileName) => KeyPrefix + Encode(profileName);

        public static string SessionName(SessionKey key) => SessionPrefix + Encode(key.ToString());

        public static bool TryParseKeyName(string secretName, out string profileName)
        {
            profileName = null;
            return secretName != null && secretName.StartsWith(KeyPrefix, StringComparison.Ordinal) &&
                   TryDecode(secretName.Substring(KeyPrefix.Length), out profileName) && profileName.Length > 0;
        }

        public static bool TryParseSessionName(string secretName, out SessionKey key)
        {
            key = null;
            return secretName != null && secretName.StartsWith(SessionPrefix, StringComparison.Ordinal) &&
                   TryDecode(secretName.Substring(SessionPrefix.Length), out string text) && SessionKey.TryParse(text, out key);
        }

        public static string Encode(string text)
        {
            var sb = new StringBuilder(text.Length + 8);
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                char c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('-').Append(b.ToString("X2"));
                }
            }
            return sb.ToString();
        }

        public static bool TryDecode(string encoded, out string text)
        {
            text = null;
            var bytes = new byte[encoded.Length];
            int n = 0;
            for (int i = 0; i < encoded.Length; i++)
            {
                char c = encoded[i];
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                {
                    bytes[n++] = (byte)c;
                }
                else if (c == '-' && i + 2 < encoded.Length && IsUpperHex(encoded[i + 1]) && IsUpperHex(encoded[i + 2]))
                {
                    bytes[n++] = Convert.ToByte(encoded.Substring(i + 1, 2), 16);
                    i += 2;
                }
                else
                {
                    return false;
                }
            }
            try
            {
                text = new UTF8Encoding(false, true).GetString(bytes, 0, n);
            }
            catch (ArgumentException)
            {
                return false;
            }
            // Only the canonical spelling decodes, so two secret names can never map to one profile.
            return Encode(text) == encoded;
        }

        private static bool IsUpperHex(char c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
