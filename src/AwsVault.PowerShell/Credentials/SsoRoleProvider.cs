using System.Management.Automation;
using AwsVault.Config;
using AwsVault.Sso;

namespace AwsVault.Credentials
{
    /// <summary>
    /// IAM Identity Center role credentials (the portal's GetRoleCredentials) for an SSO profile's account and role,
    /// with an access token from the profile's sign-in. A token the portal refuses (signed out elsewhere, revoked) is
    /// marked expired in the vault and the call is made once more with a refreshed token or a new sign-in, because a
    /// revoked token otherwise keeps failing until it would have expired.
    /// </summary>
    internal sealed class SsoRoleProvider : ICredentialProvider
    {
        private readonly SsoSettings _sso;

        public SsoRoleProvider(SsoSettings sso)
        {
            _sso = sso;
        }

        public string ProfileName => _sso.ProfileName;
        public string Description => "GetRoleCredentials(" + ProfileName + ", " + _sso.AccountId + "/" + _sso.RoleName + ")";

        // An AssumeRole with these credentials is role chaining: the portal's credentials are a role session.
        public bool IssuesRoleSession => true;
        public ICredentialProvider Source => null;
        public string MfaSerial => null;

        public AwsCredentials Retrieve(ChainContext context)
        {
            SsoTokenSource tokens = context.SsoTokens;
            SsoStoredToken token = tokens.Get(_sso);
            try
            {
                return Call(context, token);
            }
            catch (SsoCallException e) when (e.Code == "UnauthorizedException")
            {
                context.Log("profile " + ProfileName + ": the IAM Identity Center portal refused the access token (" + e.Code +
                            "); it was signed out or revoked, so it is set aside and a refreshed or new one is used.");
                tokens.Discard(_sso, token);
                token = tokens.Get(_sso, skipAwsCliCache: true);
                try
                {
                    return Call(context, token);
                }
                catch (SsoCallException again)
                {
                    throw Translate(again);
                }
            }
            catch (SsoCallException e)
            {
                throw Translate(e);
            }
        }

        private AwsCredentials Call(ChainContext context, SsoStoredToken token)
        {
            context.Log("profile " + ProfileName + ": calling IAM Identity Center GetRoleCredentials for account " + _sso.AccountId + ", role " + _sso.RoleName +
                        " at " + _sso.SsoPortalEndpoint.Describe("portal.sso") + ".");
            return context.SsoPortal.GetRoleCredentials(_sso.SsoPortalEndpoint, token.AccessToken, _sso.AccountId, _sso.RoleName);
        }

        /// <summary>The portal's failures, by what the user does next. Its messages hold no token.</summary>
        private AwsVaultException Translate(SsoCallException e)
        {
            string where = "IAM Identity Center GetRoleCredentials for profile '" + ProfileName + "' (account " + _sso.AccountId + ", role " + _sso.RoleName + ")";
            switch (e.Code)
            {
                case "UnauthorizedException":
                    return new AwsVaultException(ErrorIds.SsoTokenRevoked, ErrorCategory.AuthenticationError,
                        where + " was refused: the sign-in's access token is expired or revoked (" + e.Message.TrimEnd('.') + "). Run '" +
                        SsoTokenSource.ConnectCommand(_sso) + "' to sign in again.", ProfileName, e);
                case "ForbiddenException":
                case "ResourceNotFoundException":
                    return new AwsVaultException(ErrorIds.SsoAccessDenied, ErrorCategory.PermissionDenied,
                        where + " was denied: the signed-in user has no access to role '" + _sso.RoleName + "' in account " + _sso.AccountId +
                        " (" + e.Code + ": " + e.Message.TrimEnd('.') + "). Check sso_account_id and sso_role_name in " + "the profile; 'Get-AwsVaultSsoRole" +
                        (_sso.SessionName != null ? " -SessionName " + _sso.SessionName : " -ProfileName " + ProfileName) + "' lists the roles you can use.", ProfileName, e);
                default:
                    return new AwsVaultException(ErrorIds.SsoCallFailed, e.IsNetworkFailure ? ErrorCategory.ConnectionError : ErrorCategory.InvalidResult,
                        where + " at " + _sso.SsoPortalEndpoint.Describe("portal.sso") + " failed: " + e.Code + ": " + e.Message, ProfileName, e);
            }
        }
    }
}
