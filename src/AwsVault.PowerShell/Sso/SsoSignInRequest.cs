using System;
using System.Collections.Generic;
using System.Threading;

namespace AwsVault.Sso
{
    /// <summary>What <see cref="SsoSignIn.GetToken"/> needs for one sso-session (or legacy start URL).</summary>
    internal sealed class SsoSignInRequest
    {
        /// <summary>The vault name of the sign-in: <see cref="SsoTokenKey.For"/>.</summary>
        public string TokenKey { get; set; }

        public string StartUrl { get; set; }

        /// <summary>sso_registration_scopes; empty for a legacy profile.</summary>
        public IReadOnlyList<string> Scopes { get; set; } = Array.Empty<string>();

        public SsoEndpoint Endpoint { get; set; }

        /// <summary>What the non-interactive error tells the user to run, e.g. "Connect-AwsVaultSso -ProfileName dev".</summary>
        public string ConnectCommand { get; set; }

        /// <summary>Null when a person can sign in now, else why not (Interactivity.WhyPromptIsImpossible): then a
        /// sign-in fails at once with SsoSignInRequired, without any OIDC call, browser or wait.</summary>
        public string WhyNotInteractive { get; set; }

        /// <summary>-UseDeviceCode: the device code even when a browser could open.</summary>
        public bool UseDeviceCode { get; set; }

        /// <summary>Connect-AwsVaultSso: sign in again even with a valid or refreshable token (the stored client
        /// registration is still reused).</summary>
        public bool ForceSignIn { get; set; }

        /// <summary>A second source of valid tokens, read only: the AWS CLI's cache. Null when there is none.</summary>
        public Func<SsoStoredToken> ReadAwsCliCache { get; set; }

        /// <summary>What the user must see: the verification URL and user code, "a browser window opened".</summary>
        public Action<string> WriteHost { get; set; }

        /// <summary>-Verbose: which token was used and which call is made, why.</summary>
        public Action<string> WriteVerbose { get; set; }

        /// <summary>The cmdlet's stop (Ctrl+C): ends the device-code polling and the browser wait at once.</summary>
        public CancellationToken Cancellation { get; set; }

        /// <summary>How long the browser sign-in may take before it is given up.</summary>
        public TimeSpan BrowserTimeout { get; set; } = LoopbackRedirect.DefaultTimeout;
    }
}
