using System;
using System.Security;
using AwsVault.Credentials;
using AwsVault.Internal;

namespace AwsVault.Output
{
    /// <summary>
    /// Credentials issued for a profile. The secret and the token are SecureStrings, so neither the default
    /// view, nor a log of the object, nor ToString shows them; Invoke-AwsVault and the exports read them
    /// from the object itself.
    /// </summary>
    public sealed class AwsVaultSession
    {
        private SecureString _secretAccessKey;
        private SecureString _sessionToken;

        internal AwsVaultSession(string profileName, AwsCredentials credentials, string region, string chain)
        {
            ProfileName = profileName;
            Credentials = credentials;
            AccessKeyId = credentials.AccessKeyId;
            Expiration = credentials.Expiration?.UtcDateTime;
            Region = region;
            Chain = chain;
        }

        public string ProfileName { get; }
        public string AccessKeyId { get; }

        // Built when first read: Invoke-AwsVault never reads them (it applies Credentials directly), and building
        // them on every call was a quarter of a cached Invoke-AwsVault's cost. The plaintext is held either way,
        // in Credentials, as long as this object lives.
        public SecureString SecretAccessKey => _secretAccessKey ?? (_secretAccessKey = SecureStrings.ReadOnlyCopy(Credentials.SecretAccessKey));

        public SecureString SessionToken =>
            Credentials.SessionToken == null ? null : _sessionToken ?? (_sessionToken = SecureStrings.ReadOnlyCopy(Credentials.SessionToken));

        /// <summary>UTC; null for long-lived keys (-NoSession on a profile without a role).</summary>
        public DateTime? Expiration { get; }

        public string Region { get; }

        /// <summary>How the credentials were made, e.g. "stored key(dev) -> GetSessionToken(dev, MFA) -> AssumeRole(admin)".</summary>
        public string Chain { get; }

        internal AwsCredentials Credentials { get; }

        public override string ToString() =>
            ProfileName + " " + AccessKeyId + (Expiration.HasValue ? " until " + Expiration.Value.ToString("u") : " (long-lived)");
    }
}
