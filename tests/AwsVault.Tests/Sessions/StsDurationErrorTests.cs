using System.Management.Automation;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Sessions
{
    /// <summary>
    /// A length within AWS's limits can still be too long for the role (its MaxSessionDuration, 1 h for ReadOnly in
    /// the emulator), which only STS knows. Its ValidationError must point at what the user set — -Duration, a TTL
    /// variable or duration_seconds — and not at a duration_seconds the config does not have.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class StsDurationErrorTests
    {
        [Fact]
        public void AnStsDurationErrorAfterDurationNamesTheParameterNotTheConfig()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Get-AwsVaultSession readonly -Duration 2h");
            AssertError(r, "StsValidationError", ErrorCategory.InvalidArgument);
            string message = r.Terminating.Exception.Message;
            Assert.Contains("MaxSessionDuration", message);
            Assert.Contains("The session length came from -Duration.", message);
            Assert.DoesNotContain("duration_seconds", message);
            Assert.Single(f.World.CallsTo("AssumeRole"));
        }

        [Fact]
        public void AnStsDurationErrorNamesTheVariableOrTheConfigLineItCameFrom()
        {
            using var f = new SessionFixture(config:
                "[profile bob]\nregion = us-west-2\n\n[profile readonly]\nsource_profile = bob\nrole_arn = " + EmulatedSts.ReadOnlyArn + "\nduration_seconds = 7200\n");
            var fromConfig = f.Ps.RunCatching("Get-AwsVaultSession readonly");
            AssertError(fromConfig, "StsValidationError", ErrorCategory.InvalidArgument);
            Assert.Contains("The session length came from duration_seconds in " + f.Env.ConfigFile + " line 7.", fromConfig.Terminating.Exception.Message);

            f.Env.Set("AWS_ASSUME_ROLE_TTL", "90m");
            var fromVariable = f.Ps.RunCatching("Get-AwsVaultSession readonly");
            AssertError(fromVariable, "StsValidationError", ErrorCategory.InvalidArgument);
            Assert.Contains("The session length came from $env:AWS_ASSUME_ROLE_TTL.", fromVariable.Terminating.Exception.Message);
            Assert.DoesNotContain("duration_seconds", fromVariable.Terminating.Exception.Message);
        }
    }
}
