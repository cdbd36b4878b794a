using System;
using System.Linq;
using System.Management.Automation;
using AwsVault.Tests.Harness;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Sessions
{
    /// <summary>Get-AwsVaultSession against the STS emulator: which calls are made, with what, and what comes back.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class SessionTests
    {
        private static AwsVaultSession Session(ScriptResult r) => (AwsVaultSession)Assert.Single(r.Output).BaseObject;

        private static string Plain(System.Security.SecureString s) => new System.Net.NetworkCredential(string.Empty, s).Password;

        [Fact]
        public void AnMfaProfileMakesOneGetSessionTokenWithMfaAndThenReusesIt()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("Get-AwsVaultSession alice -MfaToken " + f.Code()).ThrowIfErrors();
            var session = Session(r);
            var call = Assert.Single(f.World.Calls);
            Assert.Equal("GetSessionToken", call.Action);
            Assert.True(call.UsedMfa);
            Assert.Equal(f.Serial, call.SerialNumber);
            Assert.Equal(EmulatedSts.AliceKeyId, call.CallerAccessKeyId);
            Assert.Equal("eu-west-1", call.SigningRegion);
            Assert.Equal("3600", call.Parameter("DurationSeconds"));

            Assert.StartsWith("ASIA", session.AccessKeyId);
            Assert.Equal(call.IssuedAccessKeyId, session.AccessKeyId);
            Assert.Equal(f.World.Session(session.AccessKeyId).SecretAccessKey, Plain(session.SecretAccessKey));
            Assert.Equal(f.World.Session(session.AccessKeyId).SessionToken, Plain(session.SessionToken));
            Assert.Equal("eu-west-1", session.Region);
            Assert.Equal(DateTimeKind.Utc, session.Expiration.Value.Kind);
            Assert.InRange((session.Expiration.Value - DateTime.UtcNow).TotalMinutes, 55, 61);
            Assert.Equal("stored key(alice) -> GetSessionToken(alice, MFA)", session.Chain);

            // Same process: memory. Fresh process memory: the vault. Neither calls STS or asks for a code.
            var again = Session(f.Ps.Run("Get-AwsVaultSession alice").ThrowIfErrors());
            Assert.Equal(session.AccessKeyId, again.AccessKeyId);
            Credentials.SessionCacheReset.ForgetMemory();
            var fromVault = f.Ps.Run("Get-AwsVaultSession alice -Verbose").ThrowIfErrors();
            Assert.Equal(session.AccessKeyId, Session(fromVault).AccessKeyId);
            Assert.Contains(fromVault.Verbose, v => v.Contains("reusing the cached sts.GetSessionToken session"));
            Assert.Single(f.World.Calls);
            Assert.Empty(f.Host.ScriptedUI.Prompts);
        }

        [Fact]
        public void ARoleWithTheSourcesMfaSerialMakesOneGetSessionTokenWithMfaAndOneAssumeRoleWithout()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("Get-AwsVaultSession admin -MfaToken " + f.Code() + " -Verbose").ThrowIfErrors();
            var session = Session(r);
            Assert.Equal(new[] { "GetSessionToken", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            var gst = f.World.Calls[0];
            var assume = f.World.Calls[1];
            Assert.True(gst.UsedMfa);
            Assert.Equal("28800", gst.Parameter("DurationSeconds"));
            Assert.False(assume.UsedMfa);
            Assert.Null(assume.SerialNumber);
            Assert.Equal(gst.IssuedAccessKeyId, assume.CallerAccessKeyId);
            Assert.Equal(EmulatedSts.AdminArn, assume.Parameter("RoleArn"));
            Assert.StartsWith("arn:aws:sts::" + EmulatedSts.RoleAccount + ":assumed-role/Admin/", f.World.Session(session.AccessKeyId).Arn);
            Assert.Equal("stored key(alice) -> GetSessionToken(alice, MFA) -> AssumeRole(admin)", session.Chain);
            Assert.Contains(r.Verbose, v => v.Contains("chained MFA"));
            Assert.Contains(r.Verbose, v => v.Contains("using GetSessionToken with MFA") && v.Contains("one code serves both"));

            // A later request reuses the 8 h session token: one AssumeRole, no code.
            f.World.ClearCalls();
            Credentials.SessionCacheReset.ForgetMemory();
            f.Ps.Run("Get-AwsVaultSession admin").ThrowIfErrors();
            var later = Assert.Single(f.World.Calls);
            Assert.Equal("AssumeRole", later.Action);
            Assert.Equal(gst.IssuedAccessKeyId, later.CallerAccessKeyId);
        }

        [Fact]
        public void RoleSettingsReachSts()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig +
                "\n[profile partner]\nsource_profile = bob\nrole_arn = " + EmulatedSts.PartnerArn + "\nexternal_id = " + EmulatedSts.PartnerExternalId +
                "\nrole_session_name = deploy-bot\nduration_seconds = 1800\nsession_tags = team=payments, env = prod\ntransitive_session_tags = team\nsource_identity = jane\n");
            var session = Session(f.Ps.Run("Get-AwsVaultSession partner").ThrowIfErrors());
            var call = Assert.Single(f.World.Calls);
            Assert.Equal("AssumeRole", call.Action);
            Assert.Equal(EmulatedSts.BobKeyId, call.CallerAccessKeyId);
            Assert.Equal(EmulatedSts.PartnerExternalId, call.Parameter("ExternalId"));
            Assert.Equal("deploy-bot", call.Parameter("RoleSessionName"));
            Assert.Equal("1800", call.Parameter("DurationSeconds"));
            Assert.Equal("jane", call.Parameter("SourceIdentity"));
            var issued = f.World.Session(session.AccessKeyId);
            Assert.Equal("payments", issued.Tags["team"]);
            Assert.Equal("prod", issued.Tags["env"]);
            Assert.Equal(new[] { "team" }, issued.TransitiveTagKeys.ToArray());
            Assert.Equal("jane", issued.SourceIdentity);
            Assert.EndsWith("assumed-role/Partner/deploy-bot", issued.Arn);
            Assert.InRange((session.Expiration.Value - DateTime.UtcNow).TotalMinutes, 25, 31);
        }

        [Fact]
        public void DurationComesFromTheParameterThenTheEnvironmentThenTheConfig()
        {
            using var f = new SessionFixture();
            f.Ps.Run("Get-AwsVaultSession bob -Duration ([TimeSpan]::FromHours(2))").ThrowIfErrors();
            Assert.Equal("7200", f.World.Calls.Last().Parameter("DurationSeconds"));
            f.Ps.Run("Get-AwsVaultSession bob -Refresh -Duration 1h30m").ThrowIfErrors();
            Assert.Equal("5400", f.World.Calls.Last().Parameter("DurationSeconds"));
            f.Ps.Run("Get-AwsVaultSession bob -Refresh -Duration 1800").ThrowIfErrors();
            Assert.Equal("1800", f.World.Calls.Last().Parameter("DurationSeconds"));
            var bad = f.Ps.RunCatching("Get-AwsVaultSession bob -Duration soon");
            Assert.StartsWith("ParameterArgumentTransformationError", bad.Terminating.FullyQualifiedErrorId);
            Assert.Contains("1h30m", bad.Terminating.Exception.Message);
            f.Env.Set("AWS_SESSION_TOKEN_TTL", "90m");
            f.Ps.Run("Get-AwsVaultSession bob -Refresh").ThrowIfErrors();
            Assert.Equal("5400", f.World.Calls.Last().Parameter("DurationSeconds"));
            f.Env.Set("AWS_ASSUME_ROLE_TTL", "20m");
            f.Ps.Run("Get-AwsVaultSession readonly").ThrowIfErrors();
            Assert.Equal("1200", f.World.Calls.Last().Parameter("DurationSeconds"));
        }

        [Theory]
        [InlineData("bob", "-Duration ([TimeSpan]::FromMinutes(10))", "GetSessionToken")]
        [InlineData("bob", "-Duration ([TimeSpan]::FromHours(37))", "36h")]
        [InlineData("readonly", "-Duration ([TimeSpan]::FromHours(13))", "12h")]
        public void AnOutOfRangeDurationFailsBeforeAnyStsCall(string profile, string duration, string expected)
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Get-AwsVaultSession " + profile + " " + duration);
            AssertError(r, "InvalidDuration", ErrorCategory.InvalidArgument);
            Assert.Contains(expected, r.Terminating.Exception.Message);
            Assert.Contains("-Duration", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void AChainedRoleIsCappedAtOneHourBeforeAnyStsCall()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile deeper]\nsource_profile = readonly\nrole_arn = " + EmulatedSts.LongArn + "\nduration_seconds = 7200\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession deeper");
            AssertError(r, "InvalidDuration", ErrorCategory.InvalidArgument);
            Assert.Contains("role chaining", r.Terminating.Exception.Message);
            Assert.Contains("duration_seconds", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);

            f.Env.WriteConfig(f.DefaultConfig + "\n[profile deeper]\nsource_profile = readonly\nrole_arn = " + EmulatedSts.LongArn + "\n");
            var ok = Session(f.Ps.Run("Get-AwsVaultSession deeper").ThrowIfErrors());
            Assert.Equal(new[] { "AssumeRole", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            Assert.Equal("stored key(bob) -> AssumeRole(readonly) -> AssumeRole(deeper)", ok.Chain);
        }

        [Fact]
        public void VerboseSaysWhyGetSessionTokenWasSkipped()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig +
                "\n[profile long-admin]\nsource_profile = alice\nrole_arn = " + EmulatedSts.AdminArn + "\nmfa_serial = " + f.Serial + "\nduration_seconds = 7200\n");
            var noMfa = f.Ps.Run("Get-AwsVaultSession readonly -Verbose").ThrowIfErrors();
            Assert.Contains(noMfa.Verbose, v => v.Contains("profile bob: skipping GetSessionToken because profile 'readonly'") && v.Contains("has no mfa_serial"));

            var longRole = f.Ps.Run("Get-AwsVaultSession long-admin -Verbose -MfaToken " + f.Code()).ThrowIfErrors();
            Assert.Contains(longRole.Verbose, v => v.Contains("skipping GetSessionToken because") && v.Contains("2h"));
            var call = f.World.Calls.Last();
            Assert.Equal("AssumeRole", call.Action);
            Assert.True(call.UsedMfa);
            Assert.Equal("7200", call.Parameter("DurationSeconds"));

            var noSession = f.Ps.Run("Get-AwsVaultSession bob -NoSession -Verbose").ThrowIfErrors();
            Assert.Contains(noSession.Verbose, v => v.Contains("-NoSession"));
            Assert.Equal(EmulatedSts.BobKeyId, Session(noSession).AccessKeyId);
            Assert.Null(Session(noSession).Expiration);
        }

        [Fact]
        public void MfaProcessSuppliesTheCode()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig.Replace("[profile alice]\n", "[profile alice]\nmfa_process = oathtool --totp -b " + f.Sts.AliceMfa.Base32Secret + "\n"));
            f.Ps.Run("Get-AwsVaultSession alice").ThrowIfErrors();
            var call = Assert.Single(f.World.Calls);
            Assert.True(call.UsedMfa);
            Assert.True(call.Succeeded, call.ToString());
            Assert.Empty(f.Host.ScriptedUI.Prompts);
        }

        [Fact]
        public void TheRoleProfilesMfaProcessServesTheChainedSessionToken()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig.Replace("[profile admin]\n", "[profile admin]\nmfa_process = oathtool --totp -b " + f.Sts.AliceMfa.Base32Secret + "\n"));
            f.Ps.Run("Get-AwsVaultSession admin").ThrowIfErrors();
            Assert.Equal(new[] { "GetSessionToken", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            Assert.True(f.World.Calls[0].UsedMfa);
            Assert.Empty(f.Host.ScriptedUI.Prompts);
        }

        [Fact]
        public void AFailingMfaProcessIsAClearError()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig.Replace("[profile alice]\n", "[profile alice]\nmfa_process = exit 3\n"));
            var r = f.Ps.RunCatching("Get-AwsVaultSession alice");
            AssertError(r, "MfaProcessFailed", ErrorCategory.InvalidResult);
            Assert.Contains("exited with code 3", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void TheHostIsAskedForTheCodeWhenNothingElseGivesIt()
        {
            using var f = new SessionFixture();
            f.Host.ScriptedUI.Answers.Enqueue(f.Code());
            f.Ps.Run("Get-AwsVaultSession alice").ThrowIfErrors();
            Assert.Equal(new[] { "(ReadLine)" }, f.Host.ScriptedUI.Prompts.ToArray());
            Assert.Contains("Enter MFA code for " + f.Serial + ": ", f.Host.ScriptedUI.Transcript.ToString());
            Assert.True(Assert.Single(f.World.Calls).UsedMfa);
        }

        [Fact]
        public void ANonInteractiveSessionWithoutACodeFailsAtOnce()
        {
            using var f = new SessionFixture();
            f.Env.Set("CI", "true");
            var r = f.Ps.RunCatching("Get-AwsVaultSession admin");
            AssertError(r, "MfaTokenRequired", ErrorCategory.InvalidOperation);
            Assert.Contains("-MfaToken", r.Terminating.Exception.Message);
            Assert.Contains("mfa_process", r.Terminating.Exception.Message);
            Assert.Contains(f.Serial, r.Terminating.Exception.Message);
            Assert.Empty(f.Host.ScriptedUI.Prompts);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void AWrongMfaCodeIsAPermissionErrorThatSaysSo()
        {
            using var f = new SessionFixture();
            string good = f.Code();
            string wrong = good == "000000" ? "111111" : "000000";
            var r = f.Ps.RunCatching("Get-AwsVaultSession alice -MfaToken " + wrong);
            AssertError(r, "StsAccessDenied", ErrorCategory.PermissionDenied);
            Assert.Contains("'alice'", r.Terminating.Exception.Message);
            Assert.Contains("GetSessionToken", r.Terminating.Exception.Message);
            Assert.Contains("MFA code was rejected", r.Terminating.Exception.Message);
            Assert.Empty(f.Env.VaultDirectory.Length == 0 ? new string[0] : System.IO.Directory.GetFiles(f.Env.VaultDirectory).Where(p => p.Contains(",")));
        }

        [Fact]
        public void ACodeIsNeverSentTwice()
        {
            using var f = new SessionFixture();
            string code = f.Code();
            f.Ps.Run("Get-AwsVaultSession alice -MfaToken " + code).ThrowIfErrors();
            var r = f.Ps.RunCatching("Get-AwsVaultSession alice -Refresh -MfaToken " + code);
            AssertError(r, "MfaTokenAlreadyUsed", ErrorCategory.InvalidArgument);
            Assert.Single(f.World.Calls);
        }

        [Fact]
        public void AnStsThatOnlyThrottlesEndsWithALimitsExceededError()
        {
            using var f = new SessionFixture();
            f.World.Faults.AlwaysThrottle("GetSessionToken");
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, "StsThrottling", ErrorCategory.LimitsExceeded);
            Assert.Contains("'bob'", r.Terminating.Exception.Message);
            Assert.InRange(f.World.CallsTo("GetSessionToken").Count, 2, 6);
        }

        [Fact]
        public void UnknownProfilesAndLoopsAreClearErrors()
        {
            using var f = new SessionFixture();
            var unknown = f.Ps.RunCatching("Get-AwsVaultSession alcie");
            AssertError(unknown, "ProfileNotFound", ErrorCategory.ObjectNotFound);
            Assert.Contains("alice", unknown.Terminating.Exception.Message);

            f.Env.WriteConfig("[profile a]\nsource_profile = b\nrole_arn = arn:aws:iam::444455556666:role/ReadOnly\n[profile b]\nsource_profile = c\nrole_arn = arn:aws:iam::444455556666:role/ReadOnly\n[profile c]\nsource_profile = a\nrole_arn = arn:aws:iam::444455556666:role/ReadOnly\n");
            var loop = f.Ps.RunCatching("Get-AwsVaultSession a");
            AssertError(loop, "ConfigProfileLoop", ErrorCategory.InvalidData);
            Assert.Contains("Loop detected in config file for profile 'a'", loop.Terminating.Exception.Message);
            Assert.Contains(f.Env.ConfigFile, loop.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);

            var missing = f.Ps.RunCatching("Get-AwsVaultSession");
            AssertError(missing, "ProfileNameRequired", ErrorCategory.InvalidArgument);
            f.Env.Set("AWS_PROFILE", "bob");
            Assert.Equal("bob", Session(f.Ps.Run("Get-AwsVaultSession").ThrowIfErrors()).ProfileName);
        }

        [Fact]
        public void AProfileWithoutKeysOrSourceSaysCredentialsMissing()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile empty]\nregion = eu-west-1\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession empty");
            AssertError(r, "CredentialsMissing", ErrorCategory.ObjectNotFound);
            Assert.Contains("Add-AwsVaultProfile empty", r.Terminating.Exception.Message);
        }

        [Fact]
        public void RegionComesFromTheParameterThenTheEnvironmentThenTheProfileThenItsSource()
        {
            using var f = new SessionFixture();
            Assert.Equal("us-west-2", Session(f.Ps.Run("Get-AwsVaultSession readonly").ThrowIfErrors()).Region);
            Assert.Equal("us-west-2", f.World.Calls.Last().SigningRegion);
            f.Env.Set("AWS_DEFAULT_REGION", "ap-south-1");
            Assert.Equal("ap-south-1", Session(f.Ps.Run("Get-AwsVaultSession readonly").ThrowIfErrors()).Region);
            f.Env.Set("AWS_REGION", "ca-central-1");
            Assert.Equal("ca-central-1", Session(f.Ps.Run("Get-AwsVaultSession readonly").ThrowIfErrors()).Region);
            Assert.Equal("sa-east-1", Session(f.Ps.Run("Get-AwsVaultSession readonly -Region sa-east-1 -Refresh").ThrowIfErrors()).Region);
            Assert.Equal("sa-east-1", f.World.Calls.Last().SigningRegion);
        }

        [Fact]
        public void TheEndpointCanComeFromTheConfigInsteadOfTheEnvironment()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_ENDPOINT_URL_STS", null);
            f.Env.WriteConfig(f.DefaultConfig.Replace("[profile bob]\n", "[profile bob]\nendpoint_url = " + f.Sts.Endpoint + "\n"));
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Assert.Equal("GetSessionToken", Assert.Single(f.World.Calls).Action);
        }

        [Fact]
        public void RefreshAndClearForgetCachedSessions()
        {
            using var f = new SessionFixture();
            var first = Session(f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors());
            var refreshed = Session(f.Ps.Run("Get-AwsVaultSession bob -Refresh").ThrowIfErrors());
            Assert.NotEqual(first.AccessKeyId, refreshed.AccessKeyId);
            Assert.Equal(2, f.World.Calls.Count);
            f.Ps.Run("Get-AwsVaultSession alice -MfaToken " + f.Code()).ThrowIfErrors();

            var listed = f.Ps.Run("(Get-AwsVaultProfile bob).Sessions.Count").ThrowIfErrors();
            Assert.Equal(1, (int)listed.Output.Single().BaseObject);

            var cleared = f.Ps.Run("Clear-AwsVaultSession bob").ThrowIfErrors();
            Assert.Equal(1, ((ClearedSessions)cleared.Output.Single().BaseObject).Count);
            Assert.Equal("Cleared 1 session.", cleared.Output.Single().ToString());
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Assert.Equal(4, f.World.Calls.Count);

            var all = f.Ps.Run("Clear-AwsVaultSession").ThrowIfErrors();
            Assert.Equal(2, ((ClearedSessions)all.Output.Single().BaseObject).Count);
            Assert.Empty(System.IO.Directory.GetFiles(f.Env.VaultDirectory).Where(p => p.Contains(",")));
        }

        [Fact]
        public void ExpiredSessionsAreDeletedWhenMet()
        {
            using var f = new SessionFixture();
            var store = new AwsVault.Storage.FileStore(f.Env.VaultDirectory, new Commands.FixedPassphrase(TestEnvironment.Passphrase));
            var stale = new AwsVault.Storage.SessionKey(AwsVault.Storage.SessionKey.GetSessionTokenType, "bob", "", DateTimeOffset.UtcNow.AddMinutes(-5));
            store.SetSession(stale, "{\"AccessKeyId\":\"ASIAOLD\",\"SecretAccessKey\":\"x\",\"SessionToken\":\"y\",\"Expiration\":\"2020-01-01T00:00:00Z\"}");
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Assert.DoesNotContain(store.ListSessions(), k => k.Equals(stale));
            Assert.Single(store.ListSessions(), k => k.ProfileName == "bob");
        }

        [Fact]
        public void TheDefaultViewAndEveryStreamKeepSecretsHidden()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("$s = Get-AwsVaultSession admin -MfaToken " + f.Code() + " -Verbose -Debug; $s; $s.ToString(); [string]$s.SecretAccessKey; \"$s\"").ThrowIfErrors();
            var session = (AwsVaultSession)r.Output[0].BaseObject;
            string text = r.AllText() + f.Host.ScriptedUI.Transcript;
            foreach (var issued in f.World.Sessions)
            {
                Assert.DoesNotContain(issued.SecretAccessKey, text);
                Assert.DoesNotContain(issued.SessionToken, text);
            }
            Assert.DoesNotContain(EmulatedSts.AliceSecret, text);
            Assert.Contains(session.AccessKeyId, text);
            Assert.Equal("System.Security.SecureString", r.Output[2].ToString());
        }
    }
}
