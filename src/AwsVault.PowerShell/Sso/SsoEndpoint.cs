namespace AwsVault.Sso
{
    /// <summary>Where an SSO call goes: the sso_region and, when configured, an explicit endpoint URL
    /// (AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL, or endpoint_url).</summary>
    internal sealed class SsoEndpoint
    {
        public SsoEndpoint(string region, string endpointUrl)
        {
            Region = region;
            EndpointUrl = string.IsNullOrEmpty(endpointUrl) ? null : endpointUrl;
        }

        public string Region { get; }

        /// <summary>Null for AWS's own endpoint in <see cref="Region"/>.</summary>
        public string EndpointUrl { get; }

        public string Describe(string service) => EndpointUrl ?? "https://" + service + "." + Region + ".amazonaws.com";
    }
}
