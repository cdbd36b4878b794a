using System.Linq;
using System.Management.Automation;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Sessions
{
    /// <summary>
    /// The SDKs' retry settings, as a user sets them: AWS_MAX_ATTEMPTS and AWS_RETRY_MODE, then max_attempts and
    /// retry_mode in the profile; by default standard mode with 3 attempts, like aws-vault and the AWS CLI. The
    /// emulator throttles every request, so the requests it records are the attempts made.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class StsRetrySettingsTests
    {
        [Fact]
        public void ByDefaultAThrottledCallIsTriedThreeTimesInStandardMode()
        {
            using var f = new SessionFixture();
            f.World.Faults.AlwaysThrottle("GetSessionToken");
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob -Verbose");
            AssertError(r, "StsThrottling", ErrorCategory.LimitsExceeded);
            Assert.Equal(3, f.World.CallsTo("GetSessionToken").Count);
            Assert.Contains(r.Verbose, v => v.Contains("3 attempts (the default, standard retry mode) of at most 5 s each"));
        }

        [Theory]
        [InlineData("1", 1)]
        [InlineData("5", 5)]
        public void AwsMaxAttemptsSetsTheAttempts(string value, int expected)
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_MAX_ATTEMPTS", value);
            f.World.Faults.AlwaysThrottle("GetSessionToken");
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob -Verbose");
            AssertError(r, "StsThrottling", ErrorCategory.LimitsExceeded);
            Assert.Equal(expected, f.World.CallsTo("GetSessionToken").Count);
            Assert.Contains(r.Verbose, v => v.Contains(value + " attempt" + (expected == 1 ? "" : "s") + " ($env:AWS_MAX_ATTEMPTS, standard retry mode)"));
        }

        [Fact]
        public void MaxAttemptsInTheProfileCountsUnlessTheEnvironmentSaysOtherwise()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig("[profile bob]\nregion = us-west-2\nmax_attempts = 2\n");
            f.World.Faults.AlwaysThrottle("GetSessionToken");
            var fromProfile = f.Ps.RunCatching("Get-AwsVaultSession bob -Verbose");
            AssertError(fromProfile, "StsThrottling", ErrorCategory.LimitsExceeded);
            Assert.Equal(2, f.World.CallsTo("GetSessionToken").Count);
            Assert.Contains(fromProfile.Verbose, v => v.Contains("2 attempts (max_attempts in " + f.Env.ConfigFile + " line 3, standard retry mode)"));

            f.World.ClearCalls();
            f.Env.Set("AWS_MAX_ATTEMPTS", "1");
            var fromEnvironment = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(fromEnvironment, "StsThrottling", ErrorCategory.LimitsExceeded);
            Assert.Single(f.World.CallsTo("GetSessionToken"));
        }

        [Fact]
        public void TheRetryModeComesFromAwsRetryModeThenTheProfile()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig("[profile bob]\nregion = us-west-2\nretry_mode = adaptive\n");
            var fromProfile = f.Ps.RunCatching("Get-AwsVaultSession bob -Verbose");
            fromProfile.ThrowIfErrors();
            Assert.Contains(fromProfile.Verbose, v => v.Contains("(the default, adaptive retry mode)"));

            // "legacy" is what botocore and AWS CLI v1 still know; the .NET SDK v4 has only standard and adaptive.
            f.Env.Set("AWS_RETRY_MODE", "Legacy");
            var fromEnvironment = f.Ps.RunCatching("Get-AwsVaultSession bob -Refresh -Verbose");
            fromEnvironment.ThrowIfErrors();
            Assert.Contains(fromEnvironment.Verbose, v => v.Contains("(the default, standard retry mode)"));
            Assert.Equal(2, f.World.CallsTo("GetSessionToken").Count);
        }

        [Theory]
        [InlineData("AWS_MAX_ATTEMPTS", "0", "InvalidMaxAttempts")]
        [InlineData("AWS_MAX_ATTEMPTS", "three", "InvalidMaxAttempts")]
        [InlineData("AWS_RETRY_MODE", "fast", "InvalidRetryMode")]
        public void ARetryVariableThatIsNotAValueIsRejectedBeforeAnyStsCall(string variable, string value, string errorId)
        {
            using var f = new SessionFixture();
            f.Env.Set(variable, value);
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, errorId, ErrorCategory.InvalidArgument);
            Assert.Contains("$env:" + variable + " is '" + value + "'", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Theory]
        [InlineData("max_attempts = -1", "max_attempts")]
        [InlineData("retry_mode = eager", "retry_mode")]
        public void ARetrySettingInTheProfileThatIsNotAValueNamesTheLine(string line, string key)
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig("[profile bob]\nregion = us-west-2\n" + line + "\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, "ConfigInvalidValue", ErrorCategory.InvalidData);
            Assert.StartsWith(f.Env.ConfigFile + " line 3: " + key + " in [profile bob]", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }
    }
}
