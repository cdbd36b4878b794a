using System;
using System.Threading;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Prompts;
using AwsVault.Storage;

namespace AwsVault.Sso
{
    /// <summary>
    /// An IAM Identity Center access token for an SSO profile's sign-in, for one command: <see cref="SsoSignIn"/> with
    /// what the command has (its vault, its host for the user code and the non-interactive rule, its stop), under a
    /// lock across processes per sign-in, so that parallel commands (Terraform's credential_process calls, two
    /// profiles of one sso-session) make one sign-in and one refresh, and the rest read the vault after it.
    /// </summary>
    internal sealed class SsoTokenSource
    {
        /// <summary>Longer than a device-code sign-in may take (10 minutes), so a process that waits for another's
        /// sign-in is not given up on while the user is still approving it.</summary>
        internal static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(11);

        private const string LockType = "sso.token";

        private readonly Func<ISsoOidcClient> _oidc;
        private readonly ICredentialStore _store;
        private readonly IPrompter _prompter;
        private readonly Action<string> _log;
        private readonly IBrowser _browser;
        private readonly ISsoClock _clock;
        private readonly string _awsCliCacheDirectory;

        public SsoTokenSource(Func<ISsoOidcClient> oidc, ICredentialStore store, IPrompter prompter, Action<string> log,
            IBrowser browser = null, ISsoClock clock = null, string awsCliCacheDirectory = null)
        {
            _oidc = oidc ?? throw new ArgumentNullException(nameof(oidc));
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _prompter = prompter;
            _log = log ?? (_ => { });
            _browser = browser;
            _clock = clock ?? SystemSsoClock.Instance;
            _awsCliCacheDirectory = awsCliCacheDirectory;
        }

        /// <summary>-UseDeviceCode of Connect-AwsVaultSso.</summary>
        public bool UseDeviceCode { get; set; }

        /// <summary>A valid token for <paramref name="sso"/>'s sign-in: from the vault, refreshed, from the AWS CLI's
        /// cache, or from a new sign-in (<paramref name="forceSignIn"/>: always a new one).</summary>
        public SsoStoredToken Get(SsoSettings sso, bool forceSignIn = false, bool skipAwsCliCache = false)
        {
            if (sso == null) throw new ArgumentNullException(nameof(sso));
            var cliCache = new AwsCliSsoTokenCache(_awsCliCacheDirectory);
            var request = new SsoSignInRequest
            {
                TokenKey = sso.TokenKey,
                StartUrl = sso.StartUrl,
                Scopes = sso.RegistrationScopes,
                Endpoint = sso.SsoOidcEndpoint,
                ConnectCommand = ConnectCommand(sso),
                // Null means a human can answer; the fallback is only for a source made without a prompter.
                WhyNotInteractive = _prompter == null ? "the command has no host to sign in through" : _prompter.WhyCannotAsk(),
                UseDeviceCode = UseDeviceCode,
                ForceSignIn = forceSignIn,
                WriteHost = message => _prompter?.Tell(message),
                WriteVerbose = _log,
            };
            if (!skipAwsCliCache)
            {
                request.ReadAwsCliCache = () =>
                {
                    SsoStoredToken token = cliCache.Read(sso.TokenKey, sso.StartUrl, _clock.UtcNow, out string reason);
                    if (token == null && reason != null) _log("Not using the AWS CLI's token cache: " + reason + ".");
                    return token;
                };
            }

            using (SessionLock.Acquire(_store.Backend + ":" + _store.Location, LockType, sso.TokenKey, string.Empty, LockTimeout, _log))
            using (var stop = new StopSignal(_prompter))
            {
                request.Cancellation = stop.Token;
                var signIn = new SsoSignIn(_oidc(), new VaultSsoTokenStore(_store, _log), _browser, _clock);
                return signIn.GetToken(request);
            }
        }

        /// <summary>
        /// The portal refused <paramref name="refused"/> (UnauthorizedException: signed out elsewhere, or revoked by an
        /// administrator). The vault's copy, if it is that token, is marked expired (the vault item needs some access token), keeping its refresh token and
        /// registration, so the next <see cref="Get"/> refreshes or signs in instead of handing it out again.
        /// </summary>
        public void Discard(SsoSettings sso, SsoStoredToken refused)
        {
            using (SessionLock.Acquire(_store.Backend + ":" + _store.Location, LockType, sso.TokenKey, string.Empty, LockTimeout, _log))
            {
                var tokens = new VaultSsoTokenStore(_store, _log);
                SsoStoredToken stored = tokens.Get(sso.TokenKey);
                if (stored == null || !string.Equals(stored.AccessToken, refused.AccessToken, StringComparison.Ordinal)) return;
                stored.ExpiresAt = _clock.UtcNow.AddSeconds(-1);
                tokens.Set(sso.TokenKey, stored);
            }
        }

        /// <summary>
        /// Signs out: the stored sign-in for <paramref name="sso"/>, if any, is handed to <paramref name="beforeRemove"/>
        /// (Logout) and then deleted from the vault. Under the sign-in lock, so a parallel refresh cannot write the
        /// token back after it is gone. True when something was deleted.
        /// </summary>
        public bool Forget(SsoSettings sso, Action<SsoStoredToken> beforeRemove)
        {
            if (sso == null) throw new ArgumentNullException(nameof(sso));
            using (SessionLock.Acquire(_store.Backend + ":" + _store.Location, LockType, sso.TokenKey, string.Empty, LockTimeout, _log))
            {
                var tokens = new VaultSsoTokenStore(_store, _log);
                SsoStoredToken stored = tokens.Get(sso.TokenKey);
                if (stored != null) beforeRemove?.Invoke(stored);
                // Also an unreadable item: signing out must leave nothing behind.
                return tokens.Remove(sso.TokenKey);
            }
        }

        /// <summary>What a user runs to sign in for this profile, for the non-interactive error.</summary>
        public static string ConnectCommand(SsoSettings sso) =>
            sso.SessionName != null ? "Connect-AwsVaultSso -SessionName " + sso.SessionName : "Connect-AwsVaultSso -ProfileName " + sso.ProfileName;

        /// <summary>The command's stop as a token: the sign-in waits (browser, device-code polls) end when the user
        /// presses Ctrl+C. A cmdlet only exposes a flag, so a timer watches it for the length of the sign-in.</summary>
        private sealed class StopSignal : IDisposable
        {
            private readonly CancellationTokenSource _source = new CancellationTokenSource();
            private readonly Timer _timer;

            public StopSignal(IPrompter prompter)
            {
                if (prompter != null)
                {
                    _timer = new Timer(_ =>
                    {
                        try
                        {
                            if (prompter.IsStopping) _source.Cancel();
                        }
                        catch (ObjectDisposedException)
                        {
                        }
                    }, null, 200, 200);
                }
            }

            public CancellationToken Token => _source.Token;

            public void Dispose()
            {
                _timer?.Dispose();
                _source.Dispose();
            }
        }
    }
}
