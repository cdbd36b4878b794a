using System.IO;
using System.Linq;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using AwsVault.Tests.Sessions;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.PowerShellFinish
{
    /// <summary>Tab completion through TabExpansion2 and the pipelines users write.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class CompletionAndPipelineTests
    {
        private static string[] Complete(PowerShellSession ps, string input) =>
            ps.Run("(TabExpansion2 -inputScript '" + input.Replace("'", "''") + "' -cursorColumn " + input.Length + ").CompletionMatches | ForEach-Object { $_.CompletionText }")
              .ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();

        [Fact]
        public void ProfileNamesCompleteFromTheConfigAndTheVault()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile dev]\n[profile deploy]\n[profile prod]\n[profile 'odd name']\n");
            using var ps = new PowerShellSession();
            ps.Run(AddScript("data-lake", extra: "-AddConfig:$false")).ThrowIfErrors();
            Assert.Equal(new[] { "data-lake", "deploy", "dev" }, Complete(ps, "Invoke-AwsVault d"));
            Assert.Equal(new[] { "data-lake", "deploy", "dev" }, Complete(ps, "Get-AwsVaultSession -ProfileName d"));
            Assert.Equal(new[] { "prod" }, Complete(ps, "Remove-AwsVaultProfile pr"));
            Assert.Equal(new[] { "data-lake", "deploy", "dev", "prod" }.Length + 1, Complete(ps, "Export-AwsVaultSession ").Length);
        }

        [Fact]
        public void ProfileCompletionSurvivesABrokenConfigAndNeedsNoPassphrase()
        {
            using var env = new TestEnvironment();
            using (var ps = new PowerShellSession()) ps.Run(AddScript("dev", extra: "-AddConfig:$false")).ThrowIfErrors();
            env.WriteConfig("[profile broken\n");
            env.Set("AWS_VAULT_FILE_PASSPHRASE", null);
            env.Set("CI", "true");
            using var again = new PowerShellSession(new ScriptedHost());
            Assert.Equal(new[] { "dev" }, Complete(again, "Get-AwsVaultProfile d"));
            Assert.Empty(again.Host.ScriptedUI.Prompts);
        }

        [Fact]
        public void VaultNamesCompleteFromRegisteredSecretManagementVaults()
        {
            using var env = new TestEnvironment(backend: null);
            env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PSModulePath"));
            StandInModule.Reset();
            try
            {
                using var ps = new PowerShellSession();
                ps.Run("Register-SecretVault -Name Team -ModuleName X; Register-SecretVault -Name Personal -ModuleName X; Register-SecretVault -Name Tools -ModuleName X").ThrowIfErrors();
                Assert.Equal(new[] { "Team", "Tools" }, Complete(ps, "Get-AwsVaultProfile -Vault T").OrderBy(s => s).ToArray());
            }
            finally
            {
                StandInModule.Reset();
            }
        }

        [Fact]
        public void ProfilesPipeIntoSessionsAndSessionsIntoExports()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile prod-a]\nregion = eu-west-1\n[profile prod-b]\nregion = eu-west-2\n");
            f.Ps.Run(AddScript("prod-a", extra: "-AddConfig:$false") + "; " + AddScript("prod-b", OtherKeyId, OtherSecret, "-AddConfig:$false")).ThrowIfErrors();
            var sessions = f.Ps.Run("Get-AwsVaultProfile 'prod*' | Get-AwsVaultSession").ThrowIfErrors();
            Assert.Equal(new[] { "prod-a", "prod-b" }, sessions.Output.Select(o => ((AwsVaultSession)o.BaseObject).ProfileName).ToArray());
            Assert.Equal(new[] { "eu-west-1", "eu-west-2" }, sessions.Output.Select(o => ((AwsVaultSession)o.BaseObject).Region).ToArray());

            var env = f.Ps.Run("Get-AwsVaultSession prod-a | Export-AwsVaultSession -Format Env").ThrowIfErrors();
            Assert.Contains("AWS_REGION=eu-west-1", env.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void EveryProfilePipesIntoRemoveWithWhatIf()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile only-config]\n");
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev") + "; " + AddScript("ops", OtherKeyId, OtherSecret)).ThrowIfErrors();
            var r = ps.Run("Get-AwsVaultProfile | Remove-AwsVaultProfile -WhatIf");
            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("ProfileKeyNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(2, Directory.GetFiles(env.VaultDirectory).Length);

            ps.Run("Get-AwsVaultProfile | Where-Object HasStoredKey | Remove-AwsVaultProfile -Force").ThrowIfErrors();
            Assert.Empty(Directory.GetFiles(env.VaultDirectory));
        }
    }
}
