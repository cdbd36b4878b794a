using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsVault.Credentials;
using AwsVault.Engine;
using AwsVault.Sdk;
using AwsVault.Sso;
using AwsVault.Tests.SsoEmulator;
using AwsVault.Tests.Sts;
using Xunit;
using SsoPoll = AwsVault.Tests.Sts.Sso.SsoPoll;
using SsoUserDecision = AwsVault.Tests.Sts.Sso.SsoUserDecision;
using SsoWorld = AwsVault.Tests.Sts.Sso.SsoWorld;

namespace AwsVault.Tests.Sso
{
    /// <summary>
    /// The module's own SSO clients (AwsVault.Aws's SdkSsoOidcClient and SdkSsoPortalClient), loaded as the product
    /// loads them (PrivateDependencies.ClientFactory behind an EngineContext), against the emulated IAM Identity
    /// Center. Every call names its endpoint explicitly, so nothing here reads or changes process state: parallel.
    /// </summary>
    public class SdkSsoClientTests
    {
        private static readonly string[] AccessScope = { SsoWorld.AccessScope };

        private sealed class Rig : IDisposable
        {
            public Rig()
            {
                Sso = new EmulatedSso();
                Context = new EngineContext(PrivateDependencies.ClientFactory);
                // One attempt: a 4xx is not retried anyway, and counts of emulator calls stay exact.
                Endpoint = new SsoEndpoint("us-east-1", Sso.Endpoint, new StsRetryPolicy(StsRetryPolicy.Standard, 1, TimeSpan.FromSeconds(5), "the test"));
            }

            public EmulatedSso Sso { get; }
            public SsoWorld World => Sso.World;
            public EngineContext Context { get; }
            public ISsoOidcClient Oidc => Context.SsoOidc;
            public ISsoPortalClient Portal => Context.SsoPortal;
            public SsoEndpoint Endpoint { get; }

            public SsoClientRegistration RegisterDevice() =>
                Oidc.RegisterClient(Endpoint, new SsoClientRequest { ClientName = "awsvault-test", Scopes = AccessScope });

            public SsoClientRegistration RegisterPkce(string redirect) =>
                Oidc.RegisterClient(Endpoint, new SsoClientRequest
                {
                    ClientName = "awsvault-test",
                    Scopes = AccessScope,
                    GrantTypes = new[] { SsoTokenGrant.AuthorizationCodeType, SsoTokenGrant.RefreshTokenType },
                    RedirectUris = new[] { redirect },
                    IssuerUrl = EmulatedSso.StartUrl,
                });

            public SsoTokenResult SignIn()
            {
                var client = RegisterDevice();
                var device = Oidc.StartDeviceAuthorization(Endpoint, client, EmulatedSso.StartUrl);
                return Oidc.CreateToken(Endpoint, client, SsoTokenGrant.ForDeviceCode(device.DeviceCode));
            }

            /// <summary>The browser's part of the PKCE flow: GET /authorize, read the redirect without following it.</summary>
            public async Task<IDictionary<string, string>> Authorize(SsoClientRegistration client, string redirect, string verifier)
            {
                using var browser = EmulatedSso.Browser();
                var answer = await browser.GetAsync(Sso.AuthorizeUrl(client.ClientId, redirect, "state-1", EmulatedSso.Challenge(verifier)));
                Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
                Assert.Equal(redirect, answer.Headers.Location.GetLeftPart(UriPartial.Path));
                var query = EmulatedSso.Query(answer.Headers.Location);
                Assert.Equal("state-1", query["state"]);
                return query;
            }

            public void Dispose()
            {
                Context.Dispose();
                Sso.Dispose();
            }
        }

        /// <summary>The SsoCallException, checked to hold none of the secrets anywhere in its text (inner exceptions included).</summary>
        private static SsoCallException Fails(string code, int status, Action call, params string[] secrets)
        {
            var e = Assert.Throws<SsoCallException>(call);
            Assert.Equal((code, status), (e.Code, e.HttpStatus));
            NoSecretIn(e, secrets);
            return e;
        }

        private static void NoSecretIn(Exception e, params string[] secrets)
        {
            string text = e.ToString();
            foreach (string secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
            {
                Assert.DoesNotContain(secret, text);
            }
        }

        [Fact]
        public void ClientsAreTheModulesOwnLoadedIntoThePrivateContext()
        {
            using var rig = new Rig();

            Assert.Equal("AwsVault.Aws.SdkSsoOidcClient", rig.Oidc.GetType().FullName);
            Assert.Equal("AwsVault.Aws.SdkSsoPortalClient", rig.Portal.GetType().FullName);
            Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(rig.Oidc.GetType().Assembly));
            Assert.Same(rig.Oidc, rig.Context.SsoOidc);
            Assert.Same(rig.Portal, rig.Context.SsoPortal);
        }

        [Fact]
        public void RegisterClientReturnsIdSecretAndExpiry()
        {
            using var rig = new Rig();

            var client = rig.RegisterDevice();

            var registered = rig.World.Client(client.ClientId);
            Assert.NotNull(registered);
            Assert.Equal(registered.ClientSecret, client.ClientSecret);
            Assert.Equal(("public", "awsvault-test"), (registered.ClientType, registered.ClientName));
            Assert.Equal(AccessScope, registered.Scopes);
            Assert.Equal(registered.SecretExpiresAt.ToUnixTimeSeconds(), client.ExpiresAt.ToUnixTimeSeconds());
            Assert.InRange(client.ExpiresAt, DateTimeOffset.UtcNow.AddDays(90).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(90).AddMinutes(1));
            Assert.Equal(AccessScope, client.Scopes);
            Assert.DoesNotContain(client.ClientSecret, client.ToString());
        }

        [Fact]
        public void DeviceFlowIsPendingThenIssuesAToken()
        {
            using var rig = new Rig();
            rig.World.PendingPolls = 1;
            var client = rig.RegisterDevice();

            var device = rig.Oidc.StartDeviceAuthorization(rig.Endpoint, client, EmulatedSso.StartUrl);
            Assert.Matches("^[A-Z]{4}-[A-Z]{4}$", device.UserCode);
            Assert.StartsWith(rig.Sso.Endpoint.TrimEnd('/'), device.VerificationUri);
            Assert.Contains(device.UserCode, device.VerificationUriComplete);
            Assert.Equal((600, 1), (device.ExpiresInSeconds, device.IntervalSeconds));

            var grant = SsoTokenGrant.ForDeviceCode(device.DeviceCode);
            var pending = Fails("AuthorizationPendingException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, grant), client.ClientSecret, device.DeviceCode);
            Assert.False(pending.IsNetworkFailure);
            Assert.False(string.IsNullOrWhiteSpace(pending.Message));

            var token = rig.Oidc.CreateToken(rig.Endpoint, client, grant);

            var issued = rig.World.Token(token.AccessToken);
            Assert.NotNull(issued);
            Assert.Equal(issued.ExpiresAt.ToUnixTimeSeconds(), token.ExpiresAt.ToUnixTimeSeconds(), 2.0);
            Assert.Equal(new[] { "AuthorizationPendingException", null }, rig.World.CallsTo("CreateToken").Select(c => c.ErrorCode));
            Assert.DoesNotContain(token.AccessToken, token.ToString());
        }

        [Fact]
        public void SlowDownDeniedAndExpiredAreNamedByTheService()
        {
            using var rig = new Rig();
            var client = rig.RegisterDevice();
            var device = rig.Oidc.StartDeviceAuthorization(rig.Endpoint, client, EmulatedSso.StartUrl);
            var grant = SsoTokenGrant.ForDeviceCode(device.DeviceCode);

            rig.World.ScriptPolls(SsoPoll.SlowDown);
            Fails("SlowDownException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, grant), client.ClientSecret, device.DeviceCode);

            rig.World.DecideDevice(device.UserCode, approve: false);
            Fails("AccessDeniedException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, grant), client.ClientSecret, device.DeviceCode);

            var other = rig.Oidc.StartDeviceAuthorization(rig.Endpoint, client, EmulatedSso.StartUrl);
            rig.World.ExpireDeviceAuthorizations();
            Fails("ExpiredTokenException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, SsoTokenGrant.ForDeviceCode(other.DeviceCode)), client.ClientSecret, other.DeviceCode);
        }

        [Fact]
        public void AccessDeniedByTheUserDecision()
        {
            using var rig = new Rig();
            rig.World.Decision = SsoUserDecision.Deny;
            var client = rig.RegisterDevice();
            var device = rig.Oidc.StartDeviceAuthorization(rig.Endpoint, client, EmulatedSso.StartUrl);

            var denied = Fails("AccessDeniedException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, SsoTokenGrant.ForDeviceCode(device.DeviceCode)), client.ClientSecret, device.DeviceCode);
            Assert.False(denied.IsNetworkFailure);
        }

        [Fact]
        public async Task AuthorizationCodeWithPkceThenRefreshTokenGrant()
        {
            using var rig = new Rig();
            const string redirect = "http://127.0.0.1:54321/oauth/callback";
            var client = rig.RegisterPkce(redirect);
            var registered = rig.World.Client(client.ClientId);
            Assert.Equal(new[] { "authorization_code", "refresh_token" }, registered.GrantTypes);
            Assert.Equal(new[] { redirect }, registered.RedirectUris);
            Assert.Equal(EmulatedSso.StartUrl, registered.IssuerUrl);
            string verifier = EmulatedSso.NewVerifier();

            var code = (await rig.Authorize(client, redirect, verifier))["code"];
            var token = rig.Oidc.CreateToken(rig.Endpoint, client, SsoTokenGrant.ForAuthorizationCode(code, verifier, redirect));

            Assert.NotNull(token.RefreshToken);
            Assert.Equal(("authorization_code", client.ClientId), (rig.World.Token(token.AccessToken).GrantType, rig.World.Token(token.AccessToken).ClientId));

            // The same code again (spent), and a fresh code with the wrong verifier: invalid_grant, no secret in the text.
            Fails("InvalidGrantException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, SsoTokenGrant.ForAuthorizationCode(code, verifier, redirect)), client.ClientSecret, code, verifier);
            var second = (await rig.Authorize(client, redirect, verifier))["code"];
            string wrong = EmulatedSso.NewVerifier();
            Fails("InvalidGrantException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, SsoTokenGrant.ForAuthorizationCode(second, wrong, redirect)), client.ClientSecret, second, wrong, verifier);

            // Refresh: a new access token and a rotated refresh token; the old refresh token is then refused.
            var refreshed = rig.Oidc.CreateToken(rig.Endpoint, client, SsoTokenGrant.ForRefreshToken(token.RefreshToken, AccessScope));
            Assert.NotEqual(token.AccessToken, refreshed.AccessToken);
            Assert.NotNull(refreshed.RefreshToken);
            Assert.NotEqual(token.RefreshToken, refreshed.RefreshToken);
            Assert.Equal("refresh_token", rig.World.Token(refreshed.AccessToken).GrantType);
            var reused = Fails("InvalidGrantException", 400, () => rig.Oidc.CreateToken(rig.Endpoint, client, SsoTokenGrant.ForRefreshToken(token.RefreshToken)),
                client.ClientSecret, token.RefreshToken, token.AccessToken, refreshed.AccessToken, refreshed.RefreshToken);
            Assert.Contains("refresh token", reused.Message, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void WrongClientSecretIsInvalidClientWithoutTheSecretInTheMessage()
        {
            using var rig = new Rig();
            var client = rig.RegisterDevice();
            var forged = new SsoClientRegistration(client.ClientId, "forged-secret-" + Guid.NewGuid().ToString("N"), client.ExpiresAt);

            var e = Fails("InvalidClientException", 401, () => rig.Oidc.StartDeviceAuthorization(rig.Endpoint, forged, EmulatedSso.StartUrl), forged.ClientSecret, client.ClientSecret);
            Assert.False(e.IsNetworkFailure);

            rig.World.ExpireClient(client.ClientId);
            Fails("InvalidClientException", 401, () => rig.Oidc.StartDeviceAuthorization(rig.Endpoint, client, EmulatedSso.StartUrl), client.ClientSecret);
        }

        [Fact]
        public async Task GetRoleCredentialsReturnsKeysStsAccepts()
        {
            using var rig = new Rig();
            var token = rig.SignIn();
            long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            AwsCredentials creds = rig.Portal.GetRoleCredentials(rig.Endpoint, token.AccessToken, EmulatedSso.Dev, "Admin");

            Assert.Matches("^ASIA[A-Z2-7]{16}$", creds.AccessKeyId);
            Assert.NotNull(creds.SessionToken);
            var session = rig.World.Sts.Session(creds.AccessKeyId);
            Assert.Equal(session.Expiration.ToUnixTimeMilliseconds(), creds.Expiration.Value.ToUnixTimeMilliseconds());
            Assert.InRange(creds.Expiration.Value.ToUnixTimeMilliseconds(), before + 3600_000 - 2000, before + 3600_000 + 5000);
            Assert.True(rig.World.CallsTo("GetRoleCredentials").Single().SentBearerToken);

            using var sts = new AmazonSecurityTokenServiceClient(new SessionAWSCredentials(creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken),
                new AmazonSecurityTokenServiceConfig { ServiceURL = rig.Sso.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
            var id = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal(EmulatedSso.Dev, id.Account);
            Assert.EndsWith("/alice@example.com", id.Arn);

            // An unassigned role: the portal's 403, named.
            Fails("ForbiddenException", 403, () => rig.Portal.GetRoleCredentials(rig.Endpoint, token.AccessToken, EmulatedSso.Prod, "Admin"), token.AccessToken);
        }

        [Fact]
        public void ListAccountsFollowsNextTokenAcrossPages()
        {
            using var rig = new Rig();
            // Dev and Prod have roles (Empty has none); 22 more make 24: two pages of the portal's default 20.
            for (int i = 0; i < 22; i++)
            {
                string id = (400000000000L + i).ToString();
                rig.World.AddAccount(id, "Extra" + i, "extra" + i + "@example.com");
                rig.World.AssignRole(id, "ReadOnly");
            }
            var token = rig.SignIn();

            var pages = new List<SsoPage<SsoAccount>>();
            string next = null;
            do
            {
                var page = rig.Portal.ListAccounts(rig.Endpoint, token.AccessToken, next);
                pages.Add(page);
                next = page.NextToken;
            }
            while (next != null && pages.Count < 10);

            Assert.Equal(new[] { 20, 4 }, pages.Select(p => p.Items.Count));
            var all = pages.SelectMany(p => p.Items).ToList();
            Assert.Equal(rig.World.Accounts.Where(a => a.AccountId != EmulatedSso.Empty).Select(a => a.AccountId), all.Select(a => a.AccountId));
            var dev = all.First();
            Assert.Equal((EmulatedSso.Dev, "Dev", "dev@example.com"), (dev.AccountId, dev.AccountName, dev.EmailAddress));
        }

        [Fact]
        public void ListAccountRolesNamesTheAssignedRoles()
        {
            using var rig = new Rig();
            var token = rig.SignIn();

            var dev = rig.Portal.ListAccountRoles(rig.Endpoint, token.AccessToken, EmulatedSso.Dev, null);
            var empty = rig.Portal.ListAccountRoles(rig.Endpoint, token.AccessToken, EmulatedSso.Empty, null);

            Assert.Equal(new[] { "ReadOnly", "Admin" }, dev.Items.Select(r => r.RoleName));
            Assert.All(dev.Items, r => Assert.Equal(EmulatedSso.Dev, r.AccountId));
            Assert.Null(dev.NextToken);
            Assert.Empty(empty.Items);
        }

        [Fact]
        public void LogoutThenTheTokenIsUnauthorized()
        {
            using var rig = new Rig();
            var token = rig.SignIn();
            rig.Portal.GetRoleCredentials(rig.Endpoint, token.AccessToken, EmulatedSso.Dev, "ReadOnly");

            rig.Portal.Logout(rig.Endpoint, token.AccessToken);

            Assert.True(rig.World.Token(token.AccessToken).LoggedOut);
            var e = Fails("UnauthorizedException", 401, () => rig.Portal.GetRoleCredentials(rig.Endpoint, token.AccessToken, EmulatedSso.Dev, "ReadOnly"), token.AccessToken);
            Assert.False(e.IsNetworkFailure);
            Fails("UnauthorizedException", 401, () => rig.Portal.ListAccounts(rig.Endpoint, token.AccessToken, null), token.AccessToken);
        }

        [Fact]
        public void ExpiredAccessTokenIsUnauthorized()
        {
            using var rig = new Rig();
            var token = rig.SignIn();
            rig.World.ExpireAccessToken(token.AccessToken);

            Fails("UnauthorizedException", 401, () => rig.Portal.ListAccountRoles(rig.Endpoint, token.AccessToken, EmulatedSso.Dev, null), token.AccessToken);
        }

        [Fact]
        public void NetworkFailuresAreConnectionFailedOrTimeout()
        {
            using var rig = new Rig();
            var client = rig.RegisterDevice();

            var closed = new SsoEndpoint("us-east-1", "http://127.0.0.1:" + UnusedPort() + "/", rig.Endpoint.Retry);
            var refused = Fails("ConnectionFailed", 0, () => rig.Oidc.StartDeviceAuthorization(closed, client, EmulatedSso.StartUrl), client.ClientSecret);
            Assert.True(refused.IsNetworkFailure);

            var quick = new SsoEndpoint("us-east-1", rig.Sso.Endpoint, new StsRetryPolicy(StsRetryPolicy.Standard, 1, TimeSpan.FromSeconds(1), "the test"));
            rig.World.Faults.Enqueue("*", Fault.Silent());
            var silent = Fails("Timeout", 0, () => rig.Portal.ListAccounts(quick, "not-a-real-token-but-secret", null), "not-a-real-token-but-secret");
            Assert.True(silent.IsNetworkFailure);

            Fails("InvalidEndpoint", 0, () => rig.Oidc.RegisterClient(new SsoEndpoint("us-east-1", "file:///etc/passwd"), new SsoClientRequest { ClientName = "x" }));
        }

        [Fact]
        public void ServiceErrorsThatAreNotTheServicesAreUnexpectedResponses()
        {
            using var rig = new Rig();
            var token = rig.SignIn();

            rig.World.Faults.Enqueue("*", Fault.BadGateway());
            var gateway = Fails("UnexpectedResponse", 502, () => rig.Portal.ListAccounts(rig.Endpoint, token.AccessToken, null), token.AccessToken);
            Assert.False(gateway.IsNetworkFailure);
        }

        private static int UnusedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
