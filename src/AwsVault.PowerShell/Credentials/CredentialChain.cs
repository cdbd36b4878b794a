using System.Collections.Generic;

namespace AwsVault.Credentials
{
    /// <summary>A built chain: the top provider, and what a user needs to know about it.</summary>
    internal sealed class CredentialChain
    {
        public CredentialChain(ICredentialProvider top, string profileName, string region, IReadOnlyList<string> hops, bool usesMfa = false)
        {
            UsesMfa = usesMfa;
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

        /// <summary>Whether any hop sends an MFA code: an -MfaToken given for a chain that sends none is a mistake worth a warning.</summary>
        public bool UsesMfa { get; }

        public string Summary => string.Join(" -> ", Hops);
    }
}
