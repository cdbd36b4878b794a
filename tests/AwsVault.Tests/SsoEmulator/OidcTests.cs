using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Amazon.SSOOIDC.Model;
using AwsVault.Tests.Sts.Sso;
using Xunit;

namespace AwsVault.Tests.SsoEmulator
{
    /// <summary>SSO OIDC (sso-oauth) driven by AWSSDK.SSOOIDC: registration, the device flow, PKCE, refresh.</summary>
    public class OidcTests
    {
        [Fact]
        public async Task RegisterClientIssuesAPublicClientForNinetyDays()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

            var r = await sso.RegisterDeviceClient(oidc);

            Assert.Matches("^[A-Za-z0-9_-]{22}$", r.ClientId);
            Assert.StartsWith("eyJ", r.ClientSecret);
            Assert.InRange(r.ClientIdIssuedAt.Value, before - 1, before + 5);
            Assert.Equal(r.ClientIdIssuedAt.Value + 90 * 86400, r.ClientSecretExpiresAt.Value);
            var kept = sso.World.Client(r.ClientId);
            Assert.Equal("botocore-client-test", kept.ClientName);
            Assert.Equal(new[] { SsoWorld.AccessScope }, kept.Scopes);
            var call = Assert.Single(sso.World.Calls);
            Assert.Equal(("sso-oauth", "RegisterClient", 200, r.ClientId), (call.Service, call.Action, call.HttpStatus, call.ClientId));
        }

        [Fact]
        public async Task DeviceFlowIsPendingThenSlowDownThenIssuesTokens()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            var client = await sso.RegisterDeviceClient(oidc);
            var device = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = EmulatedSso.StartUrl });
            Assert.Matches("^[B-Z]{4}-[B-Z]{4}$", device.UserCode);
            Assert.Equal(sso.Endpoint + "device", device.VerificationUri);
            Assert.Equal(device.VerificationUri + "?user_code=" + device.UserCode, device.VerificationUriComplete);
            Assert.Equal(600, device.ExpiresIn);
            Assert.Equal(1, device.Interval);
            sso.World.ScriptPolls(SsoPoll.Pending, SsoPoll.SlowDown);
            var poll = new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = SsoWorld.DeviceCodeGrant, DeviceCode = device.DeviceCode };

            var pending = await Assert.ThrowsAsync<AuthorizationPendingException>(() => oidc.CreateTokenAsync(poll));
            var slow = await Assert.ThrowsAsync<SlowDownException>(() => oidc.CreateTokenAsync(poll));
            var token = await oidc.CreateTokenAsync(poll);

            Assert.Equal(("AuthorizationPendingException", HttpStatusCode.BadRequest, "authorization_pending"), (pending.ErrorCode, pending.StatusCode, pending.Error));
            Assert.Equal(("SlowDownException", HttpStatusCode.BadRequest, "slow_down"), (slow.ErrorCode, slow.StatusCode, slow.Error));
            Assert.StartsWith("aoa", token.AccessToken);
            Assert.Equal("Bearer", token.TokenType);
            Assert.Equal(8 * 3600, token.ExpiresIn);
            Assert.StartsWith("aor", token.RefreshToken);
            Assert.Equal(client.ClientId, sso.World.Token(token.AccessToken).ClientId);
            var polls = sso.World.CallsTo("CreateToken");
            Assert.Equal(new[] { "AuthorizationPendingException", "SlowDownException", null }, polls.Select(c => c.ErrorCode));
            Assert.All(polls, c => Assert.Equal(SsoWorld.DeviceCodeGrant, c.GrantType));
            // The device code is spent.
            await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(poll));
        }

        [Fact]
        public async Task DeviceFlowApprovesAfterPendingPollsOrWhenTheVerificationPageIsVisited()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            using var browser = EmulatedSso.Browser();
            var client = await sso.RegisterDeviceClient(oidc);
            var device = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = EmulatedSso.StartUrl });
            var poll = new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = SsoWorld.DeviceCodeGrant, DeviceCode = device.DeviceCode };
            sso.World.PendingPolls = 1000;

            await Assert.ThrowsAsync<AuthorizationPendingException>(() => oidc.CreateTokenAsync(poll));
            var page = await browser.GetAsync(device.VerificationUriComplete);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Request approved", await page.Content.ReadAsStringAsync());
            var token = await oidc.CreateTokenAsync(poll);

            Assert.NotNull(token.AccessToken);
            Assert.Equal(2, sso.World.DeviceAuthorizations.Single().Polls);
        }

        [Fact]
        public async Task DeviceFlowDeniedExpiredAndTooFastAreTheServiceErrors()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            var client = await sso.RegisterDeviceClient(oidc);
            async Task<CreateTokenRequest> Start()
            {
                var d = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = EmulatedSso.StartUrl });
                return new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = SsoWorld.DeviceCodeGrant, DeviceCode = d.DeviceCode };
            }

            sso.World.Decision = SsoUserDecision.Deny;
            var denied = await Assert.ThrowsAsync<AccessDeniedException>(async () => await oidc.CreateTokenAsync(await Start()));
            Assert.Equal("access_denied", denied.Error);

            sso.World.Decision = SsoUserDecision.Ignore;
            var ignored = await Start();
            await Assert.ThrowsAsync<AuthorizationPendingException>(() => oidc.CreateTokenAsync(ignored));
            sso.World.ExpireDeviceAuthorizations();
            var expired = await Assert.ThrowsAsync<ExpiredTokenException>(() => oidc.CreateTokenAsync(ignored));
            Assert.Equal("expired_token", expired.Error);

            sso.World.Decision = SsoUserDecision.Approve;
            sso.World.PendingPolls = 5;
            sso.World.EnforcePollInterval = true;
            // A long interval, so a loaded machine cannot make the second poll late enough to be allowed.
            sso.World.PollIntervalSeconds = 30;
            var fast = await Start();
            await Assert.ThrowsAsync<AuthorizationPendingException>(() => oidc.CreateTokenAsync(fast));
            await Assert.ThrowsAsync<SlowDownException>(() => oidc.CreateTokenAsync(fast));
            Assert.Equal(35, sso.World.DeviceAuthorizations.Single(d => d.DeviceCode == fast.DeviceCode).Interval);
        }

        [Fact]
        public async Task WrongOrExpiredClientSecretIsInvalidClient401()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            var client = await sso.RegisterDeviceClient(oidc);

            var wrong = await Assert.ThrowsAsync<InvalidClientException>(() => oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret + "x", StartUrl = EmulatedSso.StartUrl }));
            sso.World.ExpireClient(client.ClientId);
            var expired = await Assert.ThrowsAsync<InvalidClientException>(() => oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = EmulatedSso.StartUrl }));

            Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client"), (wrong.StatusCode, wrong.Error));
            Assert.Equal("Client credentials have expired", expired.Error_description);
            Assert.Equal("InvalidClientException", sso.World.Calls.Last().ErrorCode);
        }

        [Fact]
        public async Task AuthorizationCodeWithPkceRedirectsWithCodeAndStateAndChecksTheVerifier()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            using var browser = EmulatedSso.Browser();
            var client = await sso.RegisterPkceClient(oidc);
            const string redirect = "http://127.0.0.1:54321/oauth/callback";
            string verifier = EmulatedSso.NewVerifier();

            var answer = await browser.GetAsync(sso.AuthorizeUrl(client.ClientId, redirect, "state-1", EmulatedSso.Challenge(verifier)));
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            var location = answer.Headers.Location;
            Assert.Equal(redirect, location.GetLeftPart(UriPartial.Path));
            var q = EmulatedSso.Query(location);
            Assert.Equal("state-1", q["state"]);

            var token = await oidc.CreateTokenAsync(new CreateTokenRequest
            {
                ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "authorization_code",
                Code = q["code"], CodeVerifier = verifier, RedirectUri = redirect,
            });
            Assert.StartsWith("aoa", token.AccessToken);
            Assert.StartsWith("aor", token.RefreshToken);
            Assert.Equal(new[] { SsoWorld.AccessScope }, sso.World.Token(token.AccessToken).Scopes);

            // A second code, redeemed with the wrong verifier: refused, and the code is spent.
            var again = EmulatedSso.Query((await browser.GetAsync(sso.AuthorizeUrl(client.ClientId, redirect, "state-2", EmulatedSso.Challenge(verifier)))).Headers.Location);
            var bad = new CreateTokenRequest
            {
                ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "authorization_code",
                Code = again["code"], CodeVerifier = EmulatedSso.NewVerifier(), RedirectUri = redirect,
            };
            var refused = await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(bad));
            Assert.Equal(("invalid_grant", HttpStatusCode.BadRequest), (refused.Error, refused.StatusCode));
            bad.CodeVerifier = verifier;
            await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(bad));

            // A third, redeemed with another redirect URI than the one authorized.
            var third = EmulatedSso.Query((await browser.GetAsync(sso.AuthorizeUrl(client.ClientId, redirect, "state-3", EmulatedSso.Challenge(verifier)))).Headers.Location);
            var otherRedirect = await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(new CreateTokenRequest
            {
                ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "authorization_code",
                Code = third["code"], CodeVerifier = verifier, RedirectUri = "http://127.0.0.1:54322/oauth/callback",
            }));
            Assert.Contains("Redirect URI", otherRedirect.Error_description);
        }

        [Fact]
        public async Task AuthorizeDeniedRedirectsWithAccessDeniedAndAnUnregisteredRedirectIsNeverFollowed()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            using var browser = EmulatedSso.Browser();
            var client = await sso.RegisterPkceClient(oidc);
            string challenge = EmulatedSso.Challenge(EmulatedSso.NewVerifier());

            sso.World.Decision = SsoUserDecision.Deny;
            var denied = await browser.GetAsync(sso.AuthorizeUrl(client.ClientId, "http://127.0.0.1:40000/oauth/callback", "s", challenge));
            var foreign = await browser.GetAsync(sso.AuthorizeUrl(client.ClientId, "http://evil.example/oauth/callback", "s", challenge));

            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            var q = EmulatedSso.Query(denied.Headers.Location);
            Assert.Equal(("access_denied", "s"), (q["error"], q["state"]));
            Assert.False(q.ContainsKey("code"));
            Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
            Assert.Null(foreign.Headers.Location);
            Assert.Equal("InvalidRedirectUriException", sso.World.CallsTo("Authorize").Last().ErrorCode);
        }

        [Fact]
        public async Task RefreshTokensRotateAndEachIsGoodOnce()
        {
            using var sso = new EmulatedSso();
            using var oidc = sso.Oidc();
            var client = await sso.RegisterDeviceClient(oidc);
            var device = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = EmulatedSso.StartUrl });
            var first = await oidc.CreateTokenAsync(new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = SsoWorld.DeviceCodeGrant, DeviceCode = device.DeviceCode });
            var refresh = new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "refresh_token", RefreshToken = first.RefreshToken };

            var second = await oidc.CreateTokenAsync(refresh);
            var reuse = await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(refresh));
            var third = await oidc.CreateTokenAsync(new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "refresh_token", RefreshToken = second.RefreshToken });

            Assert.NotEqual(first.AccessToken, second.AccessToken);
            Assert.NotEqual(first.RefreshToken, second.RefreshToken);
            Assert.NotEqual(second.RefreshToken, third.RefreshToken);
            Assert.Equal("Invalid refresh token provided", reuse.Error_description);
            Assert.Equal("refresh_token", sso.World.Token(third.AccessToken).GrantType);
            using var portal = sso.Portal();
            var accounts = await portal.ListAccountsAsync(new Amazon.SSO.Model.ListAccountsRequest { AccessToken = third.AccessToken });
            Assert.Equal(2, accounts.AccountList.Count);
        }
    }
}
