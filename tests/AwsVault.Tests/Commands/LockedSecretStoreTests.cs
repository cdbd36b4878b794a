using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;

namespace AwsVault.Tests.Commands
{
    /// <summary>
    /// Issue #10 item 3: a SecretStore at its defaults (password, Interaction Prompt) that nobody unlocks. The
    /// stand-in vault registered with Interaction = 'Prompt' behaves as users observed the real one: it prompts on
    /// the host from inside the vault call, and three unanswered prompts end the call with HadErrors and no record.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class LockedSecretStoreTests : IDisposable
    {
        private const string Parameters = "@{ Locked = $true; Password = 'pw'; Interaction = 'Prompt' }";
        private readonly TestEnvironment _env;

        public LockedSecretStoreTests()
        {
            _env = new TestEnvironment(setPassphrase: false, backend: "secretmanagement");
            _env.Set(StandInModule.RegistryEnvironmentVariable, null);
            _env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
            _env.Set("CI", null);
            _env.Set("AWS_VAULT_PROMPT", null);
            StandInModule.Reset();
        }

        public void Dispose()
        {
            StandInModule.Reset();
            _env.Dispose();
        }

        private static PowerShellSession Open(ScriptedHost host)
        {
            var ps = new PowerShellSession(host);
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters " + Parameters).ThrowIfErrors();
            return ps;
        }

        private static string StoredKeyId(PowerShellSession ps) =>
            ps.Run("Unlock-SecretVault -Name S -Password ([System.Net.NetworkCredential]::new('', 'pw').SecurePassword); (Get-Secret -Name AwsVault-Key-dev -Vault S).UserName")
              .ThrowIfErrors().Output.Single().ToString();

        [Fact]
        public void AnUnansweredVaultPromptFailsTheCommandAndTheOldKeyStays()
        {
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue("pw");
            using var ps = Open(host);
            ps.Run(AddScript("dev")).ThrowIfErrors();
            StandInModule.Lock("S");
            // Enough empty answers for every prompt the command could make: nobody answers any of them.
            for (int i = 0; i < 12; i++) host.ScriptedUI.Answers.Enqueue(string.Empty);

            var r = ps.Run(AddScript("dev", OtherKeyId, OtherSecret, "-Force -Verbose") + "; $?");

            Assert.Equal(false, r.Output.Last().BaseObject);
            var e = r.FirstError;
            Assert.NotNull(e);
            Assert.Equal("SecretVaultCallFailed,AwsVault.Commands.AddAwsVaultProfileCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category);
            Assert.Contains("Unlock-SecretStore", e.Exception.Message);
            Assert.DoesNotContain(r.Verbose, v => v.StartsWith("Stored access key", StringComparison.Ordinal));
            Assert.Equal(3, host.ScriptedUI.SecureReads - 1);
            Assert.Equal(KeyId, StoredKeyId(ps));
            Assert.DoesNotContain(OtherSecret, r.AllText() + host.ScriptedUI.Transcript);
        }

        [Theory]
        [InlineData("CI", "true")]
        [InlineData("AWS_VAULT_PROMPT", "none")]
        public void WhenNoOneCanAnswerALockedSecretStoreIsNotAskedAndTheCommandFailsAtOnce(string variable, string value)
        {
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue("pw");
            using var ps = Open(host);
            _env.Set(variable, value);

            var r = ps.Run(AddScript("dev") + "; $?");

            Assert.Equal(false, r.Output.Last().BaseObject);
            var e = r.FirstError;
            Assert.Equal("SecretVaultLocked,AwsVault.Commands.AddAwsVaultProfileCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category);
            Assert.Contains("Unlock-SecretStore", e.Exception.Message);
            Assert.Contains("-Authentication None -Interaction None", e.Exception.Message);
            Assert.Contains(value, e.Exception.Message);
            Assert.Equal(0, host.ScriptedUI.SecureReads);
            Assert.DoesNotContain("requires a password", host.ScriptedUI.Transcript.ToString());

            // Unlocked in this process, the same command works without a prompt.
            ps.Run("Unlock-SecretVault -Name S -Password ([System.Net.NetworkCredential]::new('', 'pw').SecurePassword)").ThrowIfErrors();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            Assert.Equal(KeyId, StoredKeyId(ps));
            Assert.Equal(0, host.ScriptedUI.SecureReads);
        }
    }
}
