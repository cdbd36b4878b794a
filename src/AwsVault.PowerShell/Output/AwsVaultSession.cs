using System;
using System.Security;
using AwsVault.Credentials;

namespace AwsVault
{
    /// <summary>
    /// Credentials issued for a profile. The secret and the token are SecureStrings, so neither the default
    /// view, nor a log of the object, nor ToString shows them; Invoke-AwsVault and the exports read them
    /// from the object itself.
    /// </summary>
    public sealed class AwsVaultSession
    {
        internal AwsVaultSession(string profileName, AwsCredentials credentials, string region, string chain)
        {
            ProfileName = profileName;
            Credentials = credentials;
            AccessKeyId = credentials.AccessKeyId;
            SecretAccessKey = ToSecure(credentials.SecretAccessKey);
            SessionToken = credentials.SessionToken == null ? null : ToSecure(credentials.SessionToken);
            Expiration = credentials.Expiration?.UtcDateTime;
            Region = region;
            Chain = chain;
        }

        public string ProfileName { get; }
        public string AccessKeyId { get; }
        public SecureString SecretAccessKey { get; }
        public SecureString SessionToken { get; }

        /// <summary>UTC; null for long-lived keys (-NoSession on a profile without a role).</summary>
        public DateTime? Expiration { get; }

        public string Region { get; }

        /// <summary>How the credentials were made, e.g. "stored key(dev) -> GetSessionToken(dev, MFA) -> AssumeRole(admin)".</summary>
        public string Chain { get; }

        internal AwsCredentials Credentials { get; }

        public override string ToString() =>
            ProfileName + " " + AccessKeyId + (Expiration.HasValue ? " until " + Expiration.Value.ToString("u") : " (long-lived)");

        private static SecureString ToSecure(string value)
        {
            var s = new SecureString();
            foreach (char c in value) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }
    }
}
