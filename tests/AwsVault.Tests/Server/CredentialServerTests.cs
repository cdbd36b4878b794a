using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsVault.Credentials;
using AwsVault.Server;
using Xunit;

namespace AwsVault.Tests.Server
{
    /// <summary>The ECS credentials endpoint over real HTTP on loopback, with the engine replaced by a function.</summary>
    public class CredentialServerTests
    {
        internal const string KeyId = "AKIAIOSFODNN7EXAMPLE";
        internal const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        internal const string SessionToken = "FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLESESSIONTOKEN+/=";
        internal static readonly DateTimeOffset Expiry = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

        internal static AwsCredentials Session() => new AwsCredentials(KeyId, Secret, SessionToken, Expiry);

        private static HttpClient Client() => new HttpClient(new HttpClientHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

        private static HttpRequestMessage Get(CredentialServer server, string token, Uri uri = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri ?? server.Uri);
            if (token != null) request.Headers.TryAddWithoutValidation("Authorization", token);
            return request;
        }

        private static async Task AssertRefused(CredentialServer server, HttpResponseMessage response, HttpStatusCode status)
        {
            Assert.Equal(status, response.StatusCode);
            string body = await response.Content.ReadAsStringAsync();
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()));
            Assert.DoesNotContain(Secret, body);
            Assert.DoesNotContain(SessionToken, body);
            Assert.DoesNotContain(KeyId, body);
            Assert.DoesNotContain(server.AuthorizationTokenText, body);
            Assert.DoesNotContain(server.AuthorizationTokenText, string.Join("\n", response.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value))));
        }

        [Fact]
        public async Task AnswersWithTheEnginesSessionAsContainerCredentials()
        {
            using var server = new CredentialServer(Session, _ => { });
            using var client = Client();

            using var response = await client.SendAsync(Get(server, server.AuthorizationTokenText));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType.MediaType);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(KeyId, json.GetProperty("AccessKeyId").GetString());
            Assert.Equal(Secret, json.GetProperty("SecretAccessKey").GetString());
            Assert.Equal(SessionToken, json.GetProperty("Token").GetString());
            Assert.Equal("2026-12-05T10:00:00Z", json.GetProperty("Expiration").GetString());
            Assert.Equal(1, server.RequestsServed);
            Assert.Equal("127.0.0.1", server.Uri.Host);
            Assert.Equal(server.Port, server.Uri.Port);
            Assert.Equal("/credentials", server.Uri.AbsolutePath);
            Assert.Matches("^[0-9a-f]{64}$", server.AuthorizationTokenText);
            using var secure = server.AuthorizationToken;
            Assert.Equal(64, secure.Length);
            Assert.True(secure.IsReadOnly());
        }

        [Fact]
        public async Task EachServerHasItsOwnTokenAndPort()
        {
            using var a = new CredentialServer(Session, _ => { });
            using var b = new CredentialServer(Session, _ => { });
            using var client = Client();

            Assert.NotEqual(a.AuthorizationTokenText, b.AuthorizationTokenText);
            Assert.NotEqual(a.Port, b.Port);
            using var response = await client.SendAsync(Get(a, b.AuthorizationTokenText));
            await AssertRefused(a, response, HttpStatusCode.Forbidden);
        }

        [Fact]
        public async Task NoTokenIsForbidden()
        {
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return Session(); }, _ => { });
            using var client = Client();

            using var response = await client.SendAsync(Get(server, null));

            await AssertRefused(server, response, HttpStatusCode.Forbidden);
            Assert.Equal(0, calls);
            Assert.Equal(0, server.RequestsServed);
            Assert.Equal(1, server.RequestsRefused);
        }

        [Theory]
        [InlineData("wrong")]
        [InlineData("")]
        [InlineData("Bearer TOKEN")]
        [InlineData("TOKENx")]
        public async Task WrongTokenIsForbidden(string pattern)
        {
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return Session(); }, _ => { });
            using var client = Client();
            string token = pattern.Replace("TOKEN", server.AuthorizationTokenText);
            // One wrong character, in the last place, is still wrong.
            string almost = server.AuthorizationTokenText.Substring(0, 63) + (server.AuthorizationTokenText[63] == 'a' ? 'b' : 'a');

            using var response = await client.SendAsync(Get(server, token));
            using var response2 = await client.SendAsync(Get(server, almost));

            await AssertRefused(server, response, HttpStatusCode.Forbidden);
            await AssertRefused(server, response2, HttpStatusCode.Forbidden);
            Assert.Equal(0, calls);
        }

        [Fact]
        public async Task ABrowserOriginIsForbiddenEvenWithTheToken()
        {
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return Session(); }, _ => { });
            using var client = Client();
            var request = Get(server, server.AuthorizationTokenText);
            request.Headers.Add("Origin", "http://evil.example");

            using var response = await client.SendAsync(request);

            await AssertRefused(server, response, HttpStatusCode.Forbidden);
            Assert.Equal(0, calls);
        }

        [Theory]
        [InlineData("evil.example:PORT", HttpStatusCode.NotFound)]
        [InlineData("127.0.0.1.nip.io:PORT", HttpStatusCode.NotFound)]
        [InlineData("localhost:PORT", HttpStatusCode.NotFound)]
        [InlineData("localhost:1", HttpStatusCode.NotFound)]
        [InlineData("127.0.0.1:1", HttpStatusCode.Forbidden)]
        public async Task AForeignHostIsRefusedEvenWithTheToken(string host, HttpStatusCode expected)
        {
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return Session(); }, _ => { });
            using var client = Client();
            var request = Get(server, server.AuthorizationTokenText);
            request.Headers.Host = host.Replace("PORT", server.Port.ToString());

            using var response = await client.SendAsync(request);

            // .NET's own listener routes by the Host's name (not its port) against its one 127.0.0.1 prefix and
            // answers 404 before our code runs (http.sys answers 400 "Invalid Hostname"); a wrong port reaches
            // the server's own check, which refuses with 403.
            Assert.Equal(expected, response.StatusCode);
            string body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(Secret, body);
            Assert.DoesNotContain(server.AuthorizationTokenText, body);
            Assert.Equal(0, calls);
        }

        [Theory]
        [InlineData("evil.example:PORT")]
        [InlineData("127.0.0.1.nip.io:PORT")]
        [InlineData("127.0.0.1:1")]
        [InlineData("LOCALHOST:1")]
        public async Task OnEveryAddressTheServerRefusesAForeignHostItself(string host)
        {
            // The wildcard prefix hands every Host to us, so here the refusal is the server's own.
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return Session(); }, _ => { }, IPAddress.Any);
            using var client = Client();
            var request = Get(server, server.AuthorizationTokenText);
            request.Headers.Host = host.Replace("PORT", server.Port.ToString());

            using var response = await client.SendAsync(request);

            await AssertRefused(server, response, HttpStatusCode.Forbidden);
            Assert.Equal(0, calls);
        }

        [Theory]
        [InlineData("127.0.0.1")]
        [InlineData("localhost")]
        [InlineData("LOCALHOST")]
        [InlineData("192.0.2.7")]
        public async Task OnEveryAddressLoopbackNamesAndAddressLiteralsOfThisPortAreAccepted(string name)
        {
            using var server = new CredentialServer(Session, _ => { }, IPAddress.Any);
            using var client = Client();
            var request = Get(server, server.AuthorizationTokenText);
            request.Headers.Host = name + ":" + server.Port;

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        [Fact]
        public async Task OnlyGetOnTheCredentialsPathIsAnswered()
        {
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return Session(); }, _ => { });
            using var client = Client();

            var post = new HttpRequestMessage(HttpMethod.Post, server.Uri) { Content = new StringContent("{}") };
            post.Headers.TryAddWithoutValidation("Authorization", server.AuthorizationTokenText);
            using var postResponse = await client.SendAsync(post);
            using var otherPath = await client.SendAsync(Get(server, server.AuthorizationTokenText, new Uri(server.Uri, "/credentials/extra")));
            using var root = await client.SendAsync(Get(server, server.AuthorizationTokenText, new Uri(server.Uri, "/")));

            await AssertRefused(server, postResponse, HttpStatusCode.MethodNotAllowed);
            Assert.Equal("GET", string.Join(",", postResponse.Content.Headers.Allow.Concat(postResponse.Headers.TryGetValues("Allow", out var v) ? v : Array.Empty<string>())));
            await AssertRefused(server, otherPath, HttpStatusCode.NotFound);
            await AssertRefused(server, root, HttpStatusCode.NotFound);
            Assert.Equal(0, calls);
        }

        [Fact]
        public async Task ConcurrentClientsAreEachAnsweredFromTheEngine()
        {
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return Session(); }, _ => { });
            const int clients = 8, perClient = 25;

            var statuses = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                using var client = Client();
                var codes = new HttpStatusCode[perClient];
                for (int i = 0; i < perClient; i++)
                {
                    using var response = await client.SendAsync(Get(server, server.AuthorizationTokenText));
                    var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    Assert.Equal(KeyId, json.GetProperty("AccessKeyId").GetString());
                    codes[i] = response.StatusCode;
                }
                return codes;
            })));

            Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(HttpStatusCode.OK, s));
            // No cache of its own: reuse is the engine's (SessionCache) decision, so expiry rules live in one place.
            Assert.Equal(clients * perClient, calls);
            Assert.Equal(clients * perClient, server.RequestsServed);
        }

        [Fact]
        public async Task AnEngineErrorIsJsonAndWarnedOnce()
        {
            var warnings = new ConcurrentQueue<string>();
            const string message = "Profile 'prod' needs an MFA code and no one can be asked. Pass -MfaToken or configure mfa_process.";
            using var server = new CredentialServer(
                () => throw new AwsVaultException(ErrorIds.MfaTokenRequired, ErrorCategory.AuthenticationError, message, "prod"),
                warnings.Enqueue);
            using var client = Client();

            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.SendAsync(Get(server, server.AuthorizationTokenText))));

            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
                var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("MfaTokenRequired", json.GetProperty("code").GetString());
                Assert.Equal(message, json.GetProperty("message").GetString());
                response.Dispose();
            }
            string warning = Assert.Single(warnings);
            Assert.Contains(message, warning);
            Assert.Contains("MfaTokenRequired", warning);
            Assert.DoesNotContain(server.AuthorizationTokenText, warning);
            Assert.Equal(0, server.RequestsServed);
            Assert.Equal(10, server.RequestsRefused);
        }

        [Fact]
        public async Task ASecondKindOfErrorAndAFailureAfterASuccessAreWarnedAgain()
        {
            var warnings = new ConcurrentQueue<string>();
            int call = 0;
            using var server = new CredentialServer(() =>
            {
                switch (Interlocked.Increment(ref call))
                {
                    case 1: case 2: throw new AwsVaultException(ErrorIds.StsConnectionFailed, ErrorCategory.ConnectionError, "STS could not be reached.");
                    case 3: throw new AwsVaultException(ErrorIds.MfaTokenRequired, ErrorCategory.AuthenticationError, "An MFA code is needed.");
                    case 4: return Session();
                    default: throw new AwsVaultException(ErrorIds.StsConnectionFailed, ErrorCategory.ConnectionError, "STS could not be reached.");
                }
            }, warnings.Enqueue);
            using var client = Client();

            var codes = new[] { 0, 1, 2, 3, 4 }.Select(_ => client.SendAsync(Get(server, server.AuthorizationTokenText)).GetAwaiter().GetResult().StatusCode).ToArray();

            Assert.Equal(new[] { 500, 500, 500, 200, 500 }, codes.Select(c => (int)c).ToArray());
            Assert.Equal(new[] { "StsConnectionFailed", "MfaTokenRequired", "StsConnectionFailed" },
                warnings.Select(w => w.Contains("(StsConnectionFailed)") ? "StsConnectionFailed" : w.Contains("(MfaTokenRequired)") ? "MfaTokenRequired" : w).ToArray());
            await Task.CompletedTask;
        }

        [Fact]
        public async Task AnUnexpectedEngineFailureShowsOnlyItsType()
        {
            var warnings = new ConcurrentQueue<string>();
            using var server = new CredentialServer(() => throw new InvalidOperationException("secret " + Secret), warnings.Enqueue);
            using var client = Client();

            using var response = await client.SendAsync(Get(server, server.AuthorizationTokenText));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            string body = await response.Content.ReadAsStringAsync();
            Assert.Equal("InvalidOperationException", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
            Assert.DoesNotContain(Secret, body);
            Assert.DoesNotContain(Secret, Assert.Single(warnings));
        }

        [Fact]
        public async Task ALongLivedKeyIsNotServed()
        {
            var warnings = new ConcurrentQueue<string>();
            using var server = new CredentialServer(() => new AwsCredentials(KeyId, Secret), warnings.Enqueue);
            using var client = Client();

            using var response = await client.SendAsync(Get(server, server.AuthorizationTokenText));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            string body = await response.Content.ReadAsStringAsync();
            Assert.Equal("CredentialServerLongLivedKeyRefused", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
            Assert.DoesNotContain(Secret, body);
            Assert.DoesNotContain(KeyId, body);
            Assert.Single(warnings);
        }

        [Fact]
        public async Task ASlowEngineCallDoesNotStopOtherRequests()
        {
            using var release = new ManualResetEventSlim();
            int calls = 0;
            using var server = new CredentialServer(() =>
            {
                if (Interlocked.Increment(ref calls) == 1) release.Wait(TimeSpan.FromSeconds(20));
                return Session();
            }, _ => { });
            using var client = Client();

            var slow = client.SendAsync(Get(server, server.AuthorizationTokenText));
            SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1, TimeSpan.FromSeconds(10));
            var watch = Stopwatch.StartNew();
            using var refused = await client.SendAsync(Get(server, null));
            using var second = await client.SendAsync(Get(server, server.AuthorizationTokenText));
            watch.Stop();

            Assert.False(slow.IsCompleted);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
            release.Set();
            using var slowResponse = await slow;
            Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
        }

        [Fact]
        public async Task DisposeClosesThePortAndEndsTheLoop()
        {
            var server = new CredentialServer(Session, _ => { });
            int port = server.Port;
            using (var client = Client())
            {
                using var response = await client.SendAsync(Get(server, server.AuthorizationTokenText));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            server.Dispose();
            server.Dispose();

            Assert.True(server.AcceptLoopTask.IsCompleted);
            using (var tcp = new TcpClient())
            {
                var e = Assert.ThrowsAny<SocketException>(() => tcp.Connect(IPAddress.Loopback, port));
                Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
            }
            Assert.Equal(1, server.RequestsServed);
        }

        [Fact]
        public async Task DisposeLetsARequestInFlightFinish()
        {
            using var entered = new ManualResetEventSlim();
            var server = new CredentialServer(() =>
            {
                entered.Set();
                Thread.Sleep(1000);
                return Session();
            }, _ => { });
            using var client = Client();

            var pending = client.SendAsync(Get(server, server.AuthorizationTokenText));
            Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
            var watch = Stopwatch.StartNew();
            server.Dispose();
            watch.Stop();

            using var response = await pending;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
            Assert.True(server.AcceptLoopTask.IsCompleted);
        }

        [Fact]
        public void ATakenPortFailsWithAnErrorId()
        {
            using var first = new CredentialServer(Session, _ => { });

            var e = Assert.Throws<AwsVaultException>(() => new CredentialServer(Session, _ => { }, IPAddress.Loopback, first.Port));

            Assert.Equal(ErrorIds.CredentialServerStartFailed, e.ErrorId);
            Assert.Contains(first.Port.ToString(), e.Message);
        }

        [Fact]
        public void ANonLoopbackAddressIsWarnedAbout()
        {
            var warnings = new ConcurrentQueue<string>();
            using var server = new CredentialServer(Session, warnings.Enqueue, IPAddress.Any);

            Assert.Contains("not only on loopback", Assert.Single(warnings));
            Assert.Equal("127.0.0.1", server.Uri.Host);
        }

        [Fact]
        public void ALoopbackServerDoesNotWarn()
        {
            var warnings = new ConcurrentQueue<string>();
            using var server = new CredentialServer(Session, warnings.Enqueue);
            Assert.Empty(warnings);
        }

        [Fact]
        public void ConstantTimeComparesWholeArrays()
        {
            Assert.True(ConstantTime.BytesEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 }));
            Assert.True(ConstantTime.BytesEqual(Array.Empty<byte>(), Array.Empty<byte>()));
            Assert.False(ConstantTime.BytesEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 4 }));
            Assert.False(ConstantTime.BytesEqual(new byte[] { 0, 2, 3 }, new byte[] { 1, 2, 3 }));
            Assert.False(ConstantTime.BytesEqual(new byte[] { 1, 2 }, new byte[] { 1, 2, 3 }));
            Assert.False(ConstantTime.BytesEqual(null, new byte[] { 1 }));
            Assert.False(ConstantTime.BytesEqual(new byte[] { 1 }, null));
        }
    }
}
