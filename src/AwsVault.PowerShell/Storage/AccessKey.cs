using System;

namespace AwsVault.Storage
{
    /// <summary>A long-lived IAM access key pair as it is kept in a store.</summary>
    internal sealed class AccessKey
    {
        public AccessKey(string accessKeyId, string secretAccessKey)
        {
            AccessKeyId = accessKeyId ?? throw new ArgumentNullException(nameof(accessKeyId));
            SecretAccessKey = secretAccessKey ?? throw new ArgumentNullException(nameof(secretAccessKey));
        }

        public string AccessKeyId { get; }

        public string SecretAccessKey { get; }

        // Anything that formats this object (a debugger, a log line, an exception) must not show the secret.
        public override string ToString() => AccessKeyId + " (secret hidden)";
    }
}
