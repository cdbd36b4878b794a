using AwsVault.Credentials;

namespace AwsVault.Sso
{
    /// <summary>Where an SSO call goes: the sso_region and, when configured, an explicit endpoint URL
    /// (AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL, or endpoint_url).</summary>
    internal sealed class SsoEndpoint
    {
        public SsoEndpoint(string region, string endpointUrl, StsRetryPolicy retry = null)
        {
            Region = region;
            EndpointUrl = string.IsNullOrEmpty(endpointUrl) ? null : endpointUrl;
            Retry = retry ?? StsRetryPolicy.Default;
        }

        public string Region { get; }

        /// <summary>Null for AWS's own endpoint in <see cref="Region"/>.</summary>
        public string EndpointUrl { get; }

        /// <summary>Attempts, retry mode and per-attempt timeout, as for STS (AWS_MAX_ATTEMPTS / max_attempts, ...):
        /// the same SDK settings govern every AWS call the module makes.</summary>
        public StsRetryPolicy Retry { get; }

        public string Describe(string service) => EndpointUrl ?? "https://" + service + "." + Region + ".amazonaws.com";
    }
}
