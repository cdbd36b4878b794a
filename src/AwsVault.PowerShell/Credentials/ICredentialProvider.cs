namespace AwsVault.Credentials
{
    /// <summary>One hop of a credential chain, after aws-vault's providers: each asks the one below it.</summary>
    internal interface ICredentialProvider
    {
        string ProfileName { get; }

        /// <summary>A few words for the chain summary, e.g. "GetSessionToken(dev, MFA)".</summary>
        string Description { get; }

        /// <summary>True when the result is a role session: an AssumeRole on top of it is role chaining (1 h cap).</summary>
        bool IssuesRoleSession { get; }

        /// <summary>The provider whose credentials this one uses, or null for a root (a stored key, a process, a token).</summary>
        ICredentialProvider Source { get; }

        /// <summary>The MFA device this hop sends a code for, or null.</summary>
        string MfaSerial { get; }

        AwsCredentials Retrieve(ChainContext context);
    }
}
