namespace AwsVault.Output
{
    /// <summary>What Clear-AwsVaultSession removed, as aws-vault clear reports it.</summary>
    public sealed class ClearedSessions
    {
        internal ClearedSessions(int count, string[] profiles, string vault)
        {
            Count = count;
            ProfileName = profiles;
            Vault = vault;
        }

        public int Count { get; }
        public string[] ProfileName { get; }
        public string Vault { get; }

        public override string ToString() => "Cleared " + Count + " session" + (Count == 1 ? string.Empty : "s") + ".";
    }
}
