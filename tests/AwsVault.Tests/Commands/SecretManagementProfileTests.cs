using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AwsVault.Storage;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Commands
{
    /// <summary>The profile cmdlets on the SecretManagement backend, against the stand-in module that has the
    /// real module's cmdlet surface, types and errors.</summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class SecretManagementProfileTests : IDisposable
    {
        private readonly TestEnvironment _env;

        public SecretManagementProfileTests()
        {
            _env = new TestEnvironment(setPassphrase: false, backend: null);
            _env.Set(StandInModule.RegistryEnvironmentVariable, null);
            // SecretManagement is "installed": discoverable on PSModulePath, imported on first use.
            _env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
            StandInModule.Reset();
        }

        public void Dispose()
        {
            StandInModule.Reset();
            _env.Dispose();
        }

        private static PowerShellSession Session(ScriptedHost host = null) => new PowerShellSession(host);

        private static void Register(PowerShellSession ps, string name, string parameters = null) =>
            ps.Run("Register-SecretVault -Name '" + name + "' -ModuleName Microsoft.PowerShell.SecretStore" + (parameters == null ? "" : " -VaultParameters " + parameters)).ThrowIfErrors();

        [Fact]
        public void TheKeyIsAPSCredentialInTheChosenVaultAndEveryCallNamesTheVaultWithoutMetadata()
        {
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            Register(ps, "Keys");
            Register(ps, "Other");
            StandInModule.ClearCalls();

            ps.Run(AddScript("dev")).ThrowIfErrors();
            var stored = ps.Run("$c = Get-Secret -Name AwsVault-Key-dev -Vault Keys; $c.GetType().FullName; $c.UserName; $c.GetNetworkCredential().Password").ThrowIfErrors();
            Assert.Equal(new[] { typeof(PSCredential).FullName, KeyId, Secret }, stored.Output.Select(o => o.ToString()).ToArray());
            Assert.Empty(ps.Run("Get-SecretInfo -Vault Other").ThrowIfErrors().Output);
            Assert.False(Directory.Exists(_env.VaultDirectory));

            var listed = ps.Run("Get-AwsVaultProfile dev").ThrowIfErrors();
            var info = (ProfileInfo)listed.Output.Single().BaseObject;
            Assert.True(info.HasStoredKey);
            Assert.Equal("secretmanagement", info.Backend);
            Assert.Equal("Keys", info.Vault);

            ps.Run("Remove-AwsVaultProfile dev -Force").ThrowIfErrors();
            Assert.Empty(ps.Run("Get-SecretInfo -Vault Keys").ThrowIfErrors().Output);

            var secretCalls = StandInModule.Calls.Where(c => c.Command.EndsWith("-Secret") || c.Command.EndsWith("-SecretInfo")).ToList();
            Assert.Contains(secretCalls, c => c.Command == "Set-Secret");
            Assert.Contains(secretCalls, c => c.Command == "Remove-Secret");
            Assert.All(secretCalls, c => Assert.True(c.Has("Vault"), c + " was called without -Vault"));
            Assert.All(StandInModule.Calls, c => Assert.False(c.Has("Metadata"), c + " was called with -Metadata"));
        }

        [Fact]
        public void WithNoChoiceMadeARegisteredVaultIsTheDefaultAndWithoutOneTheFileVaultIs()
        {
            _env.Set("AWS_VAULT_FILE_PASSPHRASE", TestEnvironment.Passphrase);
            using (var ps = Session())
            {
                // SecretManagement is importable but has no vault: the file vault.
                var r = ps.Run(AddScript("dev", extra: "-Verbose")).ThrowIfErrors();
                Assert.Contains(r.Verbose, v => v.Contains("file vault"));
                Assert.Single(Directory.GetFiles(_env.VaultDirectory));
            }
            using (var ps = Session())
            {
                Register(ps, "Personal");
                var r = ps.Run(AddScript("ops", OtherKeyId, OtherSecret, "-Verbose")).ThrowIfErrors();
                Assert.Contains(r.Verbose, v => v.Contains("SecretManagement vault 'Personal'"));
                Assert.Single(ps.Run("Get-SecretInfo -Name AwsVault-Key-ops -Vault Personal").ThrowIfErrors().Output);
                Assert.Single(Directory.GetFiles(_env.VaultDirectory));
            }
        }

        [Fact]
        public void AVaultIsChosenByParameterOrEnvironment()
        {
            using var ps = Session();
            Register(ps, "Default");
            Register(ps, "Team");
            ps.Run(AddScript("dev", extra: "-Vault Team")).ThrowIfErrors();
            Assert.Single(ps.Run("Get-SecretInfo -Vault Team").ThrowIfErrors().Output);
            Assert.Empty(ps.Run("Get-SecretInfo -Vault Default").ThrowIfErrors().Output);

            _env.Set("AWS_VAULT_SECRETMANAGEMENT_VAULT", "Team");
            ps.Run(AddScript("ops", OtherKeyId, OtherSecret)).ThrowIfErrors();
            Assert.Equal(2, ps.Run("Get-SecretInfo -Vault Team").ThrowIfErrors().Output.Count);
            var names = ps.Run("Get-AwsVaultProfile | ForEach-Object { $_.ProfileName + ':' + $_.HasStoredKey + ':' + $_.Vault }").ThrowIfErrors();
            Assert.Contains("dev:True:Team", names.Output.Select(o => o.ToString()));
            Assert.Contains("ops:True:Team", names.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void ProfileNamesOutsideTheSafeAlphabetRoundTrip()
        {
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            Register(ps, "Keys");
            ps.Run(AddScript("team/prod admin")).ThrowIfErrors();
            var names = ps.Run("(Get-SecretInfo -Vault Keys).Name").ThrowIfErrors();
            Assert.Equal("AwsVault-Key-team-2Fprod-20admin", names.Output.Single().ToString());
            var listed = ps.Run("Get-AwsVaultProfile 'team/prod admin'").ThrowIfErrors();
            Assert.True(((ProfileInfo)listed.Output.Single().BaseObject).HasStoredKey);
        }

        [Fact]
        public void AVaultWithoutMetadataSupportAndARestrictedTypeListStillWorks()
        {
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            Register(ps, "KeePassLike", "@{ SupportsMetadata = $false; AllowedTypes = 'String','SecureString','PSCredential' }");
            ps.Run(AddScript("dev")).ThrowIfErrors();
            ps.Run(AddScript("dev", OtherKeyId, OtherSecret, "-Force")).ThrowIfErrors();
            var stored = ps.Run("(Get-Secret -Name AwsVault-Key-dev -Vault KeePassLike).UserName").ThrowIfErrors();
            Assert.Equal(OtherKeyId, stored.Output.Single().ToString());
        }

        [Fact]
        public void ALockedVaultSaysHowToUnlockIt()
        {
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            Register(ps, "Locked", "@{ Locked = $true; Password = 'vault password' }");
            var add = ps.RunCatching(AddScript("dev"));
            AssertError(add, "SecretVaultLocked", ErrorCategory.AuthenticationError);
            Assert.Contains("Unlock-SecretVault", add.Terminating.Exception.Message);
            Assert.Contains("Locked", add.Terminating.Exception.Message);

            var list = ps.RunCatching("Get-AwsVaultProfile");
            AssertError(list, "SecretVaultLocked", ErrorCategory.AuthenticationError);

            ps.Run("Unlock-SecretVault -Name Locked -Password ([System.Net.NetworkCredential]::new('', 'vault password').SecurePassword)").ThrowIfErrors();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            Assert.Single(ps.Run("Get-SecretInfo -Vault Locked").ThrowIfErrors().Output);
        }

        [Fact]
        public void TheCallersErrorActionPreferenceChangesNothing()
        {
            // Scripts (and Pester) run with 'Stop'; the store reads SecretManagement's errors from the stream either way.
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            Register(ps, "Locked", "@{ Locked = $true; Password = 'vault password' }");
            ps.Run("$ErrorActionPreference = 'Stop'").ThrowIfErrors();

            var locked = ps.RunCatching(AddScript("dev"));
            AssertError(locked, "SecretVaultLocked", ErrorCategory.AuthenticationError);

            // Not-found answers stay answers: a first add looks for an existing key and cached sessions.
            ps.Run("Unlock-SecretVault -Name Locked -Password ([System.Net.NetworkCredential]::new('', 'vault password').SecurePassword)").ThrowIfErrors();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            var session = ps.RunCatching("Get-AwsVaultProfile dev | ForEach-Object HasStoredKey");
            Assert.Null(session.Terminating);
            Assert.Equal("True", session.Output.Single().ToString());
        }

        [Fact]
        public void AMissingVaultOrNoVaultAtAllIsAClearError()
        {
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            var none = ps.RunCatching("Get-AwsVaultProfile");
            AssertError(none, "SecretVaultNotRegistered", ErrorCategory.ObjectNotFound);
            Assert.Contains("Register-SecretVault", none.Terminating.Exception.Message);

            Register(ps, "Keys");
            var missing = ps.RunCatching(AddScript("dev", extra: "-Vault Typo"));
            AssertError(missing, "SecretVaultNotFound", ErrorCategory.ObjectNotFound);
            Assert.Contains("'Typo'", missing.Terminating.Exception.Message);
            Assert.Contains("Keys", missing.Terminating.Exception.Message);
        }

        [Fact]
        public void AVaultNameWithTheFileBackendIsAContradiction()
        {
            using var ps = Session();
            var r = ps.RunCatching("Get-AwsVaultProfile -Backend file -Vault Team");
            AssertError(r, "VaultNeedsSecretManagement", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void ChoosingSecretManagementWhereItIsNotInstalledSaysSo()
        {
            _env.Set("PSModulePath", Path.Combine(_env.Root, "no-modules"));
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            var r = ps.RunCatching("Get-AwsVaultProfile");
            AssertError(r, "SecretManagementNotAvailable", ErrorCategory.NotInstalled);
            Assert.Contains("-Backend file", r.Terminating.Exception.Message);
        }

        [Fact]
        public void AddAndRemoveClearTheProfilesSessionsInTheVault()
        {
            _env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            using var ps = Session();
            Register(ps, "Keys");
            ps.Run(AddScript("dev")).ThrowIfErrors();
            var expiry = DateTimeOffset.UtcNow.AddHours(1);
            string devSession = SecretNameCodec.SessionName(new SessionKey(SessionKey.GetSessionTokenType, "dev", "arn:aws:iam::111122223333:mfa/dev", expiry));
            string opsSession = SecretNameCodec.SessionName(new SessionKey(SessionKey.GetSessionTokenType, "ops", "", expiry));
            ps.Run("Set-Secret -Name '" + devSession + "' -Secret '{}' -Vault Keys; Set-Secret -Name '" + opsSession + "' -Secret '{}' -Vault Keys").ThrowIfErrors();

            var sessions = ps.Run("(Get-AwsVaultProfile dev).Sessions").ThrowIfErrors();
            Assert.Equal("sts.GetSessionToken", ((CachedSessionInfo)sessions.Output.Single().BaseObject).Type);

            ps.Run(AddScript("dev", OtherKeyId, OtherSecret, "-Force")).ThrowIfErrors();
            var left = ps.Run("(Get-SecretInfo -Vault Keys).Name").ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
            Assert.DoesNotContain(devSession, left);
            Assert.Contains(opsSession, left);

            ps.Run("Remove-AwsVaultProfile ops -Force").ThrowIfErrors();
            left = ps.Run("(Get-SecretInfo -Vault Keys).Name").ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
            Assert.Equal(new[] { "AwsVault-Key-dev" }, left);
        }
    }
}
