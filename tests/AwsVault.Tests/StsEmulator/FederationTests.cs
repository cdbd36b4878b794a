using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.SecurityToken.Model;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sts;
using Xunit;

namespace AwsVault.Tests.StsEmulator
{
    /// <summary>The console federation endpoint: getSigninToken, then the login URL a browser would open.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class FederationTests
    {
        private static string SessionJson(string id, string key, string token)
            => JsonSerializer.Serialize(new { sessionId = id, sessionKey = key, sessionToken = token });

        private static async Task<(HttpStatusCode Status, string Body)> GetSigninToken(EmulatedSts sts, string sessionJson, int? sessionDuration = null)
        {
            using var http = new HttpClient { BaseAddress = sts.Server.Endpoint };
            string url = "/federation?Action=getSigninToken" + (sessionDuration.HasValue ? "&SessionDuration=" + sessionDuration : "") + "&Session=" + Uri.EscapeDataString(sessionJson);
            using var response = await http.GetAsync(url);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        private static Task<(HttpStatusCode Status, string Body)> GetSigninToken(EmulatedSts sts, Amazon.SecurityToken.Model.Credentials c, int? sessionDuration = null)
            => GetSigninToken(sts, SessionJson(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), sessionDuration);

        private static async Task<Amazon.SecurityToken.Model.Credentials> Federated(EmulatedSts sts)
        {
            using var alice = sts.AliceClient();
            return (await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "alice-console" })).Credentials;
        }

        [Fact]
        public async Task FederatedSessionGetsASigninTokenThatLogsIn()
        {
            using var sts = new EmulatedSts();
            var creds = await Federated(sts);

            var (status, body) = await GetSigninToken(sts, creds);

            Assert.Equal(HttpStatusCode.OK, status);
            string token = JsonDocument.Parse(body).RootElement.GetProperty("SigninToken").GetString();
            Assert.True(token.Length > 100);
            Assert.Equal(creds.AccessKeyId, sts.World.SigninTokenFor(token).AccessKeyId);
            Assert.Null(sts.World.SigninTokenFor("not-issued"));
            var call = Assert.Single(sts.World.FederationCalls);
            Assert.Equal("getSigninToken", call.Action);
            Assert.Equal(creds.AccessKeyId, call.SessionAccessKeyId);
            Assert.Equal(token, call.SigninToken);
            Assert.True(call.Succeeded);
            Assert.DoesNotContain(creds.SecretAccessKey, JsonSerializer.Serialize(sts.World.FederationCalls));

            // The login URL as aws-vault builds it; the emulator redirects to the Destination as the console would.
            using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sts.Server.Endpoint };
            string destination = "https://console.aws.amazon.com/";
            using var login = await noRedirect.GetAsync("/federation?Action=login&Issuer=aws-vault&Destination=" + Uri.EscapeDataString(destination) + "&SigninToken=" + Uri.EscapeDataString(token));
            Assert.Equal(HttpStatusCode.Found, login.StatusCode);
            Assert.Equal(destination, login.Headers.Location.ToString());
            var loginCall = sts.World.FederationCalls.Last();
            Assert.Equal("login", loginCall.Action);
            Assert.Equal("aws-vault", loginCall.Issuer);
            Assert.Equal(creds.AccessKeyId, loginCall.SessionAccessKeyId);

            using var bad = await noRedirect.GetAsync("/federation?Action=login&Issuer=x&Destination=" + Uri.EscapeDataString(destination) + "&SigninToken=forged");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        [Fact]
        public async Task RoleSessionMayAskForASessionDurationAndFederatedMayNot()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var role = (await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "console" })).Credentials;

            var (status, body) = await GetSigninToken(sts, role, 43200);
            Assert.Equal(HttpStatusCode.OK, status);
            string token = JsonDocument.Parse(body).RootElement.GetProperty("SigninToken").GetString();
            Assert.Equal(43200, sts.World.SigninTokenGrant(token).SessionDuration);
            Assert.True(sts.World.SigninTokenFor(token).IsRoleSession);

            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, role, 43201)).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, role, 899)).Status);
            var fed = await Federated(sts);
            (status, body) = await GetSigninToken(sts, fed, 3600);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("SessionDuration", body);
            Assert.Equal(3600, sts.World.FederationCalls.Last().SessionDuration);
        }

        [Fact]
        public async Task GetSessionTokenCredentialsAreRefused()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var gst = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = sts.AliceCode() })).Credentials;

            var (status, body) = await GetSigninToken(sts, gst);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("GetSessionToken", body);
            var call = Assert.Single(sts.World.FederationCalls);
            Assert.False(call.Succeeded);
            Assert.Null(call.SigninToken);
        }

        [Fact]
        public async Task WrongSecretWrongTokenUnknownExpiredAndMalformedSessionsAreRefused()
        {
            using var sts = new EmulatedSts();
            var c = await Federated(sts);

            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, SessionJson(c.AccessKeyId, EmulatedSts.AliceSecret, c.SessionToken))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, SessionJson(c.AccessKeyId, c.SecretAccessKey, "AQoDYXdzEJr"))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, SessionJson("ASIAUNKNOWNUNKNOWN22", c.SecretAccessKey, c.SessionToken))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, SessionJson(EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, "x"))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, "{not json")).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await GetSigninToken(sts, "{\"sessionId\":\"" + c.AccessKeyId + "\"}")).Status);
            sts.World.ExpireSession(c.AccessKeyId);
            var (status, body) = await GetSigninToken(sts, c);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("expired", body);

            Assert.Equal(7, sts.World.FederationCalls.Count(f => !f.Succeeded));
            Assert.Empty(sts.World.FederationCalls.Where(f => f.SigninToken != null));
        }

        [Fact]
        public async Task FaultsTargetGetSigninTokenAndControlEndpointsShowTheCalls()
        {
            using var sts = new EmulatedSts();
            var c = await Federated(sts);
            sts.World.Faults.Enqueue("getSigninToken", Fault.ServerError(503));

            var (status, _) = await GetSigninToken(sts, c);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            var (ok, body) = await GetSigninToken(sts, c);
            Assert.Equal(HttpStatusCode.OK, ok);
            string token = JsonDocument.Parse(body).RootElement.GetProperty("SigninToken").GetString();

            using var http = new HttpClient { BaseAddress = sts.Server.Endpoint };
            using (var calls = JsonDocument.Parse(await http.GetStringAsync("/_emulator/federation/calls")))
            {
                var list = calls.RootElement.EnumerateArray().ToArray();
                Assert.Equal(2, list.Length);
                Assert.Equal("ServerError", list[0].GetProperty("injectedFault").GetString());
                Assert.Equal(token, list[1].GetProperty("signinToken").GetString());
            }
            using (var grant = JsonDocument.Parse(await http.GetStringAsync("/_emulator/federation/tokens/" + Uri.EscapeDataString(token))))
            {
                Assert.Equal(c.AccessKeyId, grant.RootElement.GetProperty("accessKeyId").GetString());
                Assert.Equal("GetFederationToken", grant.RootElement.GetProperty("issuedBy").GetString());
            }
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/_emulator/federation/calls")).StatusCode);
            Assert.Empty(sts.World.FederationCalls);
        }
    }
}
