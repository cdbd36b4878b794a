using System.Collections.Generic;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Config;
using AwsVault.Output;
using AwsVault.Sso;

namespace AwsVault.Commands
{
    /// <summary>Lists the accounts and roles an IAM Identity Center sign-in reaches (the portal's ListAccounts and
    /// ListAccountRoles, every page), as objects that carry what a profile for each needs.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsVaultSsoRole", DefaultParameterSetName = ConnectAwsVaultSsoCommand.SessionSet, HelpUri = HelpLinks.Base + "Get-AwsVaultSsoRole.md")]
    [OutputType(typeof(SsoRoleInfo))]
    public sealed class GetAwsVaultSsoRoleCommand : StoreCmdlet
    {
        [Parameter(ParameterSetName = ConnectAwsVaultSsoCommand.SessionSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SsoSessionNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string SessionName { get; set; }

        [Parameter(ParameterSetName = ConnectAwsVaultSsoCommand.ProfileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AccountId { get; set; }

        protected override void Process()
        {
            var sso = SsoTarget.Resolve(CommandHost, ProfileName, SessionName);
            var tokens = SsoTarget.TokenSource(CommandHost, OpenStore());
            SsoStoredToken token = tokens.Get(sso);
            List<SsoRoleInfo> roles;
            try
            {
                roles = List(sso, token);
            }
            catch (SsoCallException e) when (e.Code == "UnauthorizedException")
            {
                // Signed out elsewhere or revoked: set it aside so a refresh or a new sign-in replaces it, as
                // SsoRoleProvider does for role credentials, and try once more.
                Verbose("The IAM Identity Center portal refused the access token (" + e.Code + "); using a refreshed or new one.");
                tokens.Discard(sso, token);
                token = tokens.Get(sso, skipAwsCliCache: true);
                try
                {
                    roles = List(sso, token);
                }
                catch (SsoCallException again)
                {
                    throw Translate(sso, again);
                }
            }
            catch (SsoCallException e)
            {
                throw Translate(sso, e);
            }
            foreach (var role in roles) WriteObject(role);
        }

        // Gathered before writing: a refused token found on a later page restarts the listing, and the user must not
        // get the first accounts twice.
        private List<SsoRoleInfo> List(SsoSettings sso, SsoStoredToken token)
        {
            var portal = CommandHost.Engine.SsoPortal;
            var accounts = new List<SsoAccount>();
            string next = null;
            do
            {
                Verbose("Calling IAM Identity Center ListAccounts at " + sso.SsoPortalEndpoint.Describe("portal.sso") + (next != null ? " (next page)" : string.Empty) + ".");
                var page = portal.ListAccounts(sso.SsoPortalEndpoint, token.AccessToken, next);
                accounts.AddRange(page.Items);
                next = page.NextToken;
            }
            while (next != null);

            var result = new List<SsoRoleInfo>();
            bool accountFound = AccountId == null;
            foreach (var account in accounts)
            {
                if (AccountId != null && account.AccountId != AccountId) continue;
                accountFound = true;
                next = null;
                do
                {
                    Verbose("Calling IAM Identity Center ListAccountRoles for account " + account.AccountId + (next != null ? " (next page)" : string.Empty) + ".");
                    var page = portal.ListAccountRoles(sso.SsoPortalEndpoint, token.AccessToken, account.AccountId, next);
                    foreach (var role in page.Items)
                    {
                        result.Add(new SsoRoleInfo(sso.SessionName, sso.StartUrl, sso.Region, account.AccountId, account.AccountName, account.EmailAddress, role.RoleName));
                    }
                    next = page.NextToken;
                }
                while (next != null);
            }
            if (!accountFound)
            {
                throw new AwsVaultException(ErrorIds.SsoAccessDenied, ErrorCategory.PermissionDenied,
                    "The user signed in to " + SsoTarget.Describe(sso) + " has no role in account " + AccountId + " (it is not among the " + accounts.Count +
                    " accounts the portal lists). Leave -AccountId out to see them.", AccountId);
            }
            return result;
        }

        private static AwsVaultException Translate(SsoSettings sso, SsoCallException e)
        {
            string where = "Listing the accounts and roles of " + SsoTarget.Describe(sso);
            if (e.Code == "UnauthorizedException")
            {
                return new AwsVaultException(ErrorIds.SsoTokenRevoked, ErrorCategory.AuthenticationError,
                    where + " was refused: the sign-in's access token is expired or revoked (" + e.Message.TrimEnd('.') + "). Run '" +
                    SsoTokenSource.ConnectCommand(sso) + "' to sign in again.", sso.TokenKey, e);
            }
            return new AwsVaultException(ErrorIds.SsoCallFailed, e.IsNetworkFailure ? ErrorCategory.ConnectionError : ErrorCategory.InvalidResult,
                where + " at " + sso.SsoPortalEndpoint.Describe("portal.sso") + " failed: " + e.Code + ": " + e.Message, sso.TokenKey, e);
        }
    }
}
