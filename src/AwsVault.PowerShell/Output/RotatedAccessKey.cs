namespace AwsVault.Output
{
    /// <summary>What Update-AwsVaultAccessKey did: which profile's key was replaced, by which, where. Key ids
    /// only; the new secret is only in the vault.</summary>
    public sealed class RotatedAccessKey
    {
        internal RotatedAccessKey(string profileName, string userName, string oldAccessKeyId, string newAccessKeyId, string backend, string vault, int sessionsRemoved)
        {
            ProfileName = profileName;
            UserName = userName;
            OldAccessKeyId = oldAccessKeyId;
            NewAccessKeyId = newAccessKeyId;
            Backend = backend;
            Vault = vault;
            SessionsRemoved = sessionsRemoved;
        }

        /// <summary>The profile whose stored key was replaced (the source profile when a role profile was named).</summary>
        public string ProfileName { get; }

        /// <summary>The IAM user the key belongs to; empty for an account's root user.</summary>
        public string UserName { get; }

        /// <summary>The key that was deleted in IAM.</summary>
        public string OldAccessKeyId { get; }

        /// <summary>The key the vault holds now.</summary>
        public string NewAccessKeyId { get; }

        public string Backend { get; }
        public string Vault { get; }

        /// <summary>Cached sessions made with the old key that were removed.</summary>
        public int SessionsRemoved { get; }

        public override string ToString() => ProfileName + ": " + OldAccessKeyId + " -> " + NewAccessKeyId;
    }
}
