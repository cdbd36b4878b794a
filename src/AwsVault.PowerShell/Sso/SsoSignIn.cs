using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace AwsVault.Sso
{
    /// <summary>
    /// Gets a usable IAM Identity Center access token for one sso-session, in this order:
    /// <list type="number">
    /// <item>a token in the vault valid for more than <see cref="ValidityMargin"/>: no call at all;</item>
    /// <item>an expiring one with a refresh token and an unexpired client registration: CreateToken (refresh_token),
    /// the new token (and rotated refresh token) stored; a refused refresh falls through to sign-in;</item>
    /// <item>a valid token in the AWS CLI's cache (read only, never copied into the vault: the CLI owns it and rotates
    /// its refresh token, and a second holder of one refresh token breaks the first at its next rotation);</item>
    /// <item>nobody to sign in (CI, AWS_VAULT_PROMPT=none, -NonInteractive, no UI): SsoSignInRequired at once, naming
    /// Connect-AwsVaultSso, with no OIDC call, no browser and no wait;</item>
    /// <item>a sign-in: authorization code with PKCE through the browser and a loopback redirect, or the device code
    /// with -UseDeviceCode, when no browser can open here, or when starting it fails. The result is stored.</item>
    /// </list>
    /// No token, refresh token or client secret is ever written to the host, -Verbose or an error message.
    /// </summary>
    internal sealed class SsoSignIn
    {
        /// <summary>A token closer than this to its expiry is not handed out: the caller's GetRoleCredentials (and its
        /// retries) must still find it valid. Five minutes, as the SDKs refresh a token 5 minutes before it expires.</summary>
        public static readonly TimeSpan ValidityMargin = TimeSpan.FromMinutes(5);

        /// <summary>A stored registration is reused only with this much life left: a device-code sign-in may take
        /// up to 10 minutes (its expiresIn), and a registration must not expire in the middle of one.</summary>
        public static readonly TimeSpan RegistrationMargin = TimeSpan.FromMinutes(15);

        public const string ClientName = "AwsVault";

        /// <summary>One registration serves both flows (and refresh), so a stored one is reusable whichever flow the
        /// next sign-in takes; the loopback redirect is registered without a port, as the AWS CLI does.</summary>
        public static readonly IReadOnlyList<string> GrantTypes = new[]
        {
            SsoTokenGrant.AuthorizationCodeType, SsoTokenGrant.RefreshTokenType, SsoTokenGrant.DeviceCodeType,
        };

        private static readonly HashSet<string> RefreshRefusals = new HashSet<string>(StringComparer.Ordinal)
        {
            "InvalidGrantException", "InvalidClientException", "UnauthorizedClientException", "ExpiredTokenException",
        };

        private readonly ISsoOidcClient _oidc;
        private readonly ISsoTokenStore _store;
        private readonly IBrowser _browser;
        private readonly ISsoClock _clock;

        public SsoSignIn(ISsoOidcClient oidc, ISsoTokenStore store, IBrowser browser = null, ISsoClock clock = null)
        {
            _oidc = oidc ?? throw new ArgumentNullException(nameof(oidc));
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _browser = browser ?? new SystemBrowser();
            _clock = clock ?? SystemSsoClock.Instance;
        }

        public SsoStoredToken GetToken(SsoSignInRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (string.IsNullOrEmpty(request.TokenKey)) throw new ArgumentException("TokenKey is required.", nameof(request));
            if (string.IsNullOrEmpty(request.StartUrl)) throw new ArgumentException("StartUrl is required.", nameof(request));
            if (request.Endpoint == null) throw new ArgumentException("Endpoint is required.", nameof(request));

            DateTimeOffset now = _clock.UtcNow;
            SsoStoredToken stored = _store.Get(request.TokenKey);
            if (stored != null && !string.IsNullOrEmpty(stored.StartUrl) && !string.Equals(stored.StartUrl, request.StartUrl, StringComparison.Ordinal))
            {
                // The sso-session now points at another directory: its token and registration belong to the old one.
                Verbose(request, "The vault's token for '" + request.TokenKey + "' is for " + stored.StartUrl + ", not " + request.StartUrl + "; it is not used.");
                stored = null;
            }
            bool registrationRefused = false;
            string refreshRefused = null;

            if (!request.ForceSignIn)
            {
                if (stored != null && stored.IsValidAt(now, ValidityMargin))
                {
                    Verbose(request, "Using the IAM Identity Center token in the vault for '" + request.TokenKey + "' (expires " + stored.ExpiresAt.ToString("u") + ").");
                    return stored;
                }
                if (stored != null && stored.CanRefreshAt(now))
                {
                    SsoStoredToken refreshed = Refresh(request, stored, out refreshRefused);
                    if (refreshed != null) return refreshed;
                    registrationRefused = refreshRefused == "InvalidClientException" || refreshRefused == "UnauthorizedClientException";
                }
                SsoStoredToken cli = request.ReadAwsCliCache?.Invoke();
                if (cli != null && cli.IsValidAt(now, ValidityMargin) &&
                    (string.IsNullOrEmpty(cli.StartUrl) || string.Equals(cli.StartUrl, request.StartUrl, StringComparison.Ordinal)))
                {
                    Verbose(request, "Using the AWS CLI's cached IAM Identity Center token for " + request.StartUrl + " (expires " + cli.ExpiresAt.ToString("u") + "); it is not copied into the vault.");
                    return cli;
                }
            }

            if (request.WhyNotInteractive != null)
            {
                throw SignInRequired(request, stored, now, refreshRefused);
            }

            SsoClientRegistration registration = stored?.Registration;
            if (registration == null || registrationRefused || registration.ExpiresAt - RegistrationMargin <= now || !SameScopes(registration, request))
            {
                registration = Register(request);
            }
            else
            {
                Verbose(request, "Reusing the OIDC client registration in the vault (" + registration + ", expires " + registration.ExpiresAt.ToString("u") + ").");
            }

            SsoTokenResult result = null;
            string whyNoBrowser = request.UseDeviceCode ? "-UseDeviceCode was given" : _browser.WhyCannotOpen();
            if (whyNoBrowser == null)
            {
                result = AuthorizationCodeSignIn.Run(_oidc, _browser, request, registration);
            }
            else
            {
                Verbose(request, "Signing in with a device code: " + whyNoBrowser + ".");
            }
            if (result == null)
            {
                result = DeviceCodeSignIn.Run(_oidc, _browser, _clock, request, registration, openBrowser: request.UseDeviceCode && _browser.WhyCannotOpen() == null);
            }

            var token = new SsoStoredToken
            {
                StartUrl = request.StartUrl,
                Region = request.Endpoint.Region,
                AccessToken = result.AccessToken,
                ExpiresAt = result.ExpiresAt,
                RefreshToken = result.RefreshToken,
                Registration = registration,
            };
            _store.Set(request.TokenKey, token);
            Host(request, "Signed in to " + request.StartUrl + "; the token is kept in the vault (expires " + token.ExpiresAt.ToString("u") + ").");
            return token;
        }

        private SsoStoredToken Refresh(SsoSignInRequest request, SsoStoredToken stored, out string refused)
        {
            refused = null;
            Verbose(request, "The IAM Identity Center token for '" + request.TokenKey + "' expires " + stored.ExpiresAt.ToString("u") +
                             "; refreshing it (CreateToken, refresh_token) at " + request.Endpoint.Describe("oidc") + ".");
            SsoTokenResult result;
            try
            {
                result = _oidc.CreateToken(request.Endpoint, stored.Registration, SsoTokenGrant.ForRefreshToken(stored.RefreshToken, request.Scopes));
            }
            catch (SsoCallException e) when (RefreshRefusals.Contains(e.Code ?? string.Empty))
            {
                refused = e.Code;
                Verbose(request, "The refresh was refused (" + e.Code + "); a new sign-in is needed.");
                return null;
            }
            catch (SsoCallException e)
            {
                throw CallFailed("token refresh", request.Endpoint, e);
            }
            var token = new SsoStoredToken
            {
                StartUrl = stored.StartUrl ?? request.StartUrl,
                Region = stored.Region ?? request.Endpoint.Region,
                AccessToken = result.AccessToken,
                ExpiresAt = result.ExpiresAt,
                // Identity Center rotates refresh tokens: the new one replaces the old; without one, the old stays valid.
                RefreshToken = result.RefreshToken ?? stored.RefreshToken,
                Registration = stored.Registration,
            };
            _store.Set(request.TokenKey, token);
            return token;
        }

        private SsoClientRegistration Register(SsoSignInRequest request)
        {
            Verbose(request, "Registering an OIDC client (RegisterClient) at " + request.Endpoint.Describe("oidc") + ".");
            try
            {
                return _oidc.RegisterClient(request.Endpoint, new SsoClientRequest
                {
                    ClientName = ClientName,
                    Scopes = request.Scopes ?? Array.Empty<string>(),
                    GrantTypes = GrantTypes,
                    RedirectUris = new[] { LoopbackRedirect.RegisteredRedirectUri },
                    IssuerUrl = request.StartUrl,
                });
            }
            catch (SsoCallException e)
            {
                throw CallFailed("client registration", request.Endpoint, e);
            }
        }

        /// <summary>sso_registration_scopes changed since the registration: a new one is needed to get the new scopes.
        /// A registration whose scopes are not known (none recorded) is taken as fitting.</summary>
        private static bool SameScopes(SsoClientRegistration registration, SsoSignInRequest request)
        {
            if (registration.Scopes.Count == 0) return true;
            var wanted = new HashSet<string>(request.Scopes ?? Array.Empty<string>(), StringComparer.Ordinal);
            return wanted.SetEquals(registration.Scopes);
        }

        private static AwsVaultException SignInRequired(SsoSignInRequest request, SsoStoredToken stored, DateTimeOffset now, string refreshRefused)
        {
            string what;
            if (request.ForceSignIn)
            {
                what = "a new sign-in was asked for";
            }
            else if (stored == null)
            {
                what = "the vault holds no token for it";
            }
            else if (refreshRefused != null)
            {
                what = "its token expired " + stored.ExpiresAt.ToString("u") + " and the refresh was refused (" + refreshRefused + ")";
            }
            else
            {
                string why = string.IsNullOrEmpty(stored.RefreshToken) ? "there is no refresh token"
                    : stored.Registration == null ? "there is no client registration"
                    : "the client registration expired " + stored.Registration.ExpiresAt.ToString("u");
                what = (stored.ExpiresAt > now ? "its token expires " : "its token expired ") + stored.ExpiresAt.ToString("u") + " and cannot be refreshed (" + why + ")";
            }
            string connect = string.IsNullOrEmpty(request.ConnectCommand) ? "Connect-AwsVaultSso" : request.ConnectCommand;
            return new AwsVaultException(ErrorIds.SsoSignInRequired, ErrorCategory.AuthenticationError,
                "An IAM Identity Center sign-in to " + request.StartUrl + " is needed: " + what + ", and nobody can sign in now (" +
                request.WhyNotInteractive + "). Run '" + connect + "' in an interactive session first.", request.TokenKey);
        }

        /// <summary>An OIDC failure other than the ones the flows handle. The service's message holds no secret.</summary>
        internal static AwsVaultException CallFailed(string step, SsoEndpoint endpoint, SsoCallException e) =>
            new AwsVaultException(ErrorIds.SsoSignInFailed, e.IsNetworkFailure ? ErrorCategory.ConnectionError : ErrorCategory.AuthenticationError,
                "The IAM Identity Center " + step + " at " + endpoint.Describe("oidc") + " failed: " + e.Code + ": " + e.Message, null, e);

        internal static void Verbose(SsoSignInRequest request, string message) => request.WriteVerbose?.Invoke(message);

        internal static void Host(SsoSignInRequest request, string message) => request.WriteHost?.Invoke(message);
    }
}
