using System;
using AwsVault.Config;
using AwsVault.Engine;
using AwsVault.Prompts;
using AwsVault.Storage;

namespace AwsVault.Credentials
{
    /// <summary>One request, end to end: config, chain, providers, cache. Cmdlets call this and stay thin.</summary>
    internal sealed class SessionIssuer
    {
        private readonly EngineContext _engine;

        public SessionIssuer(EngineContext engine)
        {
            _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        }

        /// <summary>Decides the chain for the request's profile; makes no call and asks nothing.</summary>
        public CredentialSource Build(SessionRequest request, ProfileGraph profiles, ICredentialStore store, Action<string> log)
        {
            ICredentialProvider top = new ChainBuilder(profiles, store, request, log).Build(out string region);
            return new CredentialSource(_engine, store, top, request.ProfileName, region, profiles.Environment, profiles.Config.Path);
        }

        public IssuedSession Issue(SessionRequest request, ProfileGraph profiles, ICredentialStore store, IPrompter prompter, Action<string> log)
        {
            CredentialSource source = Build(request, profiles, store, log);
            AwsCredentials credentials = source.Retrieve(prompter, log, request.MfaToken, request.Refresh);
            return new IssuedSession(source, credentials);
        }
    }

    internal sealed class IssuedSession
    {
        public IssuedSession(CredentialSource source, AwsCredentials credentials)
        {
            Source = source;
            Credentials = credentials;
        }

        public CredentialSource Source { get; }
        public AwsCredentials Credentials { get; }
    }
}
