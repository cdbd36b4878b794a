using System.Linq;
using System.Management.Automation;
using AwsVault.Tests.Sessions;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Invoke
{
    /// <summary>Export-AwsVaultSession's two rules besides the formats: no new session inside a session (as
    /// aws-vault's export), and no session parameters that would be ignored next to -Session.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class ExportSessionRulesTests
    {
        [Theory]
        [InlineData("Env")]
        [InlineData("CredentialProcess")]
        public void ExportByProfileInsideASessionIsRefusedLikeInvokeAwsVault(string format)
        {
            using var f = new SessionFixture();
            var inside = f.Ps.RunCatching("Invoke-AwsVault bob { Export-AwsVaultSession bob -Format " + format + " }");
            AssertError(inside, "NestedSessionRefused", ErrorCategory.InvalidOperation);
            Assert.Contains("unset AWS_VAULT to force", inside.Terminating.Exception.Message);
            Assert.Empty(inside.Output);
            Assert.Single(f.World.Calls); // the outer session's GetSessionToken, nothing for the export

            // Set by an outer aws-vault exec or Enter-AwsVaultShell, the variable alone is enough ...
            f.Env.Set("AWS_VAULT", "dev");
            var marked = f.Ps.RunCatching("Export-AwsVaultSession bob -Format " + format);
            AssertError(marked, "NestedSessionRefused", ErrorCategory.InvalidOperation);
            Assert.Contains("'dev'", marked.Terminating.Exception.Message);

            // ... and unsetting it forces the export, as aws-vault says.
            var forced = f.Ps.RunCatching("$env:AWS_VAULT = $null; Export-AwsVaultSession bob -Format " + format);
            forced.ThrowIfErrors();
            Assert.NotEmpty(forced.Output);
        }

        [Fact]
        public void ASessionObjectIsStillExportedInsideASessionBecauseNoSessionIsStarted()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("$s = Get-AwsVaultSession bob; Invoke-AwsVault bob { $s | Export-AwsVaultSession -Format Env }");
            r.ThrowIfErrors();
            Assert.Contains(r.Output.Select(o => o.ToString()), line => line.StartsWith("AWS_ACCESS_KEY_ID=ASIA"));
        }

        [Theory]
        [InlineData("-Duration 2h", "-Duration")]
        [InlineData("-Region eu-west-1", "-Region")]
        [InlineData("-Refresh", "-Refresh")]
        [InlineData("-NoSession", "-NoSession")]
        [InlineData("-MfaToken 123456", "-MfaToken")]
        [InlineData("-Backend file", "-Backend")]
        [InlineData("-Vault Other", "-Vault")]
        public void AGivenSessionRefusesTheParametersThatWouldShapeANewOne(string parameter, string name)
        {
            using var f = new SessionFixture();
            f.Ps.Run("$s = Get-AwsVaultSession bob").ThrowIfErrors();
            f.World.ClearCalls();

            var piped = f.Ps.RunCatching("$s | Export-AwsVaultSession -Format Env " + parameter);
            AssertError(piped, "SessionParameterNotApplicable", ErrorCategory.InvalidArgument);
            string message = piped.Terminating.Exception.Message;
            Assert.StartsWith(name + " has no effect on a session passed with -Session", message);
            Assert.Contains("Get-AwsVaultSession", message);
            Assert.Contains("Export-AwsVaultSession 'bob' -Format Env", message);
            Assert.Empty(piped.Output);

            var named = f.Ps.RunCatching("Export-AwsVaultSession -Session $s -Format Ini " + parameter);
            AssertError(named, "SessionParameterNotApplicable", ErrorCategory.InvalidArgument);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void SeveralIgnoredParametersAreNamedTogether()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob | Export-AwsVaultSession -Format Env -Duration 2h -Region eu-west-1 -Refresh");
            AssertError(r, "SessionParameterNotApplicable", ErrorCategory.InvalidArgument);
            Assert.StartsWith("-Duration, -Region and -Refresh have no effect", r.Terminating.Exception.Message);
        }
    }
}
