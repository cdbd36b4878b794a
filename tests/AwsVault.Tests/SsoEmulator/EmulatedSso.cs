using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using AwsVault.Tests.Sts;
using AwsVault.Tests.Sts.Sso;

namespace AwsVault.Tests.SsoEmulator
{
    /// <summary>
    /// One Identity Center world (and its STS world) and one running emulator per test. The user has
    /// ReadOnly and Admin in Dev (111111111111) and ReadOnly in Prod (222222222222); Empty (333333333333)
    /// has no role assigned, so the portal does not list it.
    /// </summary>
    internal sealed class EmulatedSso : IDisposable
    {
        public const string Dev = "111111111111";
        public const string Prod = "222222222222";
        public const string Empty = "333333333333";
        public const string StartUrl = SsoWorld.DefaultStartUrl;
        public const string Loopback = "http://127.0.0.1/oauth/callback";

        public EmulatedSso()
        {
            World = new SsoWorld();
            World.AddAccount(Dev, "Dev", "dev@example.com");
            World.AddAccount(Prod, "Prod", "prod@example.com");
            World.AddAccount(Empty, "Empty", "empty@example.com");
            World.AssignRole(Dev, "ReadOnly");
            World.AssignRole(Dev, "Admin");
            World.AssignRole(Prod, "ReadOnly");
            Server = StsServer.Start(World);
        }

        public SsoWorld World { get; }
        public StsServer Server { get; }
        public string Endpoint => Server.Endpoint.ToString();

        /// <summary>The SDK's SSO OIDC client: unsigned (anonymous), one attempt per call.</summary>
        public AmazonSSOOIDCClient Oidc()
            => new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        /// <summary>The SDK's SSO portal client: the access token goes in each request.</summary>
        public AmazonSSOClient Portal()
            => new AmazonSSOClient(new AnonymousAWSCredentials(), new AmazonSSOConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        /// <summary>As `aws sso login --use-device-code` registers: scopes, no grant types.</summary>
        public async Task<RegisterClientResponse> RegisterDeviceClient(AmazonSSOOIDCClient oidc)
            => await oidc.RegisterClientAsync(new RegisterClientRequest { ClientName = "botocore-client-test", ClientType = "public", Scopes = new List<string> { SsoWorld.AccessScope } });

        /// <summary>As `aws sso login` (PKCE) registers: authorization_code and refresh_token, a loopback redirect.</summary>
        public async Task<RegisterClientResponse> RegisterPkceClient(AmazonSSOOIDCClient oidc)
            => await oidc.RegisterClientAsync(new RegisterClientRequest
            {
                ClientName = "botocore-client-test",
                ClientType = "public",
                Scopes = new List<string> { SsoWorld.AccessScope },
                GrantTypes = new List<string> { "authorization_code", "refresh_token" },
                RedirectUris = new List<string> { Loopback },
                IssuerUrl = StartUrl,
            });

        /// <summary>The device flow with an approving user (the world's defaults): a fresh access token.</summary>
        public async Task<CreateTokenResponse> SignIn()
        {
            using var oidc = Oidc();
            var client = await RegisterDeviceClient(oidc);
            var device = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = StartUrl });
            return await oidc.CreateTokenAsync(new CreateTokenRequest
            {
                ClientId = client.ClientId,
                ClientSecret = client.ClientSecret,
                GrantType = SsoWorld.DeviceCodeGrant,
                DeviceCode = device.DeviceCode,
            });
        }

        /// <summary>An HttpClient that shows redirects instead of following them (the test's "browser").</summary>
        public static HttpClient Browser() => new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

        public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

        /// <summary>The URL `aws sso login` opens (botocore's AuthCodeFetcher parameters).</summary>
        public string AuthorizeUrl(string clientId, string redirectUri, string state, string challenge)
            => Endpoint.TrimEnd('/') + "/authorize?response_type=code&client_id=" + Uri.EscapeDataString(clientId)
               + "&redirect_uri=" + Uri.EscapeDataString(redirectUri) + "&state=" + Uri.EscapeDataString(state)
               + "&code_challenge_method=S256&scopes=" + Uri.EscapeDataString(SsoWorld.AccessScope)
               + "&code_challenge=" + Uri.EscapeDataString(challenge);

        public static IDictionary<string, string> Query(Uri uri)
            => uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public void Dispose() => Server.Dispose();
    }
}
