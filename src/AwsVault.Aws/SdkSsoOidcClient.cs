using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using AwsVault.Sso;

namespace AwsVault.Aws
{
    /// <summary>ISsoOidcClient over AWSSDK.SSOOIDC (service sso-oauth). Created by <see cref="AwsClientFactory"/>;
    /// failures are <see cref="SsoCallException"/>s named by the service's error (see <see cref="SsoCalls"/>).</summary>
    internal sealed class SdkSsoOidcClient : ISsoOidcClient
    {
        public SsoClientRegistration RegisterClient(SsoEndpoint endpoint, SsoClientRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var sdkRequest = new RegisterClientRequest
            {
                ClientName = request.ClientName,
                // Public: a CLI cannot keep a secret from its user; the only type the service takes.
                ClientType = "public",
            };
            if (request.Scopes != null && request.Scopes.Count > 0) sdkRequest.Scopes = request.Scopes.ToList();
            if (request.GrantTypes != null && request.GrantTypes.Count > 0) sdkRequest.GrantTypes = request.GrantTypes.ToList();
            if (request.RedirectUris != null && request.RedirectUris.Count > 0) sdkRequest.RedirectUris = request.RedirectUris.ToList();
            if (!string.IsNullOrEmpty(request.IssuerUrl)) sdkRequest.IssuerUrl = request.IssuerUrl;

            RegisterClientResponse response = Call(endpoint, (c, t) => c.RegisterClientAsync(sdkRequest, t));
            if (string.IsNullOrEmpty(response.ClientId) || string.IsNullOrEmpty(response.ClientSecret)) throw SsoCalls.Incomplete("clientId or clientSecret");
            if (!response.ClientSecretExpiresAt.HasValue) throw SsoCalls.Incomplete("clientSecretExpiresAt");
            return new SsoClientRegistration(response.ClientId, response.ClientSecret,
                DateTimeOffset.FromUnixTimeSeconds(response.ClientSecretExpiresAt.Value), request.Scopes);
        }

        public SsoDeviceAuthorization StartDeviceAuthorization(SsoEndpoint endpoint, SsoClientRegistration client, string startUrl)
        {
            if (client == null) throw new ArgumentNullException(nameof(client));
            var request = new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = startUrl };
            StartDeviceAuthorizationResponse response = Call(endpoint, (c, t) => c.StartDeviceAuthorizationAsync(request, t), client.ClientSecret);
            if (string.IsNullOrEmpty(response.DeviceCode) || string.IsNullOrEmpty(response.UserCode)) throw SsoCalls.Incomplete("deviceCode or userCode");
            return new SsoDeviceAuthorization
            {
                DeviceCode = response.DeviceCode,
                UserCode = response.UserCode,
                VerificationUri = response.VerificationUri,
                VerificationUriComplete = response.VerificationUriComplete,
                ExpiresInSeconds = response.ExpiresIn ?? 0,
                // RFC 8628: 5 s when the server names no interval.
                IntervalSeconds = response.Interval ?? 5,
            };
        }

        public SsoTokenResult CreateToken(SsoEndpoint endpoint, SsoClientRegistration client, SsoTokenGrant grant)
        {
            if (client == null) throw new ArgumentNullException(nameof(client));
            if (grant == null) throw new ArgumentNullException(nameof(grant));
            var request = new CreateTokenRequest
            {
                ClientId = client.ClientId,
                ClientSecret = client.ClientSecret,
                GrantType = grant.GrantType,
            };
            switch (grant.GrantType)
            {
                case SsoTokenGrant.DeviceCodeType:
                    request.DeviceCode = grant.DeviceCode;
                    break;
                case SsoTokenGrant.AuthorizationCodeType:
                    request.Code = grant.Code;
                    request.CodeVerifier = grant.CodeVerifier;
                    request.RedirectUri = grant.RedirectUri;
                    break;
                case SsoTokenGrant.RefreshTokenType:
                    request.RefreshToken = grant.RefreshToken;
                    if (grant.Scopes != null && grant.Scopes.Count > 0) request.Scope = grant.Scopes.ToList();
                    break;
            }
            DateTimeOffset asked = DateTimeOffset.UtcNow;
            string[] secrets = { client.ClientSecret, grant.DeviceCode, grant.Code, grant.CodeVerifier, grant.RefreshToken };
            CreateTokenResponse response = Call(endpoint, (c, t) => c.CreateTokenAsync(request, t), secrets);
            if (string.IsNullOrEmpty(response.AccessToken)) throw SsoCalls.Incomplete("accessToken");
            if (!response.ExpiresIn.HasValue) throw SsoCalls.Incomplete("expiresIn");
            // Counted from when the call was made: a slow reply makes the token look shorter-lived, never longer.
            return new SsoTokenResult(response.AccessToken, asked.AddSeconds(response.ExpiresIn.Value), response.RefreshToken);
        }

        private static T Call<T>(SsoEndpoint endpoint, Func<AmazonSSOOIDCClient, CancellationToken, Task<T>> call, params string[] secrets) =>
            SsoCalls.Call<AmazonSSOOIDCClient, AmazonSSOOIDCConfig, T>(
                endpoint, "oidc", (credentials, config) => new AmazonSSOOIDCClient(credentials, config), call, secrets);
    }
}
