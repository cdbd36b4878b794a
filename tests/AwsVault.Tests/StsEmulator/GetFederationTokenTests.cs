using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Amazon.SecurityToken.Model;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sts;
using Xunit;

namespace AwsVault.Tests.StsEmulator
{
    [Collection(ProcessEnvironment.Name)]
    public class GetFederationTokenTests
    {
        private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

        [Fact]
        public async Task LongTermKeysGetAFederatedUserSession()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var before = DateTimeOffset.UtcNow;

            var response = await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "alice-console", DurationSeconds = 3600, Policy = Policy });

            Assert.Equal("arn:aws:sts::111122223333:federated-user/alice-console", response.FederatedUser.Arn);
            Assert.Equal("111122223333:alice-console", response.FederatedUser.FederatedUserId);
            Assert.NotNull(response.PackedPolicySize);
            var creds = response.Credentials;
            Assert.Matches("^ASIA[A-Z2-7]{16}$", creds.AccessKeyId);
            Assert.InRange((creds.Expiration.Value.ToUniversalTime() - before.UtcDateTime).TotalSeconds, 3600 - 5, 3600 + 5);

            var session = sts.World.Session(creds.AccessKeyId);
            Assert.Equal("GetFederationToken", session.IssuedBy);
            Assert.True(session.IsFederatedUserSession);
            Assert.False(session.IsRoleSession);
            Assert.Equal("alice", session.ParentUserName);
            Assert.Equal(EmulatedSts.AliceKeyId, session.ParentAccessKeyId);
            Assert.Equal(Policy, session.Policy);
            var call = sts.World.CallsTo("GetFederationToken").Single();
            Assert.Equal("alice-console", call.Parameter("Name"));
            Assert.Equal(Policy, call.Parameter("Policy"));
            Assert.Equal(creds.AccessKeyId, call.IssuedAccessKeyId);

            using var federated = sts.Client(creds);
            var id = await federated.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal(response.FederatedUser.Arn, id.Arn);
            Assert.Equal("111122223333:alice-console", id.UserId);
            Assert.Equal("111122223333", id.Account);
        }

        [Fact]
        public async Task DurationDefaultsTo12HoursAndIsBoundedBy15MinutesAnd36Hours()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var before = DateTimeOffset.UtcNow;

            var plain = await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "x1" });
            Assert.InRange((plain.Credentials.Expiration.Value.ToUniversalTime() - before.UtcDateTime).TotalSeconds, 43200 - 5, 43200 + 5);
            Assert.Null(plain.PackedPolicySize);
            var longest = await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "x2", DurationSeconds = 129600 });
            Assert.InRange((longest.Credentials.Expiration.Value.ToUniversalTime() - before.UtcDateTime).TotalSeconds, 129600 - 5, 129600 + 5);
            await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "x3", DurationSeconds = 900 });

            var e = await SdkAssert.Fails("ValidationError", 400, () => alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "x4", DurationSeconds = 129601 }));
            Assert.Contains("at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600", e.Message);
            await SdkAssert.Fails("ValidationError", 400, () => alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "x5", DurationSeconds = 899 }));
        }

        [Fact]
        public async Task NameMustBe2To32OfTheAllowedCharacters()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "a+b=c,d.e@f_g-h" });
            await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = new string('n', 32) });
            await SdkAssert.Fails("ValidationError", 400, () => alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "a" }));
            await SdkAssert.Fails("ValidationError", 400, () => alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = new string('n', 33) }));
            await SdkAssert.Fails("ValidationError", 400, () => alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "has space" }));
            await SdkAssert.Fails("MalformedPolicyDocument", 400, () => alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "ok", Policy = "{not json" }));
        }

        [Fact]
        public async Task SessionCredentialsCannotFederate()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var gst = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = sts.AliceCode() })).Credentials;
            var role = (await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "rr" })).Credentials;

            foreach (var creds in new[] { gst, role })
            {
                using var client = sts.Client(creds);
                var e = await SdkAssert.Fails("AccessDenied", 403, () => client.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "console" }));
                Assert.Equal("Cannot call GetFederationToken with session credentials", e.Message);
            }
        }

        [Fact]
        public async Task FederatedUserMayCallNoStsActionButGetCallerIdentity()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var creds = (await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "console" })).Credentials;
            using var federated = sts.Client(creds);

            await SdkAssert.Fails("AccessDenied", 403, () => federated.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "rr" }));
            await SdkAssert.Fails("AccessDenied", 403, () => federated.GetSessionTokenAsync(new GetSessionTokenRequest()));
            await SdkAssert.Fails("AccessDenied", 403, () => federated.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "again" }));
        }

        [Fact]
        public async Task CredentialLifetimeOverrideAppliesAndExpiryIsEnforced()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            sts.World.CredentialLifetimeOverride = TimeSpan.FromSeconds(5);
            var before = DateTimeOffset.UtcNow;

            var creds = (await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "console", DurationSeconds = 3600 })).Credentials;

            Assert.InRange((creds.Expiration.Value.ToUniversalTime() - before.UtcDateTime).TotalSeconds, 3, 7);
            sts.World.ExpireSession(creds.AccessKeyId);
            using var federated = sts.Client(creds);
            await SdkAssert.Fails("ExpiredToken", 403, () => federated.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        }

        [Fact]
        public void TheAwsCliFederates()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();

            var (exit, stdout, stderr) = cli.Aws(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null,
                "get-federation-token", "--name", "x1", "--duration-seconds", "900", "--policy", Policy);

            Assert.True(exit == 0, stderr);
            var root = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal("arn:aws:sts::111122223333:federated-user/x1", root.GetProperty("FederatedUser").GetProperty("Arn").GetString());
            Assert.Equal("111122223333:x1", root.GetProperty("FederatedUser").GetProperty("FederatedUserId").GetString());
            Assert.True(root.GetProperty("PackedPolicySize").GetInt32() > 0);
            var creds = root.GetProperty("Credentials");

            (exit, stdout, stderr) = cli.Aws(sts.Server.Endpoint, creds.GetProperty("AccessKeyId").GetString(), creds.GetProperty("SecretAccessKey").GetString(),
                creds.GetProperty("SessionToken").GetString(), null, "get-caller-identity");
            Assert.True(exit == 0, stderr);
            Assert.Equal("arn:aws:sts::111122223333:federated-user/x1", JsonDocument.Parse(stdout).RootElement.GetProperty("Arn").GetString());
        }
    }
}
