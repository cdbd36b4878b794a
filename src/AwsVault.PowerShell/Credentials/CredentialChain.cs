using System.Collections.Generic;

namespace AwsVault.Credentials
{
    /// <summary>A built chain: the top provider, and what a user needs to know about it.</summary>
    internal sealed class CredentialChain
    {
        public CredentialChain(ICredentialProvider top, string profileName, string region, IReadOnlyList<string> hops)
        {
            Top = top;
            ProfileName = profileName;
            Region = region;
            Hops = hops;
        }

        public ICredentialProvider Top { get; }
        public string ProfileName { get; }
        public string Region { get; }

        /// <summary>The hops from the stored key up, e.g. "stored key(dev)", "GetSessionToken(dev, MFA)", "AssumeRole(admin)".</summary>
        public IReadOnlyList<string> Hops { get; }

        public string Summary => string.Join(" -> ", Hops);
    }
}
