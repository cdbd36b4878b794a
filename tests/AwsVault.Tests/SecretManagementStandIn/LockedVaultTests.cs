using System.Linq;
using System.Management.Automation;
using System.Security.Authentication;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>
    /// A vault registered with Locked = $true behaves like SecretStore with a password and no prompting: the vault
    /// throws PasswordRequiredException, and SecretManagement 1.1.x lets it end Set-Secret, Remove-Secret,
    /// Test-SecretVault and a Get-Secret without -Vault whose default vault is locked, while Get-Secret -Vault and
    /// Get-SecretInfo turn it into a non-terminating error that still carries the exception.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class LockedVaultTests : StandInTestBase
    {
        private const string Pre = "Microsoft.PowerShell.SecretManagement.PasswordRequiredException";
        private const string Message =
            "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.\n" +
            "Use the Unlock-SecretStore cmdlet to provide the required password to access the store.";

        public LockedVaultTests()
        {
            Register("Locked", "@{ Locked = $true; Password = 'open sesame' }");
        }

        [Theory]
        [InlineData("Set-Secret -Name n -Secret 'x' -Vault Locked", "SetSecretCommand")]
        [InlineData("Remove-Secret -Name n -Vault Locked", "RemoveSecretCommand")]
        [InlineData("Test-SecretVault -Name Locked", "TestSecretVaultCommand")]
        [InlineData("Get-Secret -Name n", "GetSecretCommand")]
        public void TerminatesWithPasswordRequiredException(string command, string commandClass)
        {
            var (_, caught, continued) = Attempt(command);
            Assert.False(continued);
            Assert.NotNull(caught);
            Assert.Equal(Pre, caught.Exception.GetType().FullName);
            Assert.IsAssignableFrom<System.InvalidOperationException>(caught.Exception);
            Assert.Equal(Message, caught.Exception.Message);
            Assert.Equal(Pre + "," + Sm + "." + commandClass, caught.FullyQualifiedErrorId);
        }

        [Theory]
        [InlineData("Get-Secret -Name n -Vault Locked", "GetSecretException", "GetSecretCommand")]
        [InlineData("Get-SecretInfo -Vault Locked", "GetSecretInfoException", "GetSecretInfoCommand")]
        [InlineData("Get-SecretInfo", "GetSecretInfoException", "GetSecretInfoCommand")]
        public void GetSecretWithVaultAndGetSecretInfoReportItWithoutTerminating(string command, string id, string commandClass)
        {
            var (r, caught, continued) = Attempt(command);
            Assert.Null(caught);
            Assert.True(continued);
            var e = Assert.Single(r.Errors);
            Assert.Equal(Fqid(id, commandClass), e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
            Assert.Equal(Pre, e.Exception.GetType().FullName);
            Assert.Equal(Message, e.Exception.Message);
        }

        [Fact]
        public void ScriptsCatchItByTypeName()
        {
            var r = Ok(
                "foreach ($command in { Set-Secret -Name n -Secret 'x' -Vault Locked }, { Get-Secret -Name n -Vault Locked -ErrorAction Stop }) {\n" +
                "  try { & $command; 'not caught' } catch [Microsoft.PowerShell.SecretManagement.PasswordRequiredException] { 'caught' } }");
            Assert.Equal(new[] { "caught", "caught" }, r.Output.Select(o => o.ToString()).ToArray());
        }

        [Fact]
        public void WrongPasswordLeavesItLockedAndTheRightOneUnlocksThisProcess()
        {
            var wrong = Run("Unlock-SecretVault -Name Locked -Password $(" + Secure("guess") + ")");
            var e = Assert.Single(wrong.Errors);
            Assert.Equal(Fqid("SecretStoreUnlockFailed", "UnlockSecretVaultCommand"), e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category);
            Assert.IsType<AuthenticationException>(e.Exception);
            Assert.NotNull(Attempt("Set-Secret -Name n -Secret 'x' -Vault Locked").Caught);

            Ok("Unlock-SecretVault -Name Locked -Password $(" + Secure("open sesame") + ")");
            Ok("Set-Secret -Name n -Secret 'x' -Vault Locked");
            Assert.Equal("x", Ok("Get-Secret -Name n -Vault Locked -AsPlainText").Output.Single().BaseObject);
            Assert.Equal(true, Ok("Test-SecretVault Locked").Output.Single().BaseObject);

            // Unlocked for the process: another runspace sees it too. StandIn.Lock locks it again.
            using (var other = StandInModule.NewSession())
            {
                Assert.Equal("x", other.Run("Get-Secret -Name n -Vault Locked -AsPlainText").ThrowIfErrors().Output.Single().BaseObject);
            }
            StandInModule.Lock("Locked");
            Assert.NotNull(Attempt("Remove-Secret -Name n -Vault Locked").Caught);
        }

        [Fact]
        public void AVaultWithoutPasswordHasNoUnlockFunction()
        {
            Register("Open");
            var r = Ok("Unlock-SecretVault -Name Open -Password $(" + Secure("x") + ")");
            Assert.Equal("Cannot unlock extension vault 'Open': The vault does not support the Unlock-SecretVault function.", Assert.Single(r.Warnings));

            var (_, caught, _) = Attempt("Unlock-SecretVault -Name Nope -Password $(" + Secure("x") + ")");
            Assert.Equal(Fqid("GetSecretVaultNotFound", "UnlockSecretVaultCommand"), caught.FullyQualifiedErrorId);
        }

        [Fact]
        public void ALockedVaultThatIsNotTheDefaultIsReportedWhileOthersAreSearched()
        {
            Register("Open", extra: "-DefaultVault");
            Ok("Set-Secret -Name only-in-open -Secret 'v' -Vault Open");
            Assert.Equal("v", Ok("Get-Secret -Name only-in-open -AsPlainText").Output.Single().BaseObject);

            var r = Run("Get-Secret -Name missing");
            Assert.Equal(new[] { Fqid("GetSecretException", "GetSecretCommand"), Fqid("GetSecretNotFound", "GetSecretCommand") },
                r.Errors.Select(e => e.FullyQualifiedErrorId).ToArray());
        }

        private static string Secure(string plain) =>
            "$s = [securestring]::new(); '" + plain + "'.ToCharArray() | ForEach-Object { $s.AppendChar($_) }; $s";
    }
}
