using System;
using AwsVault.Prompts;
using AwsVault.Mfa;
using AwsVault.Sso;

namespace AwsVault.Credentials
{
    /// <summary>What the hops of one request share: the STS client, the MFA code source, the cache, the log, and for
    /// SSO hops the portal client and the sign-in.</summary>
    internal sealed class ChainContext
    {
        public ChainContext(IStsClient sts, MfaCodeSource mfa, SessionCache cache, Action<string> log, bool refresh, string configPath,
            Func<ISsoPortalClient> ssoPortal = null, SsoTokenSource ssoTokens = null)
        {
            _ssoPortal = ssoPortal;
            SsoTokens = ssoTokens;
            Sts = sts;
            Mfa = mfa;
            Cache = cache;
            Log = log ?? (_ => { });
            Refresh = refresh;
            ConfigPath = configPath;
        }

        public IStsClient Sts { get; }
        public MfaCodeSource Mfa { get; }
        public SessionCache Cache { get; }
        public Action<string> Log { get; }
        public bool Refresh { get; }
        public string ConfigPath { get; }

        private readonly Func<ISsoPortalClient> _ssoPortal;

        /// <summary>The IAM Identity Center portal client; asked for only by SSO hops, so others never load AWSSDK.SSO.</summary>
        public ISsoPortalClient SsoPortal => _ssoPortal?.Invoke() ?? throw new InvalidOperationException("This chain context has no SSO portal client.");

        /// <summary>Access tokens for SSO hops' sign-ins.</summary>
        public SsoTokenSource SsoTokens { get; }
    }
}
