using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SSO;
using Amazon.SSO.Model;
using AwsVault.Credentials;
using AwsVault.Sso;

namespace AwsVault.Aws
{
    /// <summary>ISsoPortalClient over AWSSDK.SSO (service portal.sso): the access token goes in each request's
    /// x-amz-sso_bearer_token header and is cut out of every message (see <see cref="SsoCalls"/>).</summary>
    internal sealed class SdkSsoPortalClient : ISsoPortalClient
    {
        public AwsCredentials GetRoleCredentials(SsoEndpoint endpoint, string accessToken, string accountId, string roleName)
        {
            var request = new GetRoleCredentialsRequest { AccessToken = accessToken, AccountId = accountId, RoleName = roleName };
            GetRoleCredentialsResponse response = Call(endpoint, accessToken, (c, t) => c.GetRoleCredentialsAsync(request, t));
            RoleCredentials role = response.RoleCredentials;
            if (role == null || string.IsNullOrEmpty(role.AccessKeyId) || string.IsNullOrEmpty(role.SecretAccessKey) || string.IsNullOrEmpty(role.SessionToken))
            {
                throw SsoCalls.Incomplete("roleCredentials");
            }
            // Epoch milliseconds, as the portal sends it.
            DateTimeOffset? expiration = role.Expiration.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds(role.Expiration.Value) : (DateTimeOffset?)null;
            return new AwsCredentials(role.AccessKeyId, role.SecretAccessKey, role.SessionToken, expiration);
        }

        public SsoPage<SsoAccount> ListAccounts(SsoEndpoint endpoint, string accessToken, string nextToken)
        {
            var request = new ListAccountsRequest { AccessToken = accessToken };
            if (!string.IsNullOrEmpty(nextToken)) request.NextToken = nextToken;
            ListAccountsResponse response = Call(endpoint, accessToken, (c, t) => c.ListAccountsAsync(request, t));
            // AWSSDK v4 leaves an absent list null.
            IReadOnlyList<SsoAccount> items = (response.AccountList ?? new List<AccountInfo>())
                .Select(a => new SsoAccount { AccountId = a.AccountId, AccountName = a.AccountName, EmailAddress = a.EmailAddress })
                .ToList();
            return new SsoPage<SsoAccount>(items, response.NextToken);
        }

        public SsoPage<SsoAccountRole> ListAccountRoles(SsoEndpoint endpoint, string accessToken, string accountId, string nextToken)
        {
            var request = new ListAccountRolesRequest { AccessToken = accessToken, AccountId = accountId };
            if (!string.IsNullOrEmpty(nextToken)) request.NextToken = nextToken;
            ListAccountRolesResponse response = Call(endpoint, accessToken, (c, t) => c.ListAccountRolesAsync(request, t));
            IReadOnlyList<SsoAccountRole> items = (response.RoleList ?? new List<RoleInfo>())
                .Select(r => new SsoAccountRole { AccountId = r.AccountId ?? accountId, RoleName = r.RoleName })
                .ToList();
            return new SsoPage<SsoAccountRole>(items, response.NextToken);
        }

        public void Logout(SsoEndpoint endpoint, string accessToken)
        {
            var request = new LogoutRequest { AccessToken = accessToken };
            Call(endpoint, accessToken, (c, t) => c.LogoutAsync(request, t));
        }

        private static T Call<T>(SsoEndpoint endpoint, string accessToken, Func<AmazonSSOClient, CancellationToken, Task<T>> call) =>
            SsoCalls.Call<AmazonSSOClient, AmazonSSOConfig, T>(
                endpoint, "portal", (credentials, config) => new AmazonSSOClient(credentials, config), call, accessToken);
    }
}
