using System;
using System.Collections.Generic;

namespace AwsVault.Sso
{
    /// <summary>
    /// The IAM Identity Center OIDC calls (service sso-oauth) sign-in needs, in the module's own types, so no
    /// AWSSDK type crosses into the module (as with IStsClient). Failures are thrown as <see cref="SsoCallException"/>
    /// whose Code is the service's error name (AuthorizationPendingException, SlowDownException, ...).
    /// </summary>
    internal interface ISsoOidcClient
    {
        SsoClientRegistration RegisterClient(SsoEndpoint endpoint, SsoClientRequest request);

        SsoDeviceAuthorization StartDeviceAuthorization(SsoEndpoint endpoint, SsoClientRegistration client, string startUrl);

        SsoTokenResult CreateToken(SsoEndpoint endpoint, SsoClientRegistration client, SsoTokenGrant grant);
    }

    /// <summary>What RegisterClient is asked for: a public client, the grant types it will use and, for the
    /// authorization-code flow, its loopback redirect and the start URL as issuer.</summary>
    internal sealed class SsoClientRequest
    {
        public string ClientName { get; set; }
        public IReadOnlyList<string> Scopes { get; set; }
        public IReadOnlyList<string> GrantTypes { get; set; }
        public IReadOnlyList<string> RedirectUris { get; set; }
        public string IssuerUrl { get; set; }
    }

    /// <summary>A registered OIDC client. The secret is a secret: kept only in the vault.</summary>
    internal sealed class SsoClientRegistration
    {
        public SsoClientRegistration(string clientId, string clientSecret, DateTimeOffset expiresAt, IReadOnlyList<string> scopes = null)
        {
            ClientId = clientId ?? throw new ArgumentNullException(nameof(clientId));
            ClientSecret = clientSecret ?? throw new ArgumentNullException(nameof(clientSecret));
            ExpiresAt = expiresAt.ToUniversalTime();
            Scopes = scopes ?? Array.Empty<string>();
        }

        public string ClientId { get; }
        public string ClientSecret { get; }
        public DateTimeOffset ExpiresAt { get; }
        public IReadOnlyList<string> Scopes { get; }

        public override string ToString() => "client " + ClientId;
    }

    internal sealed class SsoDeviceAuthorization
    {
        public string DeviceCode { get; set; }
        public string UserCode { get; set; }
        public string VerificationUri { get; set; }
        public string VerificationUriComplete { get; set; }
        public int ExpiresInSeconds { get; set; }
        public int IntervalSeconds { get; set; }
    }

    /// <summary>One CreateToken grant: device code, authorization code with its PKCE verifier, or refresh token.</summary>
    internal sealed class SsoTokenGrant
    {
        public const string DeviceCodeType = "urn:ietf:params:oauth:grant-type:device_code";
        public const string AuthorizationCodeType = "authorization_code";
        public const string RefreshTokenType = "refresh_token";

        private SsoTokenGrant(string grantType) => GrantType = grantType;

        public string GrantType { get; }
        public string DeviceCode { get; private set; }
        public string Code { get; private set; }
        public string CodeVerifier { get; private set; }
        public string RedirectUri { get; private set; }
        public string RefreshToken { get; private set; }
        public IReadOnlyList<string> Scopes { get; private set; }

        public static SsoTokenGrant ForDeviceCode(string deviceCode) => new SsoTokenGrant(DeviceCodeType) { DeviceCode = deviceCode };

        public static SsoTokenGrant ForAuthorizationCode(string code, string codeVerifier, string redirectUri) =>
            new SsoTokenGrant(AuthorizationCodeType) { Code = code, CodeVerifier = codeVerifier, RedirectUri = redirectUri };

        public static SsoTokenGrant ForRefreshToken(string refreshToken, IReadOnlyList<string> scopes = null) =>
            new SsoTokenGrant(RefreshTokenType) { RefreshToken = refreshToken, Scopes = scopes };
    }

    /// <summary>CreateToken's answer. The tokens are secrets: kept only in the vault, never in text.</summary>
    internal sealed class SsoTokenResult
    {
        public SsoTokenResult(string accessToken, DateTimeOffset expiresAt, string refreshToken)
        {
            AccessToken = accessToken ?? throw new ArgumentNullException(nameof(accessToken));
            ExpiresAt = expiresAt.ToUniversalTime();
            RefreshToken = string.IsNullOrEmpty(refreshToken) ? null : refreshToken;
        }

        public string AccessToken { get; }
        public DateTimeOffset ExpiresAt { get; }
        public string RefreshToken { get; }

        public override string ToString() => "SSO access token (expires " + ExpiresAt.ToString("u") + ")";
    }
}
