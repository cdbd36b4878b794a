using System;
using System.Threading.Tasks;
using Amazon.SecurityToken.Model;
using Amazon.SSO.Model;
using AwsVault.Tests.StsEmulator;
using Xunit;

namespace AwsVault.Tests.SsoEmulator
{
    /// <summary>StsWorld.CredentialLifetimeOverride (issue #13): keys that expire sooner than asked.</summary>
    public class CredentialLifetimeOverrideTests
    {
        [Fact]
        public async Task SessionsExpireAtTheOverrideWhateverDurationSecondsSays()
        {
            using var sts = new EmulatedSts();
            var clock = new ShiftedClock();
            sts.World.TimeProvider = clock;
            sts.World.CredentialLifetimeOverride = TimeSpan.FromSeconds(5);
            using var alice = sts.AliceClient();
            var before = DateTimeOffset.UtcNow;

            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 3600 })).Credentials;
            using var session = sts.Client(creds);
            var role = (await session.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "short", DurationSeconds = 3600 })).Credentials;

            Assert.InRange((creds.Expiration.Value.ToUniversalTime() - before.UtcDateTime).TotalSeconds, 3, 7);
            Assert.InRange((role.Expiration.Value.ToUniversalTime() - before.UtcDateTime).TotalSeconds, 3, 7);
            Assert.Equal(sts.World.Session(creds.AccessKeyId).IssuedAt.AddSeconds(5), sts.World.Session(creds.AccessKeyId).Expiration);

            clock.Offset = TimeSpan.FromSeconds(6);
            await SdkAssert.Fails("ExpiredToken", 403, () => session.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            using var roleClient = sts.Client(role);
            await SdkAssert.Fails("ExpiredToken", 403, () => roleClient.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

            sts.World.CredentialLifetimeOverride = null;
            var normal = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 3600 })).Credentials;
            Assert.Equal(3600, (sts.World.Session(normal.AccessKeyId).Expiration - sts.World.Session(normal.AccessKeyId).IssuedAt).TotalSeconds);
        }

        [Fact]
        public async Task SsoRoleCredentialsFollowTheOverrideToo()
        {
            using var sso = new EmulatedSso();
            sso.World.Sts.CredentialLifetimeOverride = TimeSpan.FromSeconds(5);
            var token = await sso.SignIn();
            using var portal = sso.Portal();
            long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            var creds = (await portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = EmulatedSso.Dev, RoleName = "ReadOnly" })).RoleCredentials;

            Assert.InRange(creds.Expiration.Value - before, 3000, 7000);
        }

        [Fact]
        public void OverrideMustBePositive()
        {
            var world = new Sts.StsWorld();
            Assert.Throws<ArgumentOutOfRangeException>(() => world.CredentialLifetimeOverride = TimeSpan.Zero);
        }
    }
}
