using System;
using System.Globalization;
using System.Text;

namespace AwsVault.Storage
{
    /// <summary>
    /// The name of a cached session, in aws-vault's format so both tools can share one keyring:
    /// <c>&lt;type&gt;,&lt;base64url(profile)&gt;,&lt;base64url(mfa serial)&gt;,&lt;unix expiry&gt;</c>.
    /// Everything a listing shows is in the name, so listing never needs the passphrase.
    /// </summary>
    internal sealed class SessionKey : IEquatable<SessionKey>
    {
        public const string GetSessionTokenType = "sts.GetSessionToken";
        public const string AssumeRoleType = "sts.AssumeRole";
        public const string AssumeRoleWithWebIdentityType = "sts.AssumeRoleWithWebIdentity";
        public const string GetRoleCredentialsType = "sso.GetRoleCredentials";
        public const string CredentialProcessType = "credential_process";

        public SessionKey(string type, string profileName, string mfaSerial, DateTimeOffset expiration)
        {
            if (string.IsNullOrEmpty(type) || type.IndexOf(',') >= 0) throw new ArgumentException("A session type is a non-empty name without commas.", nameof(type));
            if (string.IsNullOrEmpty(profileName)) throw new ArgumentException("A session needs a profile name.", nameof(profileName));
            Type = type;
            ProfileName = profileName;
            MfaSerial = mfaSerial ?? string.Empty;
            Expiration = DateTimeOffset.FromUnixTimeSeconds(expiration.ToUnixTimeSeconds());
        }

        public string Type { get; }
        public string ProfileName { get; }
        public string MfaSerial { get; }
        public DateTimeOffset Expiration { get; }

        public override string ToString() =>
            Type + "," + Base64Url(ProfileName) + "," + Base64Url(MfaSerial) + "," +
            Expiration.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        public static bool TryParse(string name, out SessionKey key)
        {
            key = null;
            if (string.IsNullOrEmpty(name)) return false;
            string[] parts = name.Split(',');
            if (parts.Length != 4 || parts[0].Length == 0 || parts[1].Length == 0 || parts[3].Length == 0) return false;
            foreach (char c in parts[3])
            {
                if (c < '0' || c > '9') return false;
            }
            if (!long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out long unix)) return false;
            if (!TryFromBase64Url(parts[1], out string profile) || !TryFromBase64Url(parts[2], out string serial)) return false;
            if (unix > 253402300799L) return false;
            key = new SessionKey(parts[0], profile, serial, DateTimeOffset.FromUnixTimeSeconds(unix));
            return true;
        }

        public bool Equals(SessionKey other) => other != null && ToString() == other.ToString();
        public override bool Equals(object obj) => Equals(obj as SessionKey);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

        private static string Base64Url(string text) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private static bool TryFromBase64Url(string text, out string value)
        {
            value = null;
            foreach (char c in text)
            {
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) return false;
            }
            string b64 = text.Replace('-', '+').Replace('_', '/');
            switch (b64.Length % 4)
            {
                case 1: return false;
                case 2: b64 += "=="; break;
                case 3: b64 += "="; break;
            }
            try
            {
                value = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(b64));
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
