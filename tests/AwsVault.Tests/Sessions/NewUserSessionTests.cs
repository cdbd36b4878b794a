using System.IO;
using System.Linq;
using System.Management.Automation;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Sessions
{
    /// <summary>Sessions as a new user met them: codes typed as shown, ignored parameters, messages that point the right way.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class NewUserSessionTests
    {
        [Fact]
        public void AnMfaCodeTypedWithASpaceIsAccepted()
        {
            using var f = new SessionFixture();
            string code = f.Code();
            f.Ps.Run("Get-AwsVaultSession alice -MfaToken '" + code.Substring(0, 3) + " " + code.Substring(3) + "'").ThrowIfErrors();
            var call = f.World.CallsTo("GetSessionToken").Single();
            Assert.True(call.Succeeded && call.UsedMfa, call.ToString());
        }

        [Fact]
        public void AnMfaTokenNoStepUsesIsAWarning()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("Get-AwsVaultSession bob -MfaToken 123456").ThrowIfErrors();
            var warning = Assert.Single(r.Warnings);
            Assert.Contains("-MfaToken was ignored", warning);
            Assert.Contains("'bob'", warning);
            Assert.Empty(f.Ps.Run("Get-AwsVaultSession alice -MfaToken " + f.Code()).ThrowIfErrors().Warnings);
        }

        [Fact]
        public void VerboseNamesTheStoredKeyOnce()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("Get-AwsVaultSession readonly -Verbose").ThrowIfErrors();
            Assert.Single(r.Verbose, v => v.Contains("using the stored key"));
        }

        [Fact]
        public void AWrongPassphraseOnReadSaysTheVaultPassphraseIsWrong()
        {
            using var f = new SessionFixture();
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Credentials.SessionCacheReset.ForgetMemory();
            f.Env.Set("AWS_VAULT_FILE_PASSPHRASE", "not the passphrase");

            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, "VaultPassphraseIncorrect", ErrorCategory.AuthenticationError);
            string message = r.Terminating.Exception.Message;
            Assert.Contains("does not unlock the file vault in '" + f.Env.VaultDirectory + "'", message);
            Assert.DoesNotContain("sts.", message);
            Assert.DoesNotContain("delete", message, System.StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("not the passphrase", message);
        }

        [Fact]
        public void ASessionWrittenWithAnotherPassphraseIsNamedByProfile()
        {
            using var f = new SessionFixture();
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Credentials.SessionCacheReset.ForgetMemory();
            // Re-encrypt bob's session item under another passphrase, as a mistyped aws-vault run would.
            string item = Directory.GetFiles(f.Env.VaultDirectory).Single(p => Path.GetFileName(p).StartsWith("sts.GetSessionToken"));
            f.Env.Set("AWS_VAULT_FILE_DIR", Path.Combine(f.Env.Root, "other"));
            f.Env.Set("AWS_VAULT_FILE_PASSPHRASE", "another passphrase");
            f.Ps.Run(AddScript("bob", EmulatedSts.BobKeyId, EmulatedSts.BobSecret, "-AddConfig:$false")).ThrowIfErrors();
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            string foreign = Directory.GetFiles(Path.Combine(f.Env.Root, "other")).Single(p => Path.GetFileName(p).StartsWith("sts.GetSessionToken"));
            File.Copy(foreign, item, overwrite: true);
            f.Env.Set("AWS_VAULT_FILE_DIR", f.Env.VaultDirectory);
            f.Env.Set("AWS_VAULT_FILE_PASSPHRASE", TestEnvironment.Passphrase);
            Credentials.SessionCacheReset.ForgetMemory();

            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, "VaultPassphraseIncorrect", ErrorCategory.AuthenticationError);
            Assert.Contains("session of profile 'bob'", r.Terminating.Exception.Message);
            Assert.Contains("Clear-AwsVaultSession bob", r.Terminating.Exception.Message);
        }

        [Fact]
        public void EveryCommandHasAnOnlineHelpLink()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var r = ps.Run("Get-Command -Module AwsVault | ForEach-Object { $_.Name + '=' + $_.HelpUri }").ThrowIfErrors();
            Assert.NotEmpty(r.Output);
            Assert.All(r.Output.Select(o => o.ToString()), line =>
            {
                string[] parts = line.Split('=', 2);
                Assert.Equal("https://github.com/awsvault-powershell/AwsVault/blob/main/docs/help/" + parts[0] + ".md", parts[1]);
            });
        }
    }

    /// <summary>A key in one store while the other is chosen: the error must say where the key is.</summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class KeyInTheOtherStoreTests : SecretManagementInstalled
    {
        [Fact]
        public void RegisteringAVaultDoesNotHideFileVaultKeysSilently()
        {
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore").ThrowIfErrors();

            var r = ps.RunCatching("Get-AwsVaultSession dev");
            AssertError(r, "CredentialsMissing", ErrorCategory.ObjectNotFound);
            Assert.Contains("SecretManagement vault 'S' (the default registered vault", r.Terminating.Exception.Message);
            Assert.Contains("the file vault at '" + Env.VaultDirectory + "' has one: add -Backend file", r.Terminating.Exception.Message);

            var remove = ps.RunCatching("Remove-AwsVaultProfile dev -Force");
            AssertError(remove, "ProfileKeyNotFound", ErrorCategory.ObjectNotFound);
            Assert.Contains("-Backend file", remove.Terminating.Exception.Message);
            Assert.Single(Directory.GetFiles(Env.VaultDirectory));
        }

        [Fact]
        public void AKeyOnlyInSecretManagementIsPointedToFromTheFileVault()
        {
            using var ps = new PowerShellSession();
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore").ThrowIfErrors();
            ps.Run(AddScript("dev")).ThrowIfErrors();

            var r = ps.RunCatching("Get-AwsVaultSession dev -Backend file");
            AssertError(r, "CredentialsMissing", ErrorCategory.ObjectNotFound);
            Assert.Contains("SecretManagement vault 'S' has one: add -Vault 'S'", r.Terminating.Exception.Message);
        }
    }
}
