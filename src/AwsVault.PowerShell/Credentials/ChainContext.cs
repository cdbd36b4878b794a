using System;
using AwsVault.Prompts;
using AwsVault.Mfa;

namespace AwsVault.Credentials
{
    /// <summary>What the hops of one request share: the STS client, the MFA code source, the cache, the log.</summary>
    internal sealed class ChainContext
    {
        public ChainContext(IStsClient sts, MfaCodeSource mfa, SessionCache cache, Action<string> log, bool refresh, string configPath)
        {
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
    }
}
