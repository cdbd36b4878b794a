using System;

namespace AwsVault.Output
{
    /// <summary>One profile as <c>Get-AwsVaultProfile</c> lists it: what the config says and what the store
    /// holds. It carries no secret and is built without the vault passphrase.</summary>
    public sealed class ProfileInfo
    {
        public string ProfileName { get; internal set; }
        public bool HasStoredKey { get; internal set; }
        public bool InConfig { get; internal set; }
        public string SourceProfile { get; internal set; }
        public string RoleArn { get; internal set; }
        public string MfaSerial { get; internal set; }
        public string Region { get; internal set; }

        /// <summary>For a profile served by IAM Identity Center: its sso-session, or the start URL of the legacy form.</summary>
        public string SsoSession { get; internal set; }
        public CachedSessionInfo[] Sessions { get; internal set; } = Array.Empty<CachedSessionInfo>();
        public string Backend { get; internal set; }
        public string Vault { get; internal set; }

        public override string ToString() => ProfileName;
    }
}
