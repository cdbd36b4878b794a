using System;
using System.Threading.Tasks;
using Amazon.SecurityToken.Model;
using AwsVault.Tests.Sts;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.StsEmulator
{
    [Collection(ProcessEnvironment.Name)]
    public class SessionTokenTests
    {
        [Fact]
        public async Task WithoutMfaIssuesTemporaryCredentialsForTheUser()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var before = DateTimeOffset.UtcNow;

            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;

            Assert.Matches("^ASIA[A-Z2-7]{16}$", creds.AccessKeyId);
            Assert.Equal(40, creds.SecretAccessKey.Length);
            Assert.False(string.IsNullOrEmpty(creds.SessionToken));
            // The default is 12 hours.
            var lifetime = creds.Expiration.Value.ToUniversalTime() - before.UtcDateTime;
            Assert.InRange(lifetime.TotalSeconds, 43200 - 5, 43200 + 5);

            var session = sts.World.Session(creds.AccessKeyId);
            Assert.Equal("GetSessionToken", session.IssuedBy);
            Assert.Equal(sts.Alice.Arn, session.Arn);
            Assert.False(session.MfaAuthenticated);
            Assert.False(session.IsRoleSession);
            Assert.Equal(EmulatedSts.AliceKeyId, session.ParentAccessKeyId);

            using var asSession = sts.Client(creds);
            var id = await asSession.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal(sts.Alice.Arn, id.Arn);
            Assert.Equal(sts.Alice.UserId, id.UserId);
        }

        [Theory]
        [InlineData(899)]
        [InlineData(129601)]
        public async Task DurationOutsideRangeIsValidationError(int seconds)
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var e = await SdkAssert.Fails("ValidationError", 400, () => alice.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = seconds }));

            Assert.Contains("at 'durationSeconds' failed to satisfy constraint", e.Message);
        }

        [Theory]
        [InlineData(900)]
        [InlineData(129600)]
        public async Task DurationAtTheLimitsIsHonoured(int seconds)
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = seconds })).Credentials;

            var session = sts.World.Session(creds.AccessKeyId);
            Assert.Equal(seconds, (int)Math.Round((session.Expiration - session.IssuedAt).TotalSeconds));
            Assert.Equal(session.Expiration.UtcDateTime, creds.Expiration.Value.ToUniversalTime());
        }

        [Fact]
        public async Task WithMfaMarksTheSessionAndEachCodeWorksOnce()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            string code = Totp.Generate(sts.AliceMfa.Base32Secret, DateTimeOffset.UtcNow);

            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = code })).Credentials;
            var e = await SdkAssert.Fails("AccessDenied", 403,
                () => alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = code }));

            Assert.True(sts.World.Session(creds.AccessKeyId).MfaAuthenticated);
            Assert.Equal("MultiFactorAuthentication failed with invalid MFA one time pass code. ", e.Message);
            // A different, unspent code in the window still works.
            var again = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = sts.AliceCode() })).Credentials;
            Assert.True(sts.World.Session(again.AccessKeyId).MfaAuthenticated);
        }

        [Fact]
        public async Task CodesOutsideTheWindowAreRefused()
        {
            using var sts = new EmulatedSts();
            var clock = new FrozenClock();
            sts.World.TimeProvider = clock;
            using var alice = sts.AliceClient();
            var now = clock.Now;

            foreach (var offset in new[] { TimeSpan.FromSeconds(-95), TimeSpan.FromSeconds(95) })
            {
                await SdkAssert.Fails("AccessDenied", 403, () => alice.GetSessionTokenAsync(new GetSessionTokenRequest
                {
                    SerialNumber = sts.AliceMfa.SerialNumber,
                    TokenCode = Totp.Generate(sts.AliceMfa.Base32Secret, now + offset),
                }));
            }
            // One step either side is accepted, as AWS allows for drift.
            await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = Totp.Generate(sts.AliceMfa.Base32Secret, now.AddSeconds(-30)) });
            await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = Totp.Generate(sts.AliceMfa.Base32Secret, now.AddSeconds(30)) });
        }

        [Fact]
        public async Task WrongSerialIsAccessDenied()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            using var bob = sts.BobClient();

            var e = await SdkAssert.Fails("AccessDenied", 403, () => alice.GetSessionTokenAsync(new GetSessionTokenRequest
            {
                SerialNumber = "arn:aws:iam::111122223333:mfa/someone-else",
                TokenCode = sts.AliceCode(),
            }));
            Assert.StartsWith("MultiFactorAuthentication failed, unable to validate MFA code.", e.Message);

            // Bob has no device, so alice's device is not his to use.
            await SdkAssert.Fails("AccessDenied", 403, () => bob.GetSessionTokenAsync(new GetSessionTokenRequest
            {
                SerialNumber = sts.AliceMfa.SerialNumber,
                TokenCode = sts.AliceCode(),
            }));
        }

        [Fact]
        public async Task MalformedCodeIsValidationError()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();

            var e = await SdkAssert.Fails("ValidationError", 400, () => alice.GetSessionTokenAsync(new GetSessionTokenRequest
            {
                SerialNumber = sts.AliceMfa.SerialNumber,
                TokenCode = "12a456",
            }));
            Assert.Equal("1 validation error detected: Value '12a456' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*", e.Message);
        }

        [Fact]
        public async Task SessionCredentialsCannotCallGetSessionToken()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var gst = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
            var role = (await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "ro" })).Credentials;

            foreach (var creds in new[] { gst, role })
            {
                using var client = sts.Client(creds);
                var e = await SdkAssert.Fails("AccessDenied", 403, () => client.GetSessionTokenAsync(new GetSessionTokenRequest()));
                Assert.Equal("Cannot call GetSessionToken with session credentials", e.Message);
            }
        }
    }
}
