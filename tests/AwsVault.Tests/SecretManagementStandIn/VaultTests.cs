using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>Vault registration, the default vault, and the behaviours set through -VaultParameters.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class VaultTests : StandInTestBase
    {
        [Fact]
        public void GetSecretVaultDescribesEachVault()
        {
            Register("Store", "@{ Path = 'unused'; Custom = 42 }", "-Description 'the store'");
            var v = Ok("Get-SecretVault -Name Store").Output.Single();
            Assert.Equal("Store", v.Properties["Name"].Value);
            Assert.Equal("Microsoft.PowerShell.SecretStore", v.Properties["ModuleName"].Value);
            Assert.Equal(StandInModule.ModuleDirectory, v.Properties["ModulePath"].Value);
            Assert.Equal("the store", v.Properties["Description"].Value);
            Assert.Equal(true, v.Properties["IsDefault"].Value);
            var parameters = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(v.Properties["VaultParameters"].Value);
            Assert.Equal(42, parameters["Custom"]);
        }

        [Fact]
        public void NameDefaultsToTheModuleNameAndAPathModuleKeepsItsDirectory()
        {
            Ok("Register-SecretVault -ModuleName SecretManagement.KeePass");
            var dir = System.IO.Path.Combine(Env.Root, "Modules", "My.Vault");
            Ok("Register-SecretVault -ModuleName '" + System.IO.Path.Combine(dir, "My.Vault.psd1") + "'");
            var r = Ok("Get-SecretVault | ForEach-Object { $_.Name + '|' + $_.ModuleName + '|' + $_.ModulePath }");
            Assert.Equal(new[] { "My.Vault|My.Vault|" + dir, "SecretManagement.KeePass|SecretManagement.KeePass|" + StandInModule.ModuleDirectory },
                r.Output.Select(o => o.ToString()).ToArray());
        }

        [Fact]
        public void NoVaultsMeansNoOutputFromGetSecretVaultAndAWarningFromTheSecretCmdlets()
        {
            var vaults = Ok("Get-SecretVault");
            Assert.Empty(vaults.Output);
            Assert.Empty(vaults.Warnings);

            var r = Run("Get-Secret -Name x");
            var warning = Assert.Single(r.Warnings);
            Assert.Contains("There are currently no extension vaults registered.", warning);
            Assert.Contains("https://aka.ms/SecretManagementVaults", warning);
            Assert.Equal(Fqid("GetSecretNotFound", "GetSecretCommand"), Assert.Single(r.Errors).FullyQualifiedErrorId);

            Assert.Single(Run("Get-SecretInfo").Warnings);
            Assert.Empty(Run("Get-SecretInfo -WarningAction SilentlyContinue").Warnings);
        }

        [Fact]
        public void UnknownVaultNameInGetSecretVaultIsANonTerminatingError()
        {
            Register("V");
            var r = Run("Get-SecretVault -Name Nope; 'after'");
            Assert.Equal("after", r.Output.Single().ToString());
            var e = Assert.Single(r.Errors);
            Assert.Equal(Fqid("GetSecretVaultNotFound", "GetSecretVaultCommand"), e.FullyQualifiedErrorId);
            Assert.Equal("Vault Nope does not exist in registry.", e.Exception.Message);
            Assert.Empty(Ok("Get-SecretVault -Name 'X*'").Output);
            Assert.Single(Ok("Get-SecretVault -Name 'v*'").Output);
        }

        [Fact]
        public void FirstRegisteredVaultIsTheDefaultAndSetSecretUsesIt()
        {
            Register("First");
            Register("Second");
            Assert.Equal(new[] { "First=True", "Second=False" }, Defaults());

            Ok("Set-Secret -Name n -Secret 'x'");
            Assert.Single(Ok("Get-SecretInfo -Vault First").Output);
            Assert.Empty(Ok("Get-SecretInfo -Vault Second").Output);

            // Without -Vault, Get-Secret also finds secrets in vaults that are not the default.
            Ok("Set-Secret -Name only2 -Secret 'in second' -Vault Second");
            Assert.Equal("in second", Ok("Get-Secret only2 -AsPlainText").Output.Single().BaseObject);
        }

        [Fact]
        public void DefaultVaultSwitchAndSetSecretVaultDefaultMoveTheDefault()
        {
            Register("First");
            Register("Second", extra: "-DefaultVault");
            Assert.Equal(new[] { "First=False", "Second=True" }, Defaults());
            Ok("Set-SecretVaultDefault -Name First");
            Assert.Equal(new[] { "First=True", "Second=False" }, Defaults());
            Ok("Set-SecretVaultDefault -ClearDefault");
            Assert.Equal(new[] { "First=False", "Second=False" }, Defaults());

            var (_, caught, _) = Attempt("Set-SecretVaultDefault -Name Nope");
            Assert.Equal(Fqid("VaultNotFound", "SetSecretVaultDefaultCommand"), caught.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, caught.CategoryInfo.Category);
        }

        [Fact]
        public void RegisteringATakenNameNeedsAllowClobber()
        {
            Register("V", "@{ Tag = 'one' }");
            var (_, caught, _) = Attempt("Register-SecretVault -Name V -ModuleName Microsoft.PowerShell.SecretStore");
            Assert.Equal(Fqid("RegisterSecretVaultInvalidVaultName", "RegisterSecretVaultCommand"), caught.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, caught.CategoryInfo.Category);
            Assert.Equal("Provided Name for vault is already being used.", caught.Exception.Message);

            Register("V", "@{ Tag = 'two' }", "-AllowClobber");
            Assert.Equal("two", Ok("(Get-SecretVault V).VaultParameters['Tag']").Output.Single().ToString());
            Assert.Equal("True", Ok("(Get-SecretVault V).IsDefault").Output.Single().ToString());
        }

        [Fact]
        public void VerboseIsAReservedVaultParameter()
        {
            var (_, caught, _) = Attempt("Register-SecretVault -Name V -ModuleName M -VaultParameters @{ Verbose = $true }");
            Assert.Equal(Fqid("RegisterSecretVaultCommandCannotUseReservedName", "RegisterSecretVaultCommand"), caught.FullyQualifiedErrorId);
        }

        [Fact]
        public void UnregisterSecretVaultRemovesAndReportsUnknownNames()
        {
            Register("V");
            Ok("Unregister-SecretVault -Name V");
            Assert.Empty(Ok("Get-SecretVault").Output);
            var e = Assert.Single(Run("Unregister-SecretVault -Name V").Errors);
            Assert.Equal(Fqid("UnregisterSecretVaultObjectNotFound", "UnregisterSecretVaultCommand"), e.FullyQualifiedErrorId);
        }

        [Fact]
        public void TestSecretVaultReturnsOneBool()
        {
            Register("A");
            Register("B");
            Assert.Equal(true, Ok("Test-SecretVault").Output.Single().BaseObject);
            Assert.Equal(true, Ok("Test-SecretVault -Name A").Output.Single().BaseObject);
            var r = Run("Test-SecretVault -Name Nope");
            Assert.Empty(r.Output);
            Assert.Equal(Fqid("TestSecretVaultNotFound", "TestSecretVaultCommand"), Assert.Single(r.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void SupportsMetadataFalseDeletesTheSecretItJustWrote()
        {
            Register("NoMeta", "@{ SupportsMetadata = $false }");
            Ok("Set-Secret -Name n -Secret 'old value' -Vault NoMeta");

            var (r, caught, continued) = Attempt("Set-Secret -Name n -Secret 'new value' -Vault NoMeta -Metadata @{ Profile = 'dev' }");
            Assert.Null(caught);
            Assert.True(continued);
            var e = Assert.Single(r.Errors);
            Assert.Equal(Fqid("SetSecretMetadataCommandNotSupported", "SetSecretCommand"), e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotImplemented, e.CategoryInfo.Category);
            Assert.IsType<PSNotSupportedException>(e.Exception);
            Assert.Equal("Cannot add secret metadata 'n' to vault 'NoMeta: The vault does not support the Set-SecretInfo function.", e.Exception.Message);

            // Both the old and the new value are gone.
            var get = Run("Get-Secret -Name n -Vault NoMeta");
            Assert.Empty(get.Output);
            Assert.Equal(Fqid("GetSecretNotFound", "GetSecretCommand"), Assert.Single(get.Errors).FullyQualifiedErrorId);
            Assert.Equal(new[] { "Set-Secret -Name -Secret -Vault", "Set-Secret -Name -Secret -Vault -Metadata", "Get-Secret -Name -Vault" },
                StandInModule.Calls.Skip(1).Select(c => c.ToString()).ToArray());
        }

        [Fact]
        public void SupportsMetadataFalseAcceptsAnEmptyMetadataTable()
        {
            Register("NoMeta", "@{ SupportsMetadata = $false }");
            Ok("Set-Secret -Name n -Secret 'v' -Vault NoMeta -Metadata @{}");
            Assert.Equal("v", Ok("Get-Secret n NoMeta -AsPlainText").Output.Single().BaseObject);
            Assert.Equal("True", Ok("$null -eq (Get-SecretInfo n NoMeta).Metadata").Output.Single().ToString());
        }

        [Fact]
        public void MetadataIsKeptWhereSupported()
        {
            Register("V");
            Ok("Set-Secret -Name n -Secret 'v' -Vault V -Metadata @{ Profile = 'dev'; Count = 3 }");
            var metadata = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Ok("(Get-SecretInfo n V).Metadata").Output.Single().BaseObject);
            Assert.Equal("dev", metadata["Profile"]);
            Assert.Equal(3, metadata["Count"]);

            Ok("Set-SecretInfo -Name n -Metadata @{ Profile = 'prod' } -Vault V");
            Assert.Equal("prod", Ok("(Get-SecretInfo n V).Metadata['Profile']").Output.Single().ToString());

            // SecretStore takes metadata values of type string, int and DateTime only.
            var e = Assert.Single(Run("Set-Secret -Name m -Secret 'v' -Vault V -Metadata @{ Flag = $true }").Errors);
            Assert.Equal(Fqid("SecretStoreSetSecretFailed", "SetSecretCommand"), e.FullyQualifiedErrorId);
        }

        [Fact]
        public void AllowedTypesRejectsOtherTypesLikeKeePass()
        {
            Register("Kp", "@{ AllowedTypes = 'String', 'SecureString', 'PSCredential' }");
            var e = Assert.Single(Run("Set-Secret -Name t -Secret @{ a = 'b' } -Vault Kp").Errors);
            Assert.Equal(Fqid("SetSecretInvalidOperation", "SetSecretCommand"), e.FullyQualifiedErrorId);
            Assert.Equal("Invalid type. Types supported by vault Kp: string, SecureString, PSCredential", e.Exception.InnerException.Message);
            Assert.Empty(Ok("Get-SecretInfo -Vault Kp").Output);

            Ok("Set-Secret -Name c -Secret ([pscredential]::new('id', [securestring]::new())) -Vault Kp");
            Assert.Equal("PSCredential", Ok("(Get-SecretInfo c Kp).Type.ToString()").Output.Single().ToString());

            var (_, caught, _) = Attempt("Register-SecretVault -Name Bad -ModuleName M -VaultParameters @{ AllowedTypes = 'Strin' }");
            Assert.Equal(Fqid("RegisterSecretVaultStandInInvalidAllowedTypes", "RegisterSecretVaultCommand"), caught.FullyQualifiedErrorId);
        }

        private string[] Defaults() =>
            Ok("Get-SecretVault | ForEach-Object { $_.Name + '=' + $_.IsDefault }").Output.Select(o => o.ToString()).ToArray();
    }
}
