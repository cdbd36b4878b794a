using System;
using System.Management.Automation;
using AwsVault.Credentials;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>The session parameters every command that issues credentials shares.</summary>
    public abstract class SessionCmdlet : StoreCmdlet
    {
        /// <summary>How long the credentials should last (AWS allows 15 minutes to 12 hours for a role, 36 hours for a session token).</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan Duration { get; set; }

        /// <summary>Use the stored key as it is, without GetSessionToken (like aws-vault --no-session).</summary>
        [Parameter]
        public SwitchParameter NoSession { get; set; }

        /// <summary>The current MFA code, instead of mfa_process or a prompt.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string MfaToken { get; set; }

        /// <summary>The region for the session and for the STS endpoint.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Region { get; set; }

        /// <summary>Ignore cached sessions and fetch new credentials.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        /// <summary>The session for the profile, or for $env:AWS_PROFILE when none is named.</summary>
        internal AwsVaultSession IssueSession(string profileName)
        {
            ChooseStore(out string backend, out string vault);
            return CommandHost.IssueSession(Request(profileName), backend, vault);
        }

        /// <summary>The session parameters as the engine takes them, for the profile or $env:AWS_PROFILE.</summary>
        internal SessionRequest Request(string profileName) => new SessionRequest
        {
            ProfileName = CommandHost.ProfileOrDefault(profileName),
            DurationSeconds = MyInvocation.BoundParameters.ContainsKey(nameof(Duration)) ? (int?)(int)Duration.TotalSeconds : null,
            NoSession = NoSession,
            MfaToken = MfaToken,
            Region = Region,
            Refresh = Refresh,
        };
    }
}
