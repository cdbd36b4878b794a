using System;
using System.IO;
using System.Linq;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.PowerShellFinish
{
    /// <summary>
    /// -ProfileName completion lists the keys of the store the command would use: the one its -Backend / -Vault
    /// name, else the environment's, else the default; SecretManagement through Get-SecretInfo -Vault, never prompting.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class ProfileCompletionStoreTests : IDisposable
    {
        private readonly TestEnvironment _env;

        public ProfileCompletionStoreTests()
        {
            _env = new TestEnvironment(backend: null);
            _env.Set(StandInModule.RegistryEnvironmentVariable, null);
            _env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
            _env.WriteConfig("[profile cfg-only]\n");
            StandInModule.Reset();
        }

        public void Dispose()
        {
            StandInModule.Reset();
            _env.Dispose();
        }

        private static string[] Complete(PowerShellSession ps, string input) =>
            ps.Run("(TabExpansion2 -inputScript '" + input.Replace("'", "''") + "' -cursorColumn " + input.Length + ").CompletionMatches | ForEach-Object { $_.CompletionText }")
              .ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();

        // cfg-only in the config; file-key in the file vault; team-key in vault Team (the default), home-key in Home.
        private PowerShellSession ThreeStores(ScriptedHost host = null, string homeParameters = null)
        {
            var ps = new PowerShellSession(host);
            ps.Run("Register-SecretVault -Name Team -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault").ThrowIfErrors();
            ps.Run("Register-SecretVault -Name Home -ModuleName Microsoft.PowerShell.SecretStore" + (homeParameters == null ? "" : " -VaultParameters " + homeParameters)).ThrowIfErrors();
            if (homeParameters != null) ps.Run("Unlock-SecretVault -Name Home -Password ([System.Net.NetworkCredential]::new('', 'pw').SecurePassword)").ThrowIfErrors();
            ps.Run(AddScript("file-key", extra: "-Backend file -AddConfig:$false")).ThrowIfErrors();
            ps.Run(AddScript("team-key", extra: "-Vault Team -AddConfig:$false")).ThrowIfErrors();
            ps.Run(AddScript("home-key", extra: "-Vault Home -AddConfig:$false")).ThrowIfErrors();
            StandInModule.ClearCalls();
            return ps;
        }

        [Fact]
        public void TheTypedBackendOrVaultDecidesWhichKeysAreListed()
        {
            using var ps = ThreeStores();
            Assert.Equal(new[] { "cfg-only", "home-key" }, Complete(ps, "Get-AwsVaultSession -Vault Home -ProfileName "));
            Assert.Equal(new[] { "cfg-only", "home-key" }, Complete(ps, "Get-AwsVaultProfile -Backend secretmanagement -Vault Home "));
            Assert.Equal(new[] { "cfg-only", "file-key" }, Complete(ps, "Remove-AwsVaultProfile -Backend file "));
            Assert.Equal(new[] { "cfg-only", "team-key" }, Complete(ps, "Export-AwsVaultSession "));
            Assert.Equal(new[] { "team-key" }, Complete(ps, "Clear-AwsVaultSession t"));

            var calls = StandInModule.Calls.Where(c => c.Command.EndsWith("-Secret") || c.Command.EndsWith("-SecretInfo")).ToList();
            Assert.NotEmpty(calls);
            Assert.All(calls, c => Assert.Equal("Get-SecretInfo", c.Command)); // names only, never a secret
            Assert.All(calls, c => Assert.True(c.Has("Vault"), c + " was called without -Vault"));
        }

        [Fact]
        public void TheEnvironmentDecidesWhenNothingIsTyped()
        {
            using var ps = ThreeStores();
            _env.Set("AWS_VAULT_BACKEND", "file");
            Assert.Equal(new[] { "cfg-only", "file-key" }, Complete(ps, "Get-AwsVaultSession "));
            _env.Set("AWS_VAULT_BACKEND", null);
            _env.Set("AWS_VAULT_SECRETMANAGEMENT_VAULT", "Home");
            Assert.Equal(new[] { "cfg-only", "home-key" }, Complete(ps, "Get-AwsVaultSession "));
            Assert.Equal(new[] { "cfg-only", "file-key" }, Complete(ps, "Get-AwsVaultSession -Backend file "));
        }

        [Fact]
        public void ALockedOrUnknownVaultLeavesTheConfigNamesAndAsksNothing()
        {
            var host = new ScriptedHost();
            using var ps = ThreeStores(host, "@{ Locked = $true; Password = 'pw'; Interaction = 'Prompt' }");
            StandInModule.Lock("Home");
            Assert.Equal(new[] { "cfg-only" }, Complete(ps, "Get-AwsVaultSession -Vault Home "));
            Assert.Equal(new[] { "cfg-only" }, Complete(ps, "Get-AwsVaultSession -Vault Nowhere "));
            Assert.Equal(new[] { "cfg-only" }, Complete(ps, "Get-AwsVaultSession -Backend typo "));
            Assert.Empty(host.ScriptedUI.Prompts);
        }
    }
}
