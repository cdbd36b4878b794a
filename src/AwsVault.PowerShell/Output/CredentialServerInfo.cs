using System;
using System.Security;
using AwsVault.Server;

namespace AwsVault.Output
{
    /// <summary>
    /// A running local credential server (Start-AwsVaultCredentialServer): where it listens and what it has
    /// served. The authorization token is a SecureString, so no view, log or ToString of the object shows it;
    /// Export-AwsVaultSession -Server writes it out when asked.
    /// </summary>
    public sealed class CredentialServerInfo
    {
        private SecureString _token;

        internal CredentialServerInfo(RunningCredentialServer instance)
        {
            Instance = instance;
        }

        internal RunningCredentialServer Instance { get; }

        public string ProfileName => Instance.ProfileName;

        /// <summary>The value for AWS_CONTAINER_CREDENTIALS_FULL_URI.</summary>
        public Uri Uri => Instance.Server.Uri;

        public int Port => Instance.Server.Port;

        public string ListenAddress => Instance.Server.ListenAddress.ToString();

        /// <summary>UTC.</summary>
        public DateTime StartTime => Instance.Server.StartTime.UtcDateTime;

        /// <summary>Requests answered with credentials so far, read live from the server.</summary>
        public long RequestsServed => Instance.Server.RequestsServed;

        /// <summary>Requests refused (no or a wrong token, a browser, a foreign Host) or failed (the chain could not issue a session).</summary>
        public long RequestsRefused => Instance.Server.RequestsRefused;

        /// <summary>The value for AWS_CONTAINER_AUTHORIZATION_TOKEN.</summary>
        public SecureString AuthorizationToken => _token ?? (_token = Instance.Server.AuthorizationToken);

        public string Region => Instance.Region;

        /// <summary>How each request's credentials are made, e.g. "stored key(alice) -> GetSessionToken(alice, MFA) -> AssumeRole(admin)".</summary>
        public string Chain => Instance.Chain;

        public bool Running => Instance.Running;

        internal void Stop()
        {
            Instance.Dispose();
            CredentialServerRegistry.Remove(this);
        }

        public override string ToString() => ProfileName + " " + Uri + (Running ? string.Empty : " (stopped)");
    }
}
