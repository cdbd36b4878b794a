using System.Text;

namespace AwsVault.Output
{
    /// <summary>
    /// One role the signed-in IAM Identity Center user can use, as Get-AwsVaultSsoRole lists them: enough to write a
    /// profile for it (sso_session or sso_start_url + sso_region, sso_account_id, sso_role_name) and a suggested name.
    /// </summary>
    public sealed class SsoRoleInfo
    {
        internal SsoRoleInfo(string sessionName, string startUrl, string ssoRegion, string accountId, string accountName, string emailAddress, string roleName)
        {
            SessionName = sessionName;
            StartUrl = startUrl;
            SsoRegion = ssoRegion;
            AccountId = accountId;
            AccountName = accountName;
            EmailAddress = emailAddress;
            RoleName = roleName;
            ProfileName = SuggestName(accountName ?? accountId, roleName);
        }

        /// <summary>The [sso-session] listed; null when the sign-in is a profile's own sso_start_url.</summary>
        public string SessionName { get; }
        public string StartUrl { get; }
        public string SsoRegion { get; }
        public string AccountId { get; }
        public string AccountName { get; }
        public string EmailAddress { get; }
        public string RoleName { get; }

        /// <summary>"&lt;account name&gt;-&lt;role name&gt;", lower case, with '-' for anything but letters, digits, '.'
        /// and '_': a name that needs no quoting in the config or on a command line.</summary>
        public string ProfileName { get; }

        internal static string SuggestName(string accountName, string roleName)
        {
            var sb = new StringBuilder();
            foreach (char c in ((accountName ?? string.Empty) + "-" + (roleName ?? string.Empty)).ToLowerInvariant())
            {
                bool plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
                if (plain) sb.Append(c);
                else if (sb.Length > 0 && sb[sb.Length - 1] != '-') sb.Append('-');
            }
            return sb.ToString().Trim('-');
        }

        public override string ToString() => AccountId + "/" + RoleName;
    }
}
