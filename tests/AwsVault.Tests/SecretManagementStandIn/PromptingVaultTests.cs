using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>
    /// Interaction = 'Prompt' makes a locked vault behave like SecretStore at its defaults, as users observed it with
    /// SecretManagement 1.1.2 and SecretStore 1.0.6: it asks on the caller's host, the right password unlocks it for
    /// the process, -NonInteractive gives the locked error, and three unanswered prompts end the call with
    /// PowerShell.HadErrors set and nothing in the error stream. RefreshDelay models SecretStore's per-process
    /// in-memory copy of its store file, reloaded only a while after another process changed it.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class PromptingVaultTests : IDisposable
    {
        private readonly TestEnvironment _env;

        public PromptingVaultTests()
        {
            _env = new TestEnvironment(setPassphrase: false, backend: null);
            _env.Set(StandInModule.RegistryEnvironmentVariable, null);
            StandInModule.Reset();
        }

        public void Dispose()
        {
            StandInModule.Reset();
            _env.Dispose();
        }

        private static PowerShellSession Session(ScriptedHost host)
        {
            var ps = StandInModule.NewSession(host);
            return ps;
        }

        private static void RegisterPrompting(PowerShellSession ps) =>
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters @{ Locked = $true; Password = 'pw'; Interaction = 'Prompt' }").ThrowIfErrors();

        // The way AwsVault calls SecretManagement: a nested PowerShell in the caller's runspace.
        private static (bool HadErrors, int Errors, int Output) Nested(PowerShellSession ps, string command, string name, object secret = null)
        {
            var r = ps.Run(
                "$p = [powershell]::Create('CurrentRunspace'); $null = $p.AddCommand('" + command + "').AddParameter('Name', '" + name + "').AddParameter('Vault', 'S')\n" +
                (secret == null ? string.Empty : "$null = $p.AddParameter('Secret', '" + secret + "')\n") +
                "$out = $p.Invoke(); $p.HadErrors; $p.Streams.Error.Count; @($out).Count").ThrowIfErrors();
            return ((bool)r.Output[0].BaseObject, (int)r.Output[1].BaseObject, (int)r.Output[2].BaseObject);
        }

        [Fact]
        public void ALockedVaultAsksOnTheHostAndTheRightPasswordUnlocksItForTheProcess()
        {
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue("pw");
            using var ps = Session(host);
            RegisterPrompting(ps);
            ps.Run("Set-Secret -Name n -Secret 'v' -Vault S").ThrowIfErrors();
            Assert.Contains("Vault S requires a password.", host.ScriptedUI.Transcript.ToString());
            Assert.Contains("Enter password:", host.ScriptedUI.Transcript.ToString());
            Assert.Equal(1, host.ScriptedUI.SecureReads);

            using var other = Session(new ScriptedHost());
            Assert.Equal("v", other.Run("Get-Secret -Name n -Vault S -AsPlainText").ThrowIfErrors().Output.Single().BaseObject);
        }

        [Fact]
        public void ThreeUnansweredPromptsEndTheCallWithHadErrorsAndAnEmptyErrorStream()
        {
            var host = new ScriptedHost();
            for (int i = 0; i < 6; i++) host.ScriptedUI.Answers.Enqueue(string.Empty);
            using var ps = Session(host);
            RegisterPrompting(ps);

            var set = Nested(ps, "Set-Secret", "n", "v");
            Assert.True(set.HadErrors);
            Assert.Equal(0, set.Errors);
            Assert.Equal(3, host.ScriptedUI.SecureReads);

            var info = Nested(ps, "Get-SecretInfo", "*");
            Assert.True(info.HadErrors);
            Assert.Equal(0, info.Errors);
            Assert.Equal(0, info.Output);
            Assert.Equal(6, host.ScriptedUI.SecureReads);

            var vault = ps.Run("Unlock-SecretVault -Name S -Password ([System.Net.NetworkCredential]::new('', 'pw').SecurePassword); @(Get-SecretInfo -Vault S).Count").ThrowIfErrors();
            Assert.Equal(0, (int)vault.Output.Single().BaseObject);
        }

        [Fact]
        public void AHostThatCannotPromptGetsTheLockedErrorAndAWrongPasswordToo()
        {
            using (var ps = Session(new ScriptedHost(interactive: false)))
            {
                RegisterPrompting(ps);
                var r = ps.RunCatching("Set-Secret -Name n -Secret 'v' -Vault S");
                Assert.Equal("Microsoft.PowerShell.SecretManagement.PasswordRequiredException", r.Terminating?.Exception.GetType().FullName);
                Assert.Contains("Unlock-SecretStore", r.Terminating.Exception.Message);
            }
            StandInModule.Reset();
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue("guess");
            using (var ps = Session(host))
            {
                RegisterPrompting(ps);
                var r = ps.RunCatching("Set-Secret -Name n -Secret 'v' -Vault S");
                Assert.Equal("Microsoft.PowerShell.SecretManagement.PasswordRequiredException", r.Terminating?.Exception.GetType().FullName);
                Assert.Contains("Password is invalid", r.Terminating.Exception.Message);
            }
        }

        [Fact]
        public void LocalSecretStoreTellsWhetherTheStoreIsLockedWithoutPrompting()
        {
            var host = new ScriptedHost();
            using var ps = Session(host);
            RegisterPrompting(ps);
            const string probe =
                "try { $s = [Microsoft.PowerShell.SecretStore.LocalSecretStore]::GetInstance(); $i = $null; $e = $null; $null = $s.EnumerateObjectInfo('*', [ref]$i, 'S', [ref]$e); 'open' } " +
                "catch [Microsoft.PowerShell.SecretManagement.PasswordRequiredException] { 'locked' }";
            Assert.Equal("locked", ps.Run(probe).ThrowIfErrors().Output.Single().ToString());
            Assert.Equal(0, host.ScriptedUI.SecureReads);
            ps.Run("Unlock-SecretVault -Name S -Password ([System.Net.NetworkCredential]::new('', 'pw').SecurePassword)").ThrowIfErrors();
            Assert.Equal("open", ps.Run(probe).ThrowIfErrors().Output.Single().ToString());
            StandInModule.Lock("S");
            Assert.Equal("locked", ps.Run(probe).ThrowIfErrors().Output.Single().ToString());
        }

        [Fact]
        public void WithRefreshDelayAnotherProcesssWriteIsSeenOnlyAfterTheDelay()
        {
            string dir = Path.Combine(_env.Root, "stale-vault");
            using var ps = Session(new ScriptedHost());
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters @{ Path = '" + dir + "'; RefreshDelay = 1.5 }").ThrowIfErrors();
            ps.Run("Set-Secret -Name mine -Secret 'v' -Vault S").ThrowIfErrors();
            Assert.Equal("v", ps.Run("Get-Secret -Name mine -Vault S -AsPlainText").ThrowIfErrors().Output.Single().BaseObject);

            // Another process's write: a file appears in the directory without going through this process.
            string other = Path.Combine(_env.Root, "other-vault");
            using (var writer = Session(new ScriptedHost()))
            {
                writer.Run("Register-SecretVault -Name W -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters @{ Path = '" + other + "' }").ThrowIfErrors();
                writer.Run("Set-Secret -Name theirs -Secret 't' -Vault W").ThrowIfErrors();
            }
            foreach (string f in Directory.GetFiles(other)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));

            Assert.Empty(ps.Run("Get-SecretInfo -Name theirs -Vault S").ThrowIfErrors().Output);
            Thread.Sleep(TimeSpan.FromSeconds(2));
            Assert.Single(ps.Run("Get-SecretInfo -Name theirs -Vault S").ThrowIfErrors().Output);
        }
    }
}
