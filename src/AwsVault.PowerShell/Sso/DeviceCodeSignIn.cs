using System;
using System.Management.Automation;

namespace AwsVault.Sso
{
    /// <summary>
    /// The device-code sign-in (RFC 8628): StartDeviceAuthorization, the verification URL and user code shown on the
    /// host, then CreateToken polled every <c>interval</c> seconds: AuthorizationPendingException waits on,
    /// SlowDownException adds 5 seconds to the interval, ExpiredTokenException and the end of <c>expiresIn</c> give
    /// SsoSignInExpired, AccessDeniedException gives SsoSignInDenied.
    /// </summary>
    internal static class DeviceCodeSignIn
    {
        public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
        private const int DefaultIntervalSeconds = 5;
        private const int DefaultExpiresInSeconds = 600;

        public static SsoTokenResult Run(ISsoOidcClient oidc, IBrowser browser, ISsoClock clock, SsoSignInRequest request,
            SsoClientRegistration registration, bool openBrowser)
        {
            SsoDeviceAuthorization auth;
            try
            {
                SsoSignIn.Verbose(request, "Starting a device authorization (StartDeviceAuthorization) at " + request.Endpoint.Describe("oidc") + ".");
                auth = oidc.StartDeviceAuthorization(request.Endpoint, registration, request.StartUrl);
            }
            catch (SsoCallException e)
            {
                throw SsoSignIn.CallFailed("device authorization", request.Endpoint, e);
            }

            string complete = string.IsNullOrEmpty(auth.VerificationUriComplete) ? null : auth.VerificationUriComplete;
            SsoSignIn.Host(request, "To sign in to " + request.StartUrl + ", open " + auth.VerificationUri + " and enter the code " + auth.UserCode +
                                    (complete != null ? " (or open " + complete + ", which holds the code)." : "."));
            if (openBrowser && complete != null && browser.Open(complete))
            {
                SsoSignIn.Host(request, "A browser window opened at that page; check that it shows the code " + auth.UserCode + ".");
            }

            TimeSpan interval = TimeSpan.FromSeconds(auth.IntervalSeconds > 0 ? auth.IntervalSeconds : DefaultIntervalSeconds);
            int expiresIn = auth.ExpiresInSeconds > 0 ? auth.ExpiresInSeconds : DefaultExpiresInSeconds;
            DateTimeOffset deadline = clock.UtcNow.AddSeconds(expiresIn);
            SsoTokenGrant grant = SsoTokenGrant.ForDeviceCode(auth.DeviceCode);
            while (true)
            {
                clock.Sleep(interval, request.Cancellation);
                try
                {
                    return oidc.CreateToken(request.Endpoint, registration, grant);
                }
                catch (SsoCallException e)
                {
                    switch (e.Code)
                    {
                        case "AuthorizationPendingException":
                            break;
                        case "SlowDownException":
                            interval += SlowDownStep;
                            SsoSignIn.Verbose(request, "Asked to slow down; polling every " + interval.TotalSeconds + " s.");
                            break;
                        case "ExpiredTokenException":
                            throw Expired(request, expiresIn);
                        case "AccessDeniedException":
                            throw new AwsVaultException(ErrorIds.SsoSignInDenied, ErrorCategory.PermissionDenied,
                                "The IAM Identity Center sign-in to " + request.StartUrl + " was denied (" + e.Code + "): " + e.Message, request.TokenKey, e);
                        default:
                            throw SsoSignIn.CallFailed("token request", request.Endpoint, e);
                    }
                }
                if (clock.UtcNow >= deadline)
                {
                    throw Expired(request, expiresIn);
                }
            }
        }

        private static AwsVaultException Expired(SsoSignInRequest request, int expiresIn) =>
            new AwsVaultException(ErrorIds.SsoSignInExpired, ErrorCategory.OperationTimeout,
                "The IAM Identity Center sign-in to " + request.StartUrl + " was not approved within " + expiresIn +
                " seconds and its code expired. Run the command again and approve the code in the browser.", request.TokenKey);
    }
}
