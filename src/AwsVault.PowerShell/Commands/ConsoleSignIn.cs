using AwsVault.Credentials;
using AwsVault.Login;

namespace AwsVault.Commands
{
    /// <summary>
    /// Console sign-in as aws-vault's login does it, in two steps. <see cref="Plan"/> decides everything without a call:
    /// the chain (a role, SSO, web identity or credential_process profile uses its usual session; a stored key gets
    /// GetFederationToken, see ChainBuilder), the partition's endpoints and the destination. <see cref="SignIn"/> then gets
    /// the session, asks the federation endpoint for a sign-in token, and builds the login URL. The URL signs anyone
    /// who has it in for 15 minutes: it is returned, never logged.
    /// </summary>
    internal sealed class ConsoleSignIn
    {
        /// <summary>The Issuer of the login URL: who sent the user to the console.</summary>
        internal const string Issuer = "AwsVault";

        private readonly CommandHost _host;
        private readonly SessionRequest _request;

        private ConsoleSignIn(CommandHost host, SessionRequest request, CredentialSource source, ConsoleEndpoints endpoints, string destination)
        {
            _host = host;
            _request = request;
            Source = source;
            Endpoints = endpoints;
            Destination = destination;
        }

        public CredentialSource Source { get; }
        public ConsoleEndpoints Endpoints { get; }

        /// <summary>Where the console opens (not a secret: it is shown by -WhatIf).</summary>
        public string Destination { get; }

        public string ProfileName => _request.ProfileName;

        /// <summary>True when the session is GetFederationToken's (a federated user) rather than a role's.</summary>
        public bool IsFederatedUser => Unwrap(Source.Top) is FederationTokenProvider;

        public static ConsoleSignIn Plan(CommandHost host, SessionRequest request, string backend, string vault, string destination)
        {
            request.ForConsoleSignIn = true;
            CredentialSource source = host.Build(request, backend, vault);
            ConsoleEndpoints endpoints = ConsoleEndpoints.For(source.Region, source.Environment);
            string resolved = endpoints.Destination(destination, source.Region);
            var plan = new ConsoleSignIn(host, request, source, endpoints, resolved);
            if (plan.SessionDuration is int seconds)
            {
                // The federation endpoint's own range for a console session; a role's -Duration was checked already.
                DurationLimits.Check(seconds, DurationLimits.AssumeRoleMaximum, request.ProfileName, "a console session", "-Duration");
            }
            return plan;
        }

        /// <summary>The console session length to ask for: -Duration, for a role session only. The endpoint refuses it for a
        /// federated user, whose console session lasts as long as its GetFederationToken session; without it AWS decides.</summary>
        public int? SessionDuration =>
            _request.DurationSeconds.HasValue && !IsFederatedUser && Source.Top.IssuesRoleSession ? _request.DurationSeconds : null;

        /// <summary>The session, its sign-in token, and the login URL. Makes the calls <see cref="Plan"/> decided.</summary>
        public string SignIn()
        {
            AwsCredentials session = _host.Retrieve(Source, _request);
            _host.Verbose("profile " + ProfileName + ": console sign-in for " + (IsFederatedUser ? "federated user session " : "session ") + session.AccessKeyId +
                          " in partition " + Endpoints.Partition + ", opening " + Destination + ".");
            string token = SigninTokenClient.GetSigninToken(Endpoints.Federation, session, SessionDuration, ProfileName, _host.Verbose);
            return SigninTokenClient.LoginUrl(Endpoints.Federation, Issuer, Destination, token);
        }

        private static ICredentialProvider Unwrap(ICredentialProvider provider) =>
            provider is CachedSessionProvider cached ? cached.Inner : provider;
    }
}
