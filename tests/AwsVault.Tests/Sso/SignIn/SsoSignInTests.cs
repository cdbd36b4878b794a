using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using AwsVault.Sso;
using Xunit;

namespace AwsVault.Tests.Sso.SignIn
{
    /// <summary>The order of SsoSignIn.GetToken (vault, refresh, AWS CLI cache, non-interactive, sign-in) and both
    /// sign-in flows, against a fake OIDC client, an in-memory store, an instant clock and a browser that clicks on
    /// the real loopback listener.</summary>
    public class SsoSignInTests
    {
        private const string Key = "corp";
        private const string StartUrl = "https://corp.awsapps.com/start";

        private sealed class World
        {
            public readonly FakeClock Clock = new FakeClock();
            public readonly FakeOidc Oidc;
            public readonly MemoryTokenStore Store = new MemoryTokenStore();
            public readonly FakeBrowser Browser = new FakeBrowser();
            public readonly List<string> Host = new List<string>();
            public readonly List<string> Verbose = new List<string>();
            public readonly List<string> Errors = new List<string>();

            public World() => Oidc = new FakeOidc(() => Clock.UtcNow);

            public DateTimeOffset Now => Clock.UtcNow;

            public SsoSignInRequest Request(Action<SsoSignInRequest> change = null)
            {
                var r = new SsoSignInRequest
                {
                    TokenKey = Key,
                    StartUrl = StartUrl,
                    Scopes = new[] { "sso:account:access" },
                    Endpoint = new SsoEndpoint("eu-west-1", null),
                    ConnectCommand = "Connect-AwsVaultSso -ProfileName dev",
                    WriteHost = Host.Add,
                    WriteVerbose = Verbose.Add,
                    BrowserTimeout = TimeSpan.FromSeconds(10),
                };
                change?.Invoke(r);
                return r;
            }

            public SsoStoredToken Run(SsoSignInRequest request = null) =>
                new SsoSignIn(Oidc, Store, Browser, Clock).GetToken(request ?? Request());

            public AwsVaultException Fails(SsoSignInRequest request = null)
            {
                var e = Assert.Throws<AwsVaultException>(() => Run(request));
                Errors.Add(e.ToString());
                return e;
            }

            public SsoClientRegistration Registration(TimeSpan life) =>
                new SsoClientRegistration("client-stored", Secrets.ClientSecret, Now + life);

            public void Stored(TimeSpan tokenLife, string refresh = Secrets.RefreshToken, SsoClientRegistration registration = null) =>
                Store.Tokens[Key] = new SsoStoredToken
                {
                    StartUrl = StartUrl, Region = "eu-west-1", AccessToken = Secrets.AccessToken, ExpiresAt = Now + tokenLife,
                    RefreshToken = refresh, Registration = registration ?? Registration(TimeSpan.FromDays(30)),
                };

            public SsoTokenResult NewToken() => new SsoTokenResult(Secrets.NewAccessToken, Now.AddHours(8), Secrets.NewRefreshToken);

            public void AssertNoSecretLeaked()
            {
                foreach (string text in Host.Concat(Verbose).Concat(Errors))
                {
                    foreach (string secret in Secrets.All)
                    {
                        Assert.DoesNotContain(secret, text);
                    }
                }
            }
        }

        [Fact]
        public void AValidStoredTokenIsUsedWithoutAnyCall()
        {
            var w = new World();
            w.Stored(TimeSpan.FromHours(1));
            var token = w.Run();
            Assert.Equal(Secrets.AccessToken, token.AccessToken);
            Assert.Empty(w.Oidc.Calls);
            Assert.Empty(w.Browser.Opened);
            Assert.Equal(0, w.Store.Writes);
            w.AssertNoSecretLeaked();
        }

        [Theory]
        [InlineData(-60)] // expired an hour ago
        [InlineData(3)]   // still valid, but inside the 5-minute margin
        public void AnExpiringRefreshableTokenIsRefreshedOnceAndTheRotatedTokenStored(int minutesLeft)
        {
            var w = new World();
            w.Stored(TimeSpan.FromMinutes(minutesLeft));
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            var token = w.Run(w.Request(r => r.WhyNotInteractive = "CI is set to 'true'")); // a refresh needs nobody
            Assert.Equal(new[] { "CreateToken:refresh_token" }, w.Oidc.Calls);
            Assert.Equal(Secrets.RefreshToken, w.Oidc.Grants.Single().RefreshToken);
            Assert.Equal("client-stored", w.Oidc.GrantClients.Single().ClientId);
            var stored = w.Store.Tokens[Key];
            Assert.Same(stored, token);
            Assert.Equal(Secrets.NewAccessToken, stored.AccessToken);
            Assert.Equal(Secrets.NewRefreshToken, stored.RefreshToken);
            Assert.Equal("client-stored", stored.Registration.ClientId);
            w.AssertNoSecretLeaked();
        }

        [Fact]
        public void ARefreshWithoutANewRefreshTokenKeepsTheOldOne()
        {
            var w = new World();
            w.Stored(TimeSpan.FromMinutes(-1));
            w.Oidc.TokenAnswers.Enqueue(new SsoTokenResult(Secrets.NewAccessToken, w.Now.AddHours(1), null));
            w.Run();
            Assert.Equal(Secrets.RefreshToken, w.Store.Tokens[Key].RefreshToken);
        }

        [Fact]
        public void ARefusedRefreshFallsThroughToSignInWithTheStoredRegistration()
        {
            var w = new World();
            w.Stored(TimeSpan.FromMinutes(-1));
            w.Browser.WhyNot = "no display";
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("InvalidGrantException"));
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            var token = w.Run();
            Assert.Equal(new[] { "CreateToken:refresh_token", "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
            Assert.Equal(Secrets.NewAccessToken, token.AccessToken);
            Assert.Equal(Secrets.NewAccessToken, w.Store.Tokens[Key].AccessToken);
            w.AssertNoSecretLeaked();
        }

        [Fact]
        public void ARefusedRefreshWithoutAPersonNamesTheRefusal()
        {
            var w = new World();
            w.Stored(TimeSpan.FromMinutes(-1));
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("InvalidGrantException"));
            var e = w.Fails(w.Request(r => r.WhyNotInteractive = "AWS_VAULT_PROMPT is 'none'"));
            Assert.Equal(ErrorIds.SsoSignInRequired, e.ErrorId);
            Assert.Contains("refresh was refused (InvalidGrantException)", e.Message);
            Assert.Equal(new[] { "CreateToken:refresh_token" }, w.Oidc.Calls);
        }

        [Fact]
        public void AValidAwsCliTokenIsUsedAndNotCopiedIntoTheVault()
        {
            var w = new World();
            var cli = new SsoStoredToken { StartUrl = StartUrl, AccessToken = "CLI-TOKEN", ExpiresAt = w.Now.AddHours(1) };
            var token = w.Run(w.Request(r => { r.ReadAwsCliCache = () => cli; r.WhyNotInteractive = "CI is set to 'true'"; }));
            Assert.Same(cli, token);
            Assert.Empty(w.Oidc.Calls);
            Assert.Equal(0, w.Store.Writes);
        }

        [Fact]
        public void AnExpiredAwsCliTokenOrOneOfAnotherStartUrlIsNotUsed()
        {
            var w = new World();
            var expired = new SsoStoredToken { StartUrl = StartUrl, AccessToken = "CLI-TOKEN", ExpiresAt = w.Now.AddMinutes(2) };
            var other = new SsoStoredToken { StartUrl = "https://other.awsapps.com/start", AccessToken = "CLI-TOKEN", ExpiresAt = w.Now.AddHours(1) };
            foreach (var cli in new[] { expired, other })
            {
                var e = w.Fails(w.Request(r => { r.ReadAwsCliCache = () => cli; r.WhyNotInteractive = "CI is set to 'true'"; }));
                Assert.Equal(ErrorIds.SsoSignInRequired, e.ErrorId);
            }
        }

        [Fact]
        public void WithoutAPersonAndWithoutATokenSignInFailsAtOnceNamingConnectAwsVaultSso()
        {
            var w = new World();
            var watch = Stopwatch.StartNew();
            var e = w.Fails(w.Request(r => r.WhyNotInteractive = "CI is set to 'true'; AWS_VAULT_PROMPT=terminal allows prompts anyway"));
            watch.Stop();
            Assert.Equal(ErrorIds.SsoSignInRequired, e.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.AuthenticationError, e.Category);
            Assert.Contains("Connect-AwsVaultSso -ProfileName dev", e.Message);
            Assert.Contains("the vault holds no token", e.Message);
            Assert.Contains("CI is set to 'true'", e.Message);
            Assert.Empty(w.Oidc.Calls);
            Assert.Empty(w.Browser.Opened);
            Assert.Empty(w.Clock.Sleeps);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
        }

        [Fact]
        public void WithoutAPersonAnExpiredUnrefreshableTokenSaysWhyItCannotBeRefreshed()
        {
            var w = new World();
            w.Stored(TimeSpan.FromMinutes(-5), refresh: null);
            var e = w.Fails(w.Request(r => { r.WhyNotInteractive = "PowerShell was started with -NonInteractive"; r.ConnectCommand = "Connect-AwsVaultSso -SessionName corp"; }));
            Assert.Equal(ErrorIds.SsoSignInRequired, e.ErrorId);
            Assert.Contains("cannot be refreshed (there is no refresh token)", e.Message);
            Assert.Contains("Connect-AwsVaultSso -SessionName corp", e.Message);
            Assert.Empty(w.Oidc.Calls);

            w.Stored(TimeSpan.FromMinutes(-5), registration: w.Registration(TimeSpan.FromDays(-1)));
            e = w.Fails(w.Request(r => r.WhyNotInteractive = "the PowerShell host has no user interface"));
            Assert.Contains("the client registration expired", e.Message);
            Assert.Empty(w.Oidc.Calls);
            w.AssertNoSecretLeaked();
        }

        [Fact]
        public void TheBrowserSignInUsesPkceAndTheLoopbackRedirect()
        {
            var w = new World();
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            var token = w.Run();

            Assert.Equal(new[] { "RegisterClient", "CreateToken:authorization_code" }, w.Oidc.Calls);
            var reg = w.Oidc.Registrations.Single();
            Assert.Equal(new[] { "http://127.0.0.1/oauth/callback" }, reg.RedirectUris);
            Assert.Contains("authorization_code", reg.GrantTypes);
            Assert.Contains("refresh_token", reg.GrantTypes);
            Assert.Equal(StartUrl, reg.IssuerUrl);

            var q = w.Browser.LastQuery();
            Assert.StartsWith("https://oidc.eu-west-1.amazonaws.com/authorize?", w.Browser.Opened.Single());
            Assert.Equal("code", q["response_type"]);
            Assert.Equal("client-1", q["client_id"]);
            Assert.Equal("S256", q["code_challenge_method"]);
            Assert.Equal("sso:account:access", q["scopes"]);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/oauth/callback$", q["redirect_uri"]);

            var grant = w.Oidc.Grants.Single();
            Assert.Equal("AUTHCODE-1", grant.Code);
            Assert.Equal(q["redirect_uri"], grant.RedirectUri);
            Assert.InRange(grant.CodeVerifier.Length, 43, 128);
            Assert.Equal(q["code_challenge"], Pkce.ChallengeFor(grant.CodeVerifier));
            Assert.DoesNotContain(grant.CodeVerifier, w.Browser.Opened.Single());

            Assert.Equal(HttpStatusCode.OK, w.Browser.Callback.Result.StatusCode);
            Assert.Contains("You can close this window", w.Browser.Callback.Result.Content.ReadAsStringAsync().Result);
            Assert.Equal(Secrets.NewAccessToken, w.Store.Tokens[Key].AccessToken);
            Assert.Equal("client-1", w.Store.Tokens[Key].Registration.ClientId);
            Assert.Same(w.Store.Tokens[Key], token);
            Assert.Empty(w.Clock.Sleeps);
            w.AssertNoSecretLeaked();
        }

        [Fact]
        public void TheBrowserSignInRefusesAWrongState()
        {
            var w = new World();
            w.Browser.StateOverride = "not-the-state";
            var e = w.Fails();
            Assert.Equal(ErrorIds.SsoSignInFailed, e.ErrorId);
            Assert.Contains("state", e.Message);
            Assert.Equal(new[] { "RegisterClient" }, w.Oidc.Calls);
            Assert.Equal(HttpStatusCode.BadRequest, w.Browser.Callback.Result.StatusCode);
        }

        [Fact]
        public void TheBrowserSignInDeniedByTheUser()
        {
            var w = new World();
            w.Browser.Error = "access_denied";
            var e = w.Fails();
            Assert.Equal(ErrorIds.SsoSignInDenied, e.ErrorId);
            Assert.Equal(new[] { "RegisterClient" }, w.Oidc.Calls);
        }

        [Fact]
        public void TheBrowserSignInGivesUpAfterItsTimeout()
        {
            var w = new World();
            w.Browser.Click = false;
            var watch = Stopwatch.StartNew();
            var e = w.Fails(w.Request(r => r.BrowserTimeout = TimeSpan.FromMilliseconds(300)));
            Assert.Equal(ErrorIds.SsoSignInExpired, e.ErrorId);
            Assert.Contains("-UseDeviceCode", e.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        }

        [Fact]
        public void ABrowserThatDoesNotStartFallsBackToTheDeviceCode()
        {
            var w = new World();
            w.Browser.StartFails = true;
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run();
            Assert.Equal(new[] { "RegisterClient", "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
            Assert.Contains(w.Host, h => h.Contains("ABCD-EFGH"));
        }

        [Fact]
        public void TheDeviceCodePollsThroughPendingAndShowsTheUserCode()
        {
            var w = new World();
            w.Browser.WhyNot = "this is an SSH session without a display";
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("AuthorizationPendingException"));
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("AuthorizationPendingException"));
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            var token = w.Run();
            Assert.Equal(new[] { "RegisterClient", "StartDeviceAuthorization", "CreateToken:device_code", "CreateToken:device_code", "CreateToken:device_code" }, w.Oidc.Calls);
            Assert.All(w.Oidc.Grants, g => Assert.Equal(Secrets.DeviceCode, g.DeviceCode));
            Assert.Equal(new[] { 5.0, 5.0, 5.0 }, w.Clock.Sleeps.Select(s => s.TotalSeconds));
            string shown = string.Join("\n", w.Host);
            Assert.Contains("ABCD-EFGH", shown);
            Assert.Contains("https://device.sso.eu-west-1.amazonaws.com/", shown);
            Assert.Empty(w.Browser.Opened);
            Assert.Equal(Secrets.NewAccessToken, token.AccessToken);
            Assert.Equal(Secrets.NewAccessToken, w.Store.Tokens[Key].AccessToken);
            w.AssertNoSecretLeaked();
        }

        [Fact]
        public void UseDeviceCodeOpensTheVerificationPageWhenABrowserCan()
        {
            var w = new World();
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run(w.Request(r => r.UseDeviceCode = true));
            Assert.Equal(new[] { "RegisterClient", "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
            Assert.Equal(new[] { w.Oidc.Device.VerificationUriComplete }, w.Browser.Opened);
        }

        [Fact]
        public void SlowDownAddsFiveSecondsToTheInterval()
        {
            var w = new World();
            w.Browser.WhyNot = "no display";
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("SlowDownException"));
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("AuthorizationPendingException"));
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("SlowDownException"));
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run();
            Assert.Equal(new[] { 5.0, 10.0, 10.0, 15.0 }, w.Clock.Sleeps.Select(s => s.TotalSeconds));
        }

        [Theory]
        [InlineData("ExpiredTokenException", nameof(ErrorIds.SsoSignInExpired))]
        [InlineData("AccessDeniedException", nameof(ErrorIds.SsoSignInDenied))]
        [InlineData("InvalidClientException", nameof(ErrorIds.SsoSignInFailed))]
        public void TheDeviceCodeStopsOnAFinalAnswer(string code, string errorId)
        {
            var w = new World();
            w.Browser.WhyNot = "no display";
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("AuthorizationPendingException"));
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error(code));
            var e = w.Fails();
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(2, w.Oidc.Calls.Count(c => c == "CreateToken:device_code"));
            Assert.False(w.Store.Tokens.ContainsKey(Key));
            w.AssertNoSecretLeaked();
        }

        [Fact]
        public void TheDeviceCodeStopsPollingWhenItsLifetimeIsOver()
        {
            var w = new World();
            w.Browser.WhyNot = "no display";
            w.Oidc.Device.ExpiresInSeconds = 12;
            for (int i = 0; i < 10; i++) w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("AuthorizationPendingException"));
            var e = w.Fails();
            Assert.Equal(ErrorIds.SsoSignInExpired, e.ErrorId);
            Assert.Equal(3, w.Oidc.Calls.Count(c => c == "CreateToken:device_code")); // at 5, 10 and 15 s
        }

        [Fact]
        public void TheRegistrationIsReusedUntilItExpiresThenRenewed()
        {
            var w = new World();
            w.Browser.WhyNot = "no display";
            w.Stored(TimeSpan.FromHours(1), registration: w.Registration(TimeSpan.FromDays(10)));
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run(w.Request(r => r.ForceSignIn = true));
            Assert.Equal(new[] { "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
            Assert.Equal("client-stored", w.Store.Tokens[Key].Registration.ClientId);

            w.Oidc.Calls.Clear();
            w.Stored(TimeSpan.FromHours(1), registration: w.Registration(TimeSpan.FromMinutes(10))); // inside the 15-minute margin
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run(w.Request(r => r.ForceSignIn = true));
            Assert.Equal(new[] { "RegisterClient", "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
            Assert.Equal("client-1", w.Store.Tokens[Key].Registration.ClientId);
            Assert.Equal("client-1", w.Oidc.GrantClients.Last().ClientId);
        }

        [Fact]
        public void ARefusedClientIsRegisteredAgainBeforeSignIn()
        {
            var w = new World();
            w.Browser.WhyNot = "no display";
            w.Stored(TimeSpan.FromMinutes(-1));
            w.Oidc.TokenAnswers.Enqueue(FakeOidc.Error("InvalidClientException"));
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run();
            Assert.Equal(new[] { "CreateToken:refresh_token", "RegisterClient", "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
        }

        [Fact]
        public void AStoredTokenOfAnotherStartUrlIsNotUsed()
        {
            var w = new World();
            w.Stored(TimeSpan.FromHours(1));
            w.Store.Tokens[Key].StartUrl = "https://old.awsapps.com/start";
            var e = w.Fails(w.Request(r => r.WhyNotInteractive = "CI is set to 'true'"));
            Assert.Equal(ErrorIds.SsoSignInRequired, e.ErrorId);
            Assert.Empty(w.Oidc.Calls);

            w.Browser.WhyNot = "no display";
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run();
            Assert.Equal(new[] { "RegisterClient", "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
            Assert.Equal(StartUrl, w.Store.Tokens[Key].StartUrl);
        }

        [Fact]
        public void ARegistrationForOtherScopesIsRenewed()
        {
            var w = new World();
            w.Browser.WhyNot = "no display";
            w.Store.Tokens[Key] = new SsoStoredToken
            {
                StartUrl = StartUrl, AccessToken = Secrets.AccessToken, ExpiresAt = w.Now.AddMinutes(-1),
                Registration = new SsoClientRegistration("client-stored", Secrets.ClientSecret, w.Now.AddDays(30), new[] { "sso:other" }),
            };
            w.Oidc.TokenAnswers.Enqueue(w.NewToken());
            w.Run();
            Assert.Equal(new[] { "RegisterClient", "StartDeviceAuthorization", "CreateToken:device_code" }, w.Oidc.Calls);
        }

        [Fact]
        public void StoppingTheCommandEndsTheDeviceCodeWait()
        {
            var w = new World();
            w.Browser.WhyNot = "no display";
            using var stop = new System.Threading.CancellationTokenSource();
            stop.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => w.Run(w.Request(r => r.Cancellation = stop.Token)));
            Assert.Equal(new[] { "RegisterClient", "StartDeviceAuthorization" }, w.Oidc.Calls);
            Assert.False(w.Store.Tokens.ContainsKey(Key));
        }

        [Fact]
        public void ANetworkFailureIsAConnectionErrorWithoutSecrets()
        {
            var w = new World();
            w.Stored(TimeSpan.FromMinutes(-1));
            w.Oidc.TokenAnswers.Enqueue(new SsoCallException("ConnectionFailed", "Connection refused", 0, isNetworkFailure: true));
            var e = w.Fails();
            Assert.Equal(ErrorIds.SsoSignInFailed, e.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, e.Category);
            Assert.Contains("https://oidc.eu-west-1.amazonaws.com", e.Message);
            w.AssertNoSecretLeaked();
        }
    }
}
