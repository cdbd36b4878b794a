using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AwsVault.Tests.EndToEnd;
using AwsVault.Tests.SecretManagementStandIn;
using AwsVault.Tests.Sessions;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.MultiProcess
{
    /// <summary>The pipeline findings of a new user, in a separate PowerShell process as a console runs them.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class PipedProfileProcessTests
    {
        private static string Import => "Import-Module " + PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + "; ";

        [Fact]
        public async Task APipedProfileRunsTheBlockOnlyInsideItsSession()
        {
            using var f = new SessionFixture();
            var r = await EndToEndTests.Pwsh(f, Import +
                "$env:AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'; " +
                "Get-AwsVaultProfile bob | Invoke-AwsVault { 'ran vault=' + $env:AWS_VAULT + ' key=' + $env:AWS_ACCESS_KEY_ID }; " +
                "'after key=' + $env:AWS_ACCESS_KEY_ID");
            Assert.True(r.ExitCode == 0, r.ToString());
            var issued = f.World.Sessions.Single();
            var lines = r.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
            Assert.Equal(new[] { "ran vault=bob key=" + issued.AccessKeyId, "after key=AKIAIOSFODNN7EXAMPLE" }, lines);
        }

        [Fact]
        public async Task APipedFileVaultProfileIsNotRemovedFromTheDefaultSecretManagementVault()
        {
            using var f = new SessionFixture();
            var extra = new System.Collections.Generic.Dictionary<string, string>
            {
                ["AWS_VAULT_BACKEND"] = "",
                ["PSModulePath"] = StandInModule.TestModulesDirectory,
                [StandInModule.RegistryEnvironmentVariable] = Path.Combine(f.Env.Root, "registry.json"),
            };
            var r = await EndToEndTests.Pwsh(f, Import +
                "Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore; " +
                "Get-AwsVaultProfile bob -Backend file | Remove-AwsVaultProfile -WhatIf; " +
                "try { Get-AwsVaultProfile bob -Backend file | Remove-AwsVaultProfile -Vault S -Force } catch { 'refused: ' + $_.FullyQualifiedErrorId }", extra: extra);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("profile 'bob' in the file vault '" + f.Env.VaultDirectory + "'", r.StdOut);
            Assert.DoesNotContain("SecretManagement vault 'S'\"", r.StdOut);
            Assert.Contains("refused: PipedProfileStoreMismatch,", r.StdOut);
            Assert.Contains(Directory.GetFiles(f.Env.VaultDirectory), p => Path.GetFileName(p) == "bob");
        }

        [Fact]
        public async Task AShellThatDoesNotExistIsNotAnnounced()
        {
            using var f = new SessionFixture();
            var r = await EndToEndTests.Pwsh(f, Import + "$ErrorView = 'NormalView'; Enter-AwsVaultShell bob -Shell /bin/awsvault-no-such-shell");
            Assert.NotEqual(0, r.ExitCode);
            Assert.DoesNotContain("Starting", r.StdOut + r.StdErr);
            Assert.Contains("CommandNotFound,", r.StdErr);
        }
    }
}
