using System;

namespace AwsVault.Credentials
{
    /// <summary>An immutable set of AWS credentials: long-term (no token, no expiry) or temporary.</summary>
    internal sealed class AwsCredentials
    {
        public AwsCredentials(string accessKeyId, string secretAccessKey, string sessionToken = null, DateTimeOffset? expiration = null)
        {
            AccessKeyId = accessKeyId ?? throw new ArgumentNullException(nameof(accessKeyId));
            SecretAccessKey = secretAccessKey ?? throw new ArgumentNullException(nameof(secretAccessKey));
            SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
            Expiration = expiration?.ToUniversalTime();
        }

        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        public string SessionToken { get; }
        public DateTimeOffset? Expiration { get; }

        public bool IsTemporary => SessionToken != null;

        // Formatting must never reveal the secret or the token.
        public override string ToString() => AccessKeyId + (IsTemporary ? " (temporary)" : " (long-term)");
    }
}
