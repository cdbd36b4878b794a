using System;

namespace AwsVault.Sso
{
    /// <summary>One sign-in's state: the tokens and the client registration that can refresh them. Every string
    /// but the start URL and region is a secret.</summary>
    internal sealed class SsoStoredToken
    {
        public string StartUrl { get; set; }
        public string Region { get; set; }
        public string AccessToken { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }

        /// <summary>Null when the grant gave none (device code on a legacy profile, or a token from the AWS CLI's
        /// legacy cache).</summary>
        public string RefreshToken { get; set; }

        /// <summary>Null when not known (a token read from the AWS CLI's legacy cache).</summary>
        public SsoClientRegistration Registration { get; set; }

        public bool IsValidAt(DateTimeOffset now, TimeSpan margin) => !string.IsNullOrEmpty(AccessToken) && ExpiresAt - margin > now;

        public bool CanRefreshAt(DateTimeOffset now) =>
            !string.IsNullOrEmpty(RefreshToken) && Registration != null && Registration.ExpiresAt > now;

        public override string ToString() => "SSO token for " + StartUrl + " (expires " + ExpiresAt.ToString("u") + ")";
    }
}
