using System;
using System.Collections.Concurrent;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Iam;
using AwsVault.Sdk;
using AwsVault.Sso;
using AwsVault.Storage.Jwe;

namespace AwsVault.Engine
{
    /// <summary>
    /// What the engine remembers between commands, for one import of the module: sessions in memory, MFA codes
    /// sent, file vault passphrases typed, the last parsed config file, and the AWS clients. Engine code gets it
    /// passed in; only the cmdlets reach <see cref="Current"/>. Tests make their own with fake clients, so they
    /// share nothing and can run in parallel.
    /// </summary>
    internal sealed class EngineContext : IDisposable
    {
        private static readonly object s_gate = new object();
        private static EngineContext s_current;
        private static int s_imports;

        private readonly IAwsClientFactory _clients;
        private readonly object _clientsGate = new object();
        private IStsClient _sts;
        private ISsoOidcClient _ssoOidc;
        private ISsoPortalClient _ssoPortal;
        private IIamClient _iam;

        public EngineContext(IAwsClientFactory clients)
        {
            _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        }

        /// <summary>The context of the imported module. Made on first use when the module was loaded without
        /// Import-Module (the assembly loaded directly, as the benchmarks do).</summary>
        public static EngineContext Current
        {
            get
            {
                lock (s_gate)
                {
                    return s_current ?? (s_current = new EngineContext(PrivateDependencies.ClientFactory));
                }
            }
        }

        /// <summary>The STS client, created on first use: loading AWSSDK costs time a cache hit should not pay.</summary>
        public IStsClient Sts
        {
            get
            {
                lock (_clientsGate)
                {
                    return _sts ?? (_sts = _clients.CreateSts());
                }
            }
        }

        /// <summary>The SSO OIDC client (sign-in), created on first use like <see cref="Sts"/>.</summary>
        public ISsoOidcClient SsoOidc
        {
            get
            {
                lock (_clientsGate)
                {
                    return _ssoOidc ?? (_ssoOidc = _clients.CreateSsoOidc());
                }
            }
        }

        /// <summary>The SSO portal client (role credentials, accounts), created on first use like <see cref="Sts"/>.</summary>
        public ISsoPortalClient SsoPortal
        {
            get
            {
                lock (_clientsGate)
                {
                    return _ssoPortal ?? (_ssoPortal = _clients.CreateSsoPortal());
                }
            }
        }

        /// <summary>The IAM client (Update-AwsVaultAccessKey), created on first use like <see cref="Sts"/>.</summary>
        public IIamClient Iam
        {
            get
            {
                lock (_clientsGate)
                {
                    return _iam ?? (_iam = _clients.CreateIam());
                }
            }
        }

        /// <summary>Sessions of this import, keyed by store, type, profile and MFA serial (see <see cref="SessionCache"/>).</summary>
        internal ConcurrentDictionary<string, SessionCache.Remembered> Sessions { get; } = new ConcurrentDictionary<string, SessionCache.Remembered>(StringComparer.Ordinal);

        /// <summary>MFA codes sent, per device, with when (see <see cref="Mfa.MfaCodeSource"/>).</summary>
        internal ConcurrentDictionary<string, DateTimeOffset> SentMfaCodes { get; } = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        /// <summary>File vault passphrases typed at a prompt, per vault directory: a PowerShell session is the
        /// user's unit of "I unlocked my vault".</summary>
        internal ConcurrentDictionary<string, string> Passphrases { get; } = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The last parsed config file, reused while one stat says it is unchanged.</summary>
        internal ConfigCache Config { get; } = new ConfigCache();

        /// <summary>Forgets the in-memory sessions of the imported module's context: tests and benchmarks of cold
        /// paths stand for a new process this way.</summary>
        internal static void ForgetCurrentSessions() => Current.Sessions.Clear();

        /// <summary>Forgets what this context remembers; its clients stay.</summary>
        public void Dispose()
        {
            Sessions.Clear();
            SentMfaCodes.Clear();
            Passphrases.Clear();
            Config.Clear();
        }

        /// <summary>Import-Module: counted, because several runspaces of one process can import the module and
        /// share its assembly (and so this context); the last removal ends it.</summary>
        internal static void OnImport()
        {
            lock (s_gate)
            {
                s_imports++;
                if (s_current == null) s_current = new EngineContext(PrivateDependencies.ClientFactory);
            }
        }

        internal static void OnRemove()
        {
            lock (s_gate)
            {
                if (s_imports > 0) s_imports--;
                if (s_imports > 0) return;
                // A server would keep answering from an engine that is being forgotten, and keep its port.
                Server.CredentialServerRegistry.StopAll();
                s_current?.Dispose();
                s_current = null;
                // Derived keys of the file vault's passphrases: static inside the JWE code, forgotten with the module.
                Pbes2KeyCache.Clear();
                PrivateDependencies.RemoveResolver();
            }
        }
    }
}
