namespace AwsVault.Sso
{
    /// <summary>The name a sign-in is kept under: the sso-session name, or the start URL for a profile that has
    /// sso_start_url itself (the AWS CLI names its cache files the same way, by the SHA-1 of this string).</summary>
    internal static class SsoTokenKey
    {
        public static string For(string ssoSessionName, string startUrl) =>
            string.IsNullOrEmpty(ssoSessionName) ? startUrl : ssoSessionName;
    }
}
