using System.Linq;
using System.Management.Automation;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Sessions
{
    /// <summary>Which source serves a profile, in aws-vault's GetProviderForProfile order: a stored key or a
    /// source_profile first, then SSO, web identity and credential_process.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class SourceOrderTests
    {
        private const string SsoDefault = "[default]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n\n";

        [Fact]
        public void AStoredKeyWinsOverSsoSettingsInheritedFromDefault()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(SsoDefault + f.DefaultConfig + "\n[profile ssoonly]\nregion = us-east-1\n");

            var noSession = f.Ps.Run("Get-AwsVaultSession bob -NoSession").ThrowIfErrors();
            Assert.Equal(StsEmulator.EmulatedSts.BobKeyId, ((AwsVaultSession)noSession.Output.Single().BaseObject).AccessKeyId);
            Assert.Empty(f.World.Calls);

            f.Ps.Run("Get-AwsVaultSession readonly").ThrowIfErrors();
            Assert.Single(f.World.CallsTo("AssumeRole"));

            // A profile with neither key nor source is served by the SSO settings it inherits; [default] names no
            // account or role, so the answer names what to add.
            AssertError(f.Ps.RunCatching("Get-AwsVaultSession ssoonly"), "ConfigSsoSettingMissing", ErrorCategory.InvalidData);
        }
    }
}
