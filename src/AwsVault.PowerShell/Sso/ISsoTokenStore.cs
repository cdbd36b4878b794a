namespace AwsVault.Sso
{
    /// <summary>
    /// Where AwsVault keeps what an IAM Identity Center sign-in leaves: the access and refresh tokens and the OIDC
    /// client registration, encrypted in the user's vault (the file vault or SecretManagement), never in a
    /// plaintext file of ours. Keyed by <see cref="SsoTokenKey"/>: the sso-session name, or the start URL for the
    /// legacy form (what the AWS CLI names its cache file after).
    /// </summary>
    internal interface ISsoTokenStore
    {
        /// <summary>The stored token, or null when there is none.</summary>
        SsoStoredToken Get(string tokenKey);

        void Set(string tokenKey, SsoStoredToken token);

        /// <summary>True when something was removed.</summary>
        bool Remove(string tokenKey);
    }
}
