using System;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Credentials;
using AwsVault.Sso;
using AwsVault.Storage;

namespace AwsVault.Commands
{
    /// <summary>
    /// Signs out of IAM Identity Center: the portal's Logout with the stored token, then the token (and its refresh
    /// token and client registration) deleted from the vault, and the cached role credentials of the profiles that
    /// sign in through it forgotten. The AWS CLI's own cache is not touched: it is the CLI's (aws sso logout).
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "AwsVaultSso", DefaultParameterSetName = ConnectAwsVaultSsoCommand.ProfileSet, HelpUri = HelpLinks.Base + "Disconnect-AwsVaultSso.md",
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class DisconnectAwsVaultSsoCommand : StoreCmdlet
    {
        [Parameter(ParameterSetName = ConnectAwsVaultSsoCommand.ProfileSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; }

        [Parameter(ParameterSetName = ConnectAwsVaultSsoCommand.SessionSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SsoSessionNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string SessionName { get; set; }

        protected override void Process()
        {
            var sso = SsoTarget.Resolve(CommandHost, ProfileName, SessionName);
            var store = OpenStore();
            if (!ShouldProcess(SsoTarget.Describe(sso), "Sign out and delete the sign-in from " + AddAwsVaultProfileCommand.Describe(store))) return;

            bool removed = SsoTarget.TokenSource(CommandHost, store).Forget(sso, stored => Logout(sso, stored));

            var profiles = SsoTarget.ProfilesSigningInThrough(LoadConfig(), sso);
            int sessions = new SessionCache(CommandHost.Engine, store, Config.EnvironmentSnapshot.Capture(), Verbose)
                .Clear(profiles.Contains, SessionKey.GetRoleCredentialsType);
            Verbose("Removed " + sessions + " cached GetRoleCredentials session" + (sessions == 1 ? string.Empty : "s") +
                    (profiles.Count > 0 ? " of " + string.Join(", ", profiles) : string.Empty) + ".");

            if (!removed && sessions == 0)
            {
                CommandHost.Warning("There was no sign-in for " + SsoTarget.Describe(sso) + " in " + AddAwsVaultProfileCommand.Describe(store) +
                    ", so there was nothing to sign out of. (A sign-in made with 'aws sso login' is the AWS CLI's; 'aws sso logout' ends it.)");
            }
        }

        // Logout revokes the token server-side, so a copy elsewhere stops working too. Its failure must not keep the
        // token in the vault: the user asked for it to be gone.
        private void Logout(Config.SsoSettings sso, SsoStoredToken stored)
        {
            if (!stored.IsValidAt(DateTimeOffset.UtcNow, TimeSpan.Zero))
            {
                Verbose("The stored sign-in for " + SsoTarget.Describe(sso) + " had already expired; no Logout call is needed.");
                return;
            }
            try
            {
                Verbose("Calling IAM Identity Center Logout at " + sso.SsoPortalEndpoint.Describe("portal.sso") + ".");
                CommandHost.Engine.SsoPortal.Logout(sso.SsoPortalEndpoint, stored.AccessToken);
            }
            catch (SsoCallException e)
            {
                CommandHost.Warning("IAM Identity Center Logout for " + SsoTarget.Describe(sso) + " failed (" + e.Code + ": " + e.Message.TrimEnd('.') +
                    "); the sign-in is deleted from the vault anyway, and the token stays valid at AWS until it expires (" + stored.ExpiresAt.ToString("u") + ").");
            }
        }
    }
}
