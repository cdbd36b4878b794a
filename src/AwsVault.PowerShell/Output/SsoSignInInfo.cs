using System;

namespace AwsVault.Output
{
    /// <summary>An IAM Identity Center sign-in, as Connect-AwsVaultSso -PassThru reports it: where and until when,
    /// never a token.</summary>
    public sealed class SsoSignInInfo
    {
        internal SsoSignInInfo(string sessionName, string startUrl, string region, DateTimeOffset expiresAt)
        {
            SessionName = sessionName;
            StartUrl = startUrl;
            Region = region;
            ExpiresAt = expiresAt.UtcDateTime;
        }

        /// <summary>The [sso-session] signed in to; null for a profile's own sso_start_url (the legacy form).</summary>
        public string SessionName { get; }
        public string StartUrl { get; }

        /// <summary>sso_region: where the sign-in was made.</summary>
        public string Region { get; }

        /// <summary>When the access token expires (UTC); a refreshable sign-in is renewed without a browser after that.</summary>
        public DateTime ExpiresAt { get; }

        public override string ToString() => "Signed in to " + (SessionName ?? StartUrl) + " until " + ExpiresAt.ToString("u") + ".";
    }
}
