using System.Collections.Generic;
using AwsVault.Credentials;

namespace AwsVault.Sso
{
    /// <summary>
    /// The IAM Identity Center portal calls (service portal.sso), authorised by an access token from
    /// <see cref="ISsoOidcClient"/>. Failures are thrown as <see cref="SsoCallException"/> (UnauthorizedException
    /// when the token is no longer valid).
    /// </summary>
    internal interface ISsoPortalClient
    {
        AwsCredentials GetRoleCredentials(SsoEndpoint endpoint, string accessToken, string accountId, string roleName);

        SsoPage<SsoAccount> ListAccounts(SsoEndpoint endpoint, string accessToken, string nextToken);

        SsoPage<SsoAccountRole> ListAccountRoles(SsoEndpoint endpoint, string accessToken, string accountId, string nextToken);

        void Logout(SsoEndpoint endpoint, string accessToken);
    }

    internal sealed class SsoPage<T>
    {
        public SsoPage(IReadOnlyList<T> items, string nextToken)
        {
            Items = items;
            NextToken = string.IsNullOrEmpty(nextToken) ? null : nextToken;
        }

        public IReadOnlyList<T> Items { get; }
        public string NextToken { get; }
    }

    internal sealed class SsoAccount
    {
        public string AccountId { get; set; }
        public string AccountName { get; set; }
        public string EmailAddress { get; set; }
    }

    internal sealed class SsoAccountRole
    {
        public string AccountId { get; set; }
        public string RoleName { get; set; }
    }
}
