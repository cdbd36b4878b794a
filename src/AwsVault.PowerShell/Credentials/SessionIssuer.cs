using System;
using AwsVault.Config;
using AwsVault.Internal;
using AwsVault.Prompts;
using AwsVault.Storage;
using AwsVault.Mfa;
using AwsVault.Sdk;

namespace AwsVault.Credentials
{
    /// <summary>One request, end to end: config, chain, providers, cache. Cmdlets call this and stay thin.</summary>
    internal static class SessionIssuer
    {
        public static IssuedSession Issue(SessionRequest request, ConfigFile config, ICredentialStore store, IPrompter prompter, Action<string> log)
        {
            var resolver = new ProfileResolver(config);
            CredentialChain chain = new ChainBuilder(resolver, store, request, log).Build();
            var context = new ChainContext(
                PrivateDependencies.StsClient,
                new MfaCodeSource(request.MfaToken, prompter, log),
                new SessionCache(store, log),
                log,
                request.Refresh,
                config.Path);
            AwsCredentials credentials = chain.Top.Retrieve(context);
            return new IssuedSession(chain, credentials);
        }
    }

    internal sealed class IssuedSession
    {
        public IssuedSession(CredentialChain chain, AwsCredentials credentials)
        {
            Chain = chain;
            Credentials = credentials;
        }

        public CredentialChain Chain { get; }
        public AwsCredentials Credentials { get; }
    }
}
