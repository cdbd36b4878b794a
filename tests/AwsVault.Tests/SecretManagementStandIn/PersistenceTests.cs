using System.IO;
using System.Linq;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>
    /// Where vaults and registrations live: process memory by default (shared by the process's runspaces), a
    /// directory per vault with VaultParameters.Path, and a registry file with SECRETMANAGEMENT_STANDIN_REGISTRY.
    /// StandIn.Reset() forgets everything in memory, which is what a new process starts with.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class PersistenceTests : StandInTestBase
    {
        [Fact]
        public void MemoryVaultsAreSharedByRunspacesAndGoneAfterReset()
        {
            Register("Mem");
            Ok("Set-Secret -Name n -Secret 'v' -Vault Mem");
            using (var other = StandInModule.NewSession())
            {
                Assert.Equal("v", other.Run("Get-Secret n Mem -AsPlainText").ThrowIfErrors().Output.Single().BaseObject);
            }

            StandInModule.Reset();
            Assert.Empty(Ok("Get-SecretVault").Output);
            Register("Mem");
            Assert.Empty(Ok("Get-SecretInfo -Vault Mem").Output);
        }

        [Fact]
        public void APathVaultKeepsOneFilePerSecretAcrossProcesses()
        {
            var dir = Path.Combine(Env.Root, "vault dir");
            Register("Disk", "@{ Path = '" + dir + "' }");
            Ok("Set-Secret -Name a -Secret 'alpha' -Vault Disk; Set-Secret -Name b -Secret ([pscredential]::new('user', [securestring]::new())) -Vault Disk -Metadata @{ Note = 'n' }");
            Assert.Equal(2, Directory.GetFiles(dir).Length);

            // A new process: nothing in memory, the same registration made again.
            StandInModule.Reset();
            using var second = StandInModule.NewSession();
            second.Run("Register-SecretVault -Name Disk -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters @{ Path = '" + dir + "' }").ThrowIfErrors();
            Assert.Equal("alpha", second.Run("Get-Secret a Disk -AsPlainText").ThrowIfErrors().Output.Single().BaseObject);
            var info = second.Run("Get-SecretInfo -Vault Disk | ForEach-Object { $_.Name + '=' + $_.Type + '=' + $_.Metadata['Note'] }").ThrowIfErrors();
            Assert.Equal(new[] { "a=String=", "b=PSCredential=n" }, info.Output.Select(o => o.ToString()).ToArray());

            second.Run("Remove-Secret a Disk").ThrowIfErrors();
            Assert.Single(Directory.GetFiles(dir));
        }

        [Fact]
        public void TheRegistryFileSharesRegistrationsAndDefaultBetweenProcesses()
        {
            var registry = Path.Combine(Env.Root, "registry", "vaults.txt");
            Env.Set(StandInModule.RegistryEnvironmentVariable, registry);
            Register("A", "@{ Path = '" + Path.Combine(Env.Root, "a") + "'; Locked = $true; Password = 'pw'; AllowedTypes = 'String', 'PSCredential'; SupportsMetadata = $false; Count = 7 }",
                "-Description 'shared'");
            Register("B", extra: "-DefaultVault");
            Assert.True(File.Exists(registry));

            // A new process with the same variable sees both vaults, the default, and the typed parameters.
            StandInModule.Reset();
            using var second = StandInModule.NewSession();
            var r = second.Run(
                "Get-SecretVault | ForEach-Object { $_.Name + '|' + $_.IsDefault + '|' + $_.Description }\n" +
                "$p = (Get-SecretVault A).VaultParameters; $p['Locked'].GetType().Name; $p['Count'].GetType().Name; $p['AllowedTypes'] -join ','").ThrowIfErrors();
            Assert.Equal(new[] { "A|False|shared", "B|True|", "Boolean", "Int32", "String,PSCredential" }, r.Output.Select(o => o.ToString()).ToArray());

            // Behaviours come back with it: A is locked again in the new process.
            Assert.Equal(
                "Microsoft.PowerShell.SecretManagement.PasswordRequiredException",
                second.Run("try { Set-Secret -Name n -Secret 'x' -Vault A } catch { $_.Exception.GetType().FullName }").Output.Single().ToString());

            // A change in one process is seen by the other.
            second.Run("Unregister-SecretVault -Name B").ThrowIfErrors();
            Assert.Equal(new[] { "A" }, Ok("Get-SecretVault | ForEach-Object Name").Output.Select(o => o.ToString()).ToArray());
        }

        [Fact]
        public void WithoutTheVariableRegistrationsStayInMemory()
        {
            Register("A");
            Assert.Empty(Directory.GetFiles(Env.Root, "*", SearchOption.AllDirectories));
            StandInModule.Reset();
            Assert.Empty(Ok("Get-SecretVault").Output);
        }
    }
}
