using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Amazon.SecurityToken.Model;
using AwsVault.Tests.Sts;
using Jose;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.StsEmulator
{
    [Collection(ProcessEnvironment.Name)]
    public class AssumeRoleTests
    {
        [Fact]
        public async Task IssuesAnAssumedRoleSession()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var response = await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.LongArn, RoleSessionName = "alice@example.com" });

            Assert.Equal("arn:aws:sts::444455556666:assumed-role/LongRunning/alice@example.com", response.AssumedRoleUser.Arn);
            var role = sts.World.Role(EmulatedSts.LongArn);
            Assert.Equal(role.RoleId + ":alice@example.com", response.AssumedRoleUser.AssumedRoleId);
            Assert.Matches("^ASIA[A-Z2-7]{16}$", response.Credentials.AccessKeyId);
            // Nothing was packed, so no size is reported.
            Assert.Null(response.PackedPolicySize);
            var session = sts.World.Session(response.Credentials.AccessKeyId);
            Assert.Equal(3600, (int)(session.Expiration - session.IssuedAt).TotalSeconds);

            using var asRole = sts.Client(response.Credentials);
            var id = await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal(response.AssumedRoleUser.Arn, id.Arn);
            Assert.Equal(response.AssumedRoleUser.AssumedRoleId, id.UserId);
            Assert.Equal("444455556666", id.Account);
        }

        [Theory]
        [InlineData("a")]
        [InlineData("has space")]
        [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
        public async Task SessionNameIsValidated(string name)
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var e = await SdkAssert.Fails("ValidationError", 400, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = name }));

            Assert.Contains("at 'roleSessionName' failed to satisfy constraint", e.Message);
        }

        [Fact]
        public async Task DurationIsCappedByTheRole()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var e = await SdkAssert.Fails("ValidationError", 400,
                () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "ro", DurationSeconds = 3601 }));
            var longOk = await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.LongArn, RoleSessionName = "long", DurationSeconds = 43200 });

            Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", e.Message);
            var session = sts.World.Session(longOk.Credentials.AccessKeyId);
            Assert.Equal(43200, (int)(session.Expiration - session.IssuedAt).TotalSeconds);
        }

        [Fact]
        public async Task RoleChainingIsCappedAtOneHour()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var first = (await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "first" })).Credentials;
            using var asRole = sts.Client(first);

            var e = await SdkAssert.Fails("ValidationError", 400,
                () => asRole.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.LongArn, RoleSessionName = "second", DurationSeconds = 3601 }));
            var chained = await asRole.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.LongArn, RoleSessionName = "second", DurationSeconds = 3600 });

            Assert.Equal("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", e.Message);
            Assert.Equal("arn:aws:sts::444455556666:assumed-role/LongRunning/second", chained.AssumedRoleUser.Arn);
            Assert.Equal(first.AccessKeyId, sts.World.Session(chained.Credentials.AccessKeyId).ParentAccessKeyId);

            // A GetSessionToken session is not a role session: the same 12-hour request is fine from it.
            var gst = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
            using var asUserSession = sts.Client(gst);
            await asUserSession.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.LongArn, RoleSessionName = "from-gst", DurationSeconds = 43200 });
        }

        [Fact]
        public async Task ExternalIdMustMatch()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            string denied = "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: " + EmulatedSts.PartnerArn;

            var missing = await SdkAssert.Fails("AccessDenied", 403, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.PartnerArn, RoleSessionName = "pp" }));
            var wrong = await SdkAssert.Fails("AccessDenied", 403, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.PartnerArn, RoleSessionName = "pp", ExternalId = "not-the-one" }));
            var ok = await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.PartnerArn, RoleSessionName = "pp", ExternalId = EmulatedSts.PartnerExternalId });

            Assert.Equal(denied, missing.Message);
            Assert.Equal(denied, wrong.Message);
            Assert.Equal(EmulatedSts.PartnerExternalId, sts.World.CallsTo("AssumeRole").Last().Parameter("ExternalId"));
            Assert.NotNull(ok.Credentials);
        }

        [Fact]
        public async Task MfaRoleNeedsMfaOnTheCallOrInTheCallingSession()
        {
            using var sts = new EmulatedSts();
            var clock = new FrozenClock();
            sts.World.TimeProvider = clock;
            using var alice = sts.AliceClient();

            // Long-term keys, no MFA: denied.
            await SdkAssert.Fails("AccessDenied", 403, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.AdminArn, RoleSessionName = "aa" }));

            // MFA on the AssumeRole call itself.
            var direct = await alice.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = EmulatedSts.AdminArn, RoleSessionName = "aa", DurationSeconds = 43200,
                SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = Totp.Generate(sts.AliceMfa.Base32Secret, clock.Now),
            });
            Assert.True(sts.World.Session(direct.Credentials.AccessKeyId).MfaAuthenticated);

            // aws-vault's chained MFA: GetSessionToken with MFA, then AssumeRole without it.
            var gst = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = sts.AliceCode() })).Credentials;
            using var mfaSession = sts.Client(gst);
            var viaSession = await mfaSession.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.AdminArn, RoleSessionName = "bb" });
            Assert.True(sts.World.Session(viaSession.Credentials.AccessKeyId).MfaAuthenticated);

            // A session made without MFA does not count.
            var plain = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
            using var plainSession = sts.Client(plain);
            await SdkAssert.Fails("AccessDenied", 403, () => plainSession.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.AdminArn, RoleSessionName = "cc" }));

            var calls = sts.World.CallsTo("AssumeRole");
            Assert.Equal(new[] { false, true, false, false }, calls.Select(c => c.UsedMfa).ToArray());
            Assert.Equal(new string[] { "AccessDenied", null, null, "AccessDenied" }, calls.Select(c => c.ErrorCode).ToArray());
        }

        [Fact]
        public async Task MfaCodeSpentOnGetSessionTokenCannotBeReusedOnAssumeRole()
        {
            using var sts = new EmulatedSts();
            var clock = new FrozenClock();
            sts.World.TimeProvider = clock;
            using var alice = sts.AliceClient();
            string code = Totp.Generate(sts.AliceMfa.Base32Secret, clock.Now);

            await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = code });
            var e = await SdkAssert.Fails("AccessDenied", 403, () => alice.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = EmulatedSts.AdminArn, RoleSessionName = "again", SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = code,
            }));

            Assert.Equal("MultiFactorAuthentication failed with invalid MFA one time pass code. ", e.Message);
        }

        [Fact]
        public async Task TrustListLimitsWhoMayAssume()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            using var bob = sts.BobClient();

            await SdkAssert.Fails("AccessDenied", 403, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.BobOnlyArn, RoleSessionName = "xx" }));
            await bob.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.BobOnlyArn, RoleSessionName = "xx" });
            // A role that does not exist is refused exactly like one that exists but does not trust the caller.
            var e = await SdkAssert.Fails("AccessDenied", 403, () => bob.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::444455556666:role/Nope", RoleSessionName = "xx" }));
            Assert.Equal("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/Nope", e.Message);

            // Trusting the account root trusts every principal in it, including role sessions.
            sts.World.AddRole("arn:aws:iam::444455556666:role/AccountTrust", 3600, false, null, "arn:aws:iam::111122223333:root");
            await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::444455556666:role/AccountTrust", RoleSessionName = "xx" });
        }

        [Fact]
        public async Task TagsSourceIdentityAndPoliciesAreRecordedAndTransitiveTagsPropagate()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var first = await alice.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = EmulatedSts.ReadOnlyArn,
                RoleSessionName = "tagged",
                Tags = new List<Tag> { new Tag { Key = "team", Value = "blue" }, new Tag { Key = "cost-center", Value = "42" } },
                TransitiveTagKeys = new List<string> { "team" },
                SourceIdentity = "alice",
                Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
                PolicyArns = new List<PolicyDescriptorType> { new PolicyDescriptorType { Arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
            });
            Assert.Equal("alice", first.SourceIdentity);
            Assert.InRange(first.PackedPolicySize.Value, 1, 100);

            var call = sts.World.CallsTo("AssumeRole").Single();
            Assert.Equal("team", call.Parameter("Tags.member.1.Key"));
            Assert.Equal("blue", call.Parameter("Tags.member.1.Value"));
            Assert.Equal("team", call.Parameter("TransitiveTagKeys.member.1"));
            Assert.Equal("arn:aws:iam::aws:policy/ReadOnlyAccess", call.Parameter("PolicyArns.member.1.arn"));

            var s1 = sts.World.Session(first.Credentials.AccessKeyId);
            Assert.Equal("blue", s1.Tags["team"]);
            Assert.Equal("42", s1.Tags["cost-center"]);
            Assert.Equal(new[] { "team" }, s1.TransitiveTagKeys);
            Assert.Equal(new[] { "arn:aws:iam::aws:policy/ReadOnlyAccess" }, s1.PolicyArns);

            using var asRole = sts.Client(first.Credentials);
            var second = await asRole.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = EmulatedSts.LongArn,
                RoleSessionName = "chained",
                Tags = new List<Tag> { new Tag { Key = "step", Value = "2" } },
            });
            var s2 = sts.World.Session(second.Credentials.AccessKeyId);
            // Only the transitive tag travels, the source identity sticks, and the new tag is added.
            Assert.Equal(new[] { "step=2", "team=blue" }, s2.Tags.Select(t => t.Key + "=" + t.Value).OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal("alice", s2.SourceIdentity);
            Assert.Equal("alice", second.SourceIdentity);

            // A transitive key from the calling session cannot be set again.
            await SdkAssert.Fails("InvalidParameterValue", 400, () => asRole.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = EmulatedSts.LongArn,
                RoleSessionName = "override",
                Tags = new List<Tag> { new Tag { Key = "Team", Value = "red" } },
            }));
        }

        [Fact]
        public async Task OversizedOrMalformedPoliciesAreRefused()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            string big = "{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", Enumerable.Range(0, 60).Select(i =>
                "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket-" + i + "/*\"}")) + "]}";

            await SdkAssert.Fails("PackedPolicyTooLarge", 400, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "pp", Policy = big }));
            await SdkAssert.Fails("MalformedPolicyDocument", 400, () => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "pp", Policy = "{not json" }));
        }

        [Fact]
        public async Task WebIdentityNeedsNoSignatureAndReportsTheTokenSubject()
        {
            using var sts = new EmulatedSts();
            using var anonymous = sts.AnonymousClient();
            string token = JWT.Encode(new Dictionary<string, object>
            {
                ["iss"] = "https://token.actions.githubusercontent.com",
                ["sub"] = "repo:example/app:ref:refs/heads/main",
                ["aud"] = "sts.amazonaws.com",
                ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
            }, new byte[32], JwsAlgorithm.HS256);

            var response = await anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = EmulatedSts.WebArn,
                RoleSessionName = "gha",
                WebIdentityToken = token,
            });

            Assert.Equal("repo:example/app:ref:refs/heads/main", response.SubjectFromWebIdentityToken);
            Assert.Equal("sts.amazonaws.com", response.Audience);
            Assert.Equal("arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com", response.Provider);
            Assert.Equal("arn:aws:sts::444455556666:assumed-role/WebIdentity/gha", response.AssumedRoleUser.Arn);

            var call = sts.World.CallsTo("AssumeRoleWithWebIdentity").Single();
            Assert.Null(call.CallerAccessKeyId);
            Assert.Equal(StsCall.Masked, call.Parameter("WebIdentityToken"));

            using var asRole = sts.Client(response.Credentials);
            Assert.Equal(response.AssumedRoleUser.Arn, (await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
            // A web identity session is a role session for chaining.
            await SdkAssert.Fails("ValidationError", 400, () => asRole.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.LongArn, RoleSessionName = "xx", DurationSeconds = 7200 }));
        }

        [Fact]
        public async Task WebIdentityTokensAreChecked()
        {
            using var sts = new EmulatedSts();
            using var anonymous = sts.AnonymousClient();
            string Token(long exp) => JWT.Encode(new Dictionary<string, object> { ["sub"] = "s", ["exp"] = exp }, null, JwsAlgorithm.none);
            string good = Token(DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
            var request = new AssumeRoleWithWebIdentityRequest { RoleArn = EmulatedSts.WebArn, RoleSessionName = "ww" };

            request.WebIdentityToken = "not-a-jwt";
            await SdkAssert.Fails("InvalidIdentityToken", 400, () => anonymous.AssumeRoleWithWebIdentityAsync(request));
            request.WebIdentityToken = Token(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
            await SdkAssert.Fails("ExpiredTokenException", 400, () => anonymous.AssumeRoleWithWebIdentityAsync(request));
            request.WebIdentityToken = good;
            request.RoleArn = EmulatedSts.AdminArn;
            await SdkAssert.Fails("AccessDenied", 403, () => anonymous.AssumeRoleWithWebIdentityAsync(request));

            // Once the world lists tokens, only those are accepted.
            sts.World.AcceptWebIdentityToken(good);
            request.RoleArn = EmulatedSts.WebArn;
            await anonymous.AssumeRoleWithWebIdentityAsync(request);
            request.WebIdentityToken = Token(DateTimeOffset.UtcNow.AddMinutes(6).ToUnixTimeSeconds());
            await SdkAssert.Fails("InvalidIdentityToken", 400, () => anonymous.AssumeRoleWithWebIdentityAsync(request));
        }
    }
}
