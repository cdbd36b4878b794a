using System.Linq;
using System.Net;
using System.Net.Sockets;
using AwsVault.Tests.Harness;
using AwsVault.Tests.StsEmulator;
using Xunit;
using AwsVault.Output;

namespace AwsVault.Tests.Sessions
{
    /// <summary>
    /// The README's environment variables that shape a session, each seen where a user sees it: in the STS
    /// call AwsVault makes (the emulator records every parameter), in the session's Region, or in whether a
    /// cached session is reused. Each test sets only its own variable (on top of the fixture's
    /// AWS_ENDPOINT_URL_STS), so it fails when that variable is ignored.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class EnvironmentVariableTests
    {
        private static AwsVaultSession Session(ScriptResult r) => (AwsVaultSession)Assert.Single(r.Output).BaseObject;

        /// <summary>outer (target, role) → readonly (role) → bob (stored key): two AssumeRole calls, the first
        /// made for the source hop readonly, the second for the target outer.</summary>
        private static string ChainConfig(SessionFixture f, string outerExtra) =>
            f.DefaultConfig + "\n[profile outer]\nsource_profile = readonly\nrole_arn = " + EmulatedSts.ReadOnlyArn + "\n" + outerExtra;

        private static int DeadPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        [Theory]
        [InlineData("AWS_REGION")]
        [InlineData("AWS_DEFAULT_REGION")]
        public void TheRegionVariableWinsOverTheProfilesOwnRegion(string variable)
        {
            using var f = new SessionFixture();
            // bob has region = us-west-2 of its own.
            Assert.Equal("us-west-2", Session(f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors()).Region);
            f.Env.Set(variable, "ap-south-1");
            var session = Session(f.Ps.Run("Get-AwsVaultSession bob -Refresh").ThrowIfErrors());
            Assert.Equal("ap-south-1", session.Region);
            Assert.Equal("ap-south-1", f.World.Calls.Last().SigningRegion);
            Assert.Equal("ap-south-1", f.Ps.Run("Invoke-AwsVault bob { $env:AWS_REGION }").ThrowIfErrors().Output.Single().ToString());
        }

        [Fact]
        public void AwsMfaSerialGivesAProfileWithoutMfaSerialAnMfaGetSessionToken()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig("[profile alice]\nregion = eu-west-1\n");
            f.Env.Set("AWS_MFA_SERIAL", f.Serial);
            var r = f.Ps.Run("Get-AwsVaultSession alice -MfaToken " + f.Code() + " -Verbose").ThrowIfErrors();
            var call = Assert.Single(f.World.Calls);
            Assert.Equal("GetSessionToken", call.Action);
            Assert.True(call.UsedMfa);
            Assert.Equal(f.Serial, call.SerialNumber);
            Assert.Equal("stored key(alice) -> GetSessionToken(alice, MFA)", Session(r).Chain);
        }

        [Fact]
        public void AwsRoleArnMakesTheTargetAssumeTheRoleButNotItsSource()
        {
            using var f = new SessionFixture();
            // via-bob has no role of its own; bob is its source and must stay a plain stored key.
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile via-bob]\nsource_profile = bob\n");
            f.Env.Set("AWS_ROLE_ARN", EmulatedSts.ReadOnlyArn);
            var session = Session(f.Ps.Run("Get-AwsVaultSession via-bob").ThrowIfErrors());
            var call = Assert.Single(f.World.Calls);
            Assert.Equal("AssumeRole", call.Action);
            Assert.Equal(EmulatedSts.ReadOnlyArn, call.Parameter("RoleArn"));
            Assert.Equal(EmulatedSts.BobKeyId, call.CallerAccessKeyId);
            Assert.StartsWith("arn:aws:sts::" + EmulatedSts.RoleAccount + ":assumed-role/ReadOnly/", f.World.Session(session.AccessKeyId).Arn);
        }

        /// <summary>The role settings a variable gives the target profile, and never the source hop's AssumeRole.</summary>
        [Theory]
        [InlineData("AWS_ROLE_SESSION_NAME", "env-session", "", "RoleSessionName", "env-session")]
        [InlineData("AWS_SESSION_TAGS", "team=blue", "", "Tags.member.1.Key", "team")]
        [InlineData("AWS_SESSION_TAGS", "team=blue", "", "Tags.member.1.Value", "blue")]
        [InlineData("AWS_TRANSITIVE_TAGS", "team", "session_tags = team=blue\n", "TransitiveTagKeys.member.1", "team")]
        [InlineData("AWS_SOURCE_IDENTITY", "deploy-bot", "", "SourceIdentity", "deploy-bot")]
        public void ARoleVariableShapesTheTargetsAssumeRoleOnly(string variable, string value, string outerExtra, string parameter, string expected)
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(ChainConfig(f, outerExtra));
            f.Env.Set(variable, value);
            var session = Session(f.Ps.Run("Get-AwsVaultSession outer").ThrowIfErrors());
            Assert.Equal(new[] { "AssumeRole", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            var source = f.World.Calls[0];
            var target = f.World.Calls[1];
            Assert.Equal(EmulatedSts.BobKeyId, source.CallerAccessKeyId);
            Assert.Equal(source.IssuedAccessKeyId, target.CallerAccessKeyId);
            Assert.Equal(expected, target.Parameter(parameter));
            Assert.NotEqual(expected, source.Parameter(parameter));
            Assert.Equal(target.IssuedAccessKeyId, session.AccessKeyId);
        }

        [Fact]
        public void AwsChainedSessionTokenTtlSetsTheSourcesGetSessionTokenLength()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_CHAINED_SESSION_TOKEN_TTL", "2h");
            var r = f.Ps.Run("Get-AwsVaultSession admin -MfaToken " + f.Code() + " -Verbose").ThrowIfErrors();
            Assert.Equal(new[] { "GetSessionToken", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            Assert.Equal("7200", f.World.Calls[0].Parameter("DurationSeconds"));
            Assert.Equal("3600", f.World.Calls[1].Parameter("DurationSeconds"));
            Assert.Contains(r.Verbose, v => v.Contains("using GetSessionToken with MFA") && v.Contains(" for 2h"));
        }

        [Fact]
        public void AwsMinTtlDecidesWhetherACachedSessionIsReused()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_SESSION_TOKEN_TTL", "15m");
            var first = Session(f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors());
            // With the default margin (5m) the 15-minute session is reused...
            Assert.Equal(first.AccessKeyId, Session(f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors()).AccessKeyId);
            Assert.Single(f.World.Calls);
            // ...but not when at least 20 minutes must remain.
            f.Env.Set("AWS_MIN_TTL", "20m");
            var second = Session(f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors());
            Assert.NotEqual(first.AccessKeyId, second.AccessKeyId);
            Assert.Equal(2, f.World.Calls.Count);
        }

        [Fact]
        public void AwsEndpointUrlIsUsedWhenThereIsNoStsSpecificOneAndLosesToIt()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_ENDPOINT_URL_STS", null);
            f.Env.Set("AWS_ENDPOINT_URL", f.Sts.Endpoint);
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Assert.Equal("GetSessionToken", Assert.Single(f.World.Calls).Action);

            // The service-specific variable wins over the global one (pointed at a dead port now).
            f.Env.Set("AWS_ENDPOINT_URL", "http://127.0.0.1:" + DeadPort());
            f.Env.Set("AWS_ENDPOINT_URL_STS", f.Sts.Endpoint);
            f.Ps.Run("Get-AwsVaultSession bob -Refresh").ThrowIfErrors();
            Assert.Equal(2, f.World.Calls.Count);
        }

        /// <summary>
        /// As in the AWS SDKs, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores every configured endpoint (the
        /// profile's endpoint_url and AWS_ENDPOINT_URL_STS/AWS_ENDPOINT_URL alike) and STS is reached at its standard
        /// regional address. The profile's region here does not exist, so that address never resolves and no test
        /// run talks to AWS; the verbose line and the error say which endpoint was used.
        /// </summary>
        [Fact]
        public void AwsIgnoreConfiguredEndpointUrlsFallsBackToTheStandardEndpoint()
        {
            using var f = new SessionFixture();
            int dead = DeadPort();
            f.Env.WriteConfig("[profile bob]\nregion = xx-nowhere-9\nendpoint_url = http://127.0.0.1:" + dead + "\n");
            f.Env.Set("AWS_MAX_ATTEMPTS", "1");
            const string standard = "https://sts.xx-nowhere-9.amazonaws.com";

            // Without the variable: AWS_ENDPOINT_URL_STS (the emulator) wins over endpoint_url...
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Assert.Single(f.World.Calls);
            // ...and without it, endpoint_url (the dead port) is used.
            f.Env.Set("AWS_ENDPOINT_URL_STS", null);
            var configured = f.Ps.RunCatching("Get-AwsVaultSession bob -Refresh");
            Assert.NotNull(configured.Terminating);
            Assert.Contains("127.0.0.1:" + dead, configured.Terminating.Exception.Message);

            f.Env.Set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
            f.Env.Set("AWS_ENDPOINT_URL_STS", f.Sts.Endpoint);
            var ignored = f.Ps.RunCatching("Get-AwsVaultSession bob -Refresh -Verbose");
            Assert.True(ignored.Terminating != null, string.Join("\n", ignored.Verbose) + "\nCALLS " + string.Join(";", f.World.Calls));
            Assert.Contains(ignored.Verbose, v => v.Contains("calling STS GetSessionToken") && v.Contains(" at " + standard + ","));
            Assert.Contains(standard, ignored.Terminating.Exception.Message);
            Assert.DoesNotContain("127.0.0.1", ignored.Terminating.Exception.Message);
            Assert.Single(f.World.Calls);
        }
    }
}
