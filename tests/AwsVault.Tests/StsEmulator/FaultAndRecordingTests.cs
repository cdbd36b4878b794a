using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Amazon.SecurityToken.Model;
using AwsVault.Tests.Sts;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.StsEmulator
{
    [Collection(ProcessEnvironment.Name)]
    public class FaultAndRecordingTests
    {
        [Fact]
        public async Task ThrottleIsRetriedBySdkAndEveryAttemptIsRecorded()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("GetCallerIdentity", Fault.Throttle());
            using var noRetry = sts.AliceClient();
            using var withRetry = sts.AliceClient(maxErrorRetry: 2);

            var e = await SdkAssert.Fails("Throttling", 400, () => noRetry.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            Assert.Equal("Rate exceeded", e.Message);

            sts.World.Faults.Enqueue("GetCallerIdentity", Fault.Throttle());
            await withRetry.GetCallerIdentityAsync(new GetCallerIdentityRequest());

            var calls = sts.World.Calls;
            Assert.Equal(new[] { 400, 400, 200 }, calls.Select(c => c.HttpStatus).ToArray());
            Assert.Equal(new[] { "Throttle", "Throttle", null }, calls.Select(c => c.InjectedFault).ToArray());
            Assert.Equal(0, sts.World.Faults.Pending);
        }

        [Theory]
        [InlineData(500, "InternalFailure")]
        [InlineData(503, "ServiceUnavailable")]
        public async Task ServerErrorsCarryTheirStatusAndReceiverType(int status, string code)
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("*", Fault.ServerError(status));
            using var alice = sts.AliceClient();

            var e = await SdkAssert.Fails(code, status, () => alice.GetSessionTokenAsync(new GetSessionTokenRequest()));
            Assert.Equal(Amazon.Runtime.ErrorType.Receiver, e.ErrorType);
            // The fault took the place of the action: no session was issued.
            Assert.Empty(sts.World.Sessions);
            await alice.GetSessionTokenAsync(new GetSessionTokenRequest());
        }

        [Fact]
        public async Task ActionQueueIsUsedBeforeTheWildcard()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("*", Fault.ServerError());
            sts.World.Faults.Enqueue("AssumeRole", Fault.Throttle());
            using var alice = sts.AliceClient();

            await SdkAssert.Fails("Throttling", 400, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "xx" }));
            await SdkAssert.Fails("InternalFailure", 500, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "xx" }));
            await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "xx" });
        }

        [Fact]
        public async Task DelayHoldsTheAnswerThenAnswersNormally()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("GetCallerIdentity", Fault.Delay(TimeSpan.FromMilliseconds(600)));
            using var alice = sts.AliceClient();

            var watch = Stopwatch.StartNew();
            var id = await alice.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            watch.Stop();

            Assert.Equal(sts.Alice.Arn, id.Arn);
            Assert.True(watch.ElapsedMilliseconds >= 550, "answered after " + watch.ElapsedMilliseconds + " ms");
            var call = Assert.Single(sts.World.Calls);
            Assert.Equal("Delay", call.InjectedFault);
            Assert.Equal(200, call.HttpStatus);
        }

        [Fact]
        public async Task ClientThatTimesOutOnADelayStillSpentItsCall()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("GetSessionToken", Fault.Delay(TimeSpan.FromSeconds(1)));
            // A plain HttpClient, because the SDK sometimes re-sends a timed-out request even with
            // MaxErrorRetry = 0, and this test is about exactly one request.
            using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
            string query = "Action=GetSessionToken&Version=2011-06-15&SerialNumber=" + Uri.EscapeDataString(sts.AliceMfa.SerialNumber) + "&TokenCode=" + sts.AliceCode();

            await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.SendAsync(RawSigner.Get(sts.Server.Endpoint, query, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret)));

            // Like a slow STS, the emulator finishes the request: the session exists and the code is spent.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (sts.World.Calls.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
            var call = Assert.Single(sts.World.Calls);
            Assert.Equal(200, call.HttpStatus);
            Assert.True(call.UsedMfa);
            Assert.NotNull(sts.World.Session(call.IssuedAccessKeyId));
        }

        [Fact]
        public async Task ForeignRepliesAreWhatAProxyOrAnotherServiceWouldSend()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("GetCallerIdentity", Fault.BadGateway());
            sts.World.Faults.Enqueue("GetCallerIdentity", Fault.NotXml());
            using var http = new HttpClient();
            string query = "Action=GetCallerIdentity&Version=2011-06-15";

            using var gateway = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, query, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret));
            Assert.Equal(502, (int)gateway.StatusCode);
            Assert.Equal("text/html", gateway.Content.Headers.ContentType.MediaType);
            Assert.Contains("<h1>502 Bad Gateway</h1>", await gateway.Content.ReadAsStringAsync());

            using var json = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, query, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret));
            Assert.Equal(200, (int)json.StatusCode);
            Assert.Equal("application/json", json.Content.Headers.ContentType.MediaType);
            Assert.StartsWith("{", await json.Content.ReadAsStringAsync());

            Assert.Equal(new[] { 502, 200 }, sts.World.Calls.Select(c => c.HttpStatus).ToArray());
            Assert.Equal(new[] { "ForeignReply", "ForeignReply" }, sts.World.Calls.Select(c => c.InjectedFault).ToArray());
            Assert.Empty(sts.World.Sessions);
        }

        [Fact]
        public async Task SilentIsRecordedOnArrivalAndNeverAnswered()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("GetCallerIdentity", Fault.Silent());
            using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
            string query = "Action=GetCallerIdentity&Version=2011-06-15";

            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.SendAsync(RawSigner.Get(sts.Server.Endpoint, query, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret)));
            Assert.True(watch.ElapsedMilliseconds >= 450, "gave up after " + watch.ElapsedMilliseconds + " ms");
            var call = Assert.Single(sts.World.Calls);
            Assert.Equal("Silent", call.InjectedFault);
            Assert.Equal(0, call.HttpStatus);

            // The fault is spent: the next request is answered.
            using var patient = new HttpClient();
            using var answer = await patient.SendAsync(RawSigner.Get(sts.Server.Endpoint, query, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret));
            Assert.Equal(200, (int)answer.StatusCode);
        }

        [Fact]
        public async Task AlwaysThrottleLastsUntilClear()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.AlwaysThrottle("AssumeRole");
            using var alice = sts.AliceClient(maxErrorRetry: 2);

            await SdkAssert.Fails("Throttling", 400, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "xx" }));
            await alice.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal(3, sts.World.CallsTo("AssumeRole").Count);

            sts.World.Faults.Clear();
            await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "xx" });
            Assert.Equal(4, sts.World.CallsTo("AssumeRole").Count);
        }

        [Fact]
        public async Task CustomErrorFault()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("*", Fault.Error(403, "RegionDisabledException", "STS is not activated in this region for account:111122223333."));
            using var alice = sts.AliceClient();

            await SdkAssert.Fails("RegionDisabledException", 403, () => alice.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        }

        [Fact]
        public async Task RecordingShowsTheShapeOfAnMfaChain()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            string code = sts.AliceCode();

            var gst = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = code, DurationSeconds = 28800 })).Credentials;
            using var session = sts.Client(gst);
            var role = await session.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.AdminArn, RoleSessionName = "admin" });

            var calls = sts.World.Calls;
            Assert.Equal(2, calls.Count);
            var first = calls[0];
            Assert.Equal("GetSessionToken", first.Action);
            Assert.True(first.UsedMfa);
            Assert.Equal(sts.AliceMfa.SerialNumber, first.SerialNumber);
            Assert.Equal(EmulatedSts.AliceKeyId, first.CallerAccessKeyId);
            Assert.Equal(sts.Alice.Arn, first.CallerArn);
            Assert.Equal("28800", first.Parameter("DurationSeconds"));
            Assert.Equal("2011-06-15", first.Parameter("Version"));
            Assert.Null(first.Parameter("Action"));
            // The code is a secret: its value is never kept, anywhere in the record.
            Assert.Equal(StsCall.Masked, first.Parameter("TokenCode"));
            Assert.DoesNotContain(calls, c => c.Parameters.Values.Contains(code));
            Assert.Equal(gst.AccessKeyId, first.IssuedAccessKeyId);

            var second = calls[1];
            Assert.Equal("AssumeRole", second.Action);
            Assert.False(second.UsedMfa);
            Assert.Null(second.SerialNumber);
            Assert.Equal(gst.AccessKeyId, second.CallerAccessKeyId);
            Assert.Equal(sts.Alice.Arn, second.CallerArn);
            Assert.Equal(role.Credentials.AccessKeyId, second.IssuedAccessKeyId);
            Assert.True(second.Timestamp >= first.Timestamp);
            Assert.All(calls, c => Assert.StartsWith("aws-sdk-dotnet", c.UserAgent));

            sts.World.ClearCalls();
            Assert.Empty(sts.World.Calls);
        }

        [Fact]
        public async Task ConcurrentCallersAreAllAnsweredAndRecorded()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var tasks = Enumerable.Range(0, 40).Select(i => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "p" + i })).ToArray();
            var results = await Task.WhenAll(tasks);

            Assert.Equal(40, results.Select(r => r.Credentials.AccessKeyId).Distinct().Count());
            Assert.Equal(40, sts.World.CallsTo("AssumeRole").Count);
            Assert.Equal(40, sts.World.Sessions.Count);
        }
    }
}
