using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>Get-Secret / Set-Secret / Remove-Secret / Get-SecretInfo behave as in SecretManagement 1.1.x.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class SecretTests : StandInTestBase
    {
        [Fact]
        public void NotFoundIsANonTerminatingGetSecretNotFound()
        {
            Register("V");
            var (r, caught, continued) = Attempt("Get-Secret -Name missing -Vault V");
            Assert.Null(caught);
            Assert.True(continued);
            var e = Assert.Single(r.Errors);
            Assert.Equal(Fqid("GetSecretNotFound", "GetSecretCommand"), e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.IsType<ItemNotFoundException>(e.Exception);
            Assert.Equal("The secret missing was not found.", e.Exception.Message);
        }

        [Fact]
        public void NotFoundWithoutVaultSearchesAllVaultsThenFails()
        {
            Register("A");
            Register("B");
            var r = Run("Get-Secret -Name missing");
            Assert.Equal(Fqid("GetSecretNotFound", "GetSecretCommand"), Assert.Single(r.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void UnknownVaultIsATerminatingGetSecretVaultNotFound()
        {
            Register("V");
            var (_, caught, continued) = Attempt("Get-Secret -Name x -Vault Nope");
            Assert.False(continued);
            Assert.Equal(Fqid("GetSecretVaultNotFound", "GetSecretCommand"), caught.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, caught.CategoryInfo.Category);
            Assert.Equal("Vault not found in registry: Nope", caught.Exception.Message);
        }

        [Fact]
        public void StringComesBackAsSecureStringUnlessAsPlainText()
        {
            Register("V");
            Ok("Set-Secret -Name s -Secret 'plain value' -Vault V");
            var secure = Ok("Get-Secret -Name s -Vault V").Output.Single().BaseObject;
            Assert.Equal("plain value", Plain(Assert.IsType<SecureString>(secure)));
            Assert.Equal("plain value", Ok("Get-Secret -Name s -Vault V -AsPlainText").Output.Single().BaseObject);
            Assert.Equal("String", Ok("(Get-SecretInfo -Name s -Vault V).Type.ToString()").Output.Single().ToString());
        }

        [Fact]
        public void SecureStringComesBackAsSecureStringOrPlainText()
        {
            Register("V");
            Ok("$ss = [securestring]::new(); 'abc'.ToCharArray() | ForEach-Object { $ss.AppendChar($_) }; Set-Secret -Name ss -SecureStringSecret $ss -Vault V");
            Assert.Equal("SecureStringParameterSet", StandInModule.CallsTo("Set-Secret").Single().ParameterSetName);
            Assert.Equal("abc", Plain(Assert.IsType<SecureString>(Ok("Get-Secret ss -Vault V").Output.Single().BaseObject)));
            Assert.Equal("abc", Ok("Get-Secret ss -Vault V -AsPlainText").Output.Single().BaseObject);
            Assert.Equal("SecureString", Ok("(Get-SecretInfo ss -Vault V).Type.ToString()").Output.Single().ToString());
        }

        [Fact]
        public void PSCredentialComesBackAsPSCredential()
        {
            Register("V");
            Ok("$ss = [securestring]::new(); 'wJalrXUtnFEMI'.ToCharArray() | ForEach-Object { $ss.AppendChar($_) }\n" +
               "Set-Secret -Name cred -Secret ([pscredential]::new('AKIAEXAMPLE', $ss)) -Vault V");
            foreach (var flag in new[] { string.Empty, " -AsPlainText" })
            {
                var cred = Assert.IsType<PSCredential>(Ok("Get-Secret -Name cred -Vault V" + flag).Output.Single().BaseObject);
                Assert.Equal("AKIAEXAMPLE", cred.UserName);
                Assert.Equal("wJalrXUtnFEMI", cred.GetNetworkCredential().Password);
            }
            Assert.Equal("PSCredential", Ok("(Get-SecretInfo cred -Vault V).Type.ToString()").Output.Single().ToString());
        }

        [Fact]
        public void ByteArrayAndHashtableRoundTrip()
        {
            Register("V");
            Ok("Set-Secret -Name bytes -Secret ([byte[]](1,2,3)) -Vault V; Set-Secret -Name table -Secret @{ user = 'u'; key = 'k' } -Vault V");
            Assert.Equal(new byte[] { 1, 2, 3 }, Assert.IsType<byte[]>(Ok("Get-Secret bytes V").Output.Single().BaseObject));

            var table = Assert.IsType<Hashtable>(Ok("Get-Secret table V").Output.Single().BaseObject);
            Assert.Equal("u", Plain(Assert.IsType<SecureString>(table["user"])));
            var plainTable = Assert.IsType<Hashtable>(Ok("Get-Secret table V -AsPlainText").Output.Single().BaseObject);
            Assert.Equal("k", plainTable["key"]);

            var types = Ok("Get-SecretInfo -Vault V | ForEach-Object { $_.Name + '=' + $_.Type }").Output.Select(o => o.ToString());
            Assert.Equal(new[] { "bytes=ByteArray", "table=Hashtable" }, types);
        }

        [Fact]
        public void UnsupportedTypeIsRejectedByTheVaultAsInSecretStore()
        {
            Register("V");
            var (r, caught, continued) = Attempt("Set-Secret -Name n -Secret 42 -Vault V");
            Assert.Null(caught);
            Assert.True(continued);
            var e = Assert.Single(r.Errors);
            Assert.Equal(Fqid("SetSecretInvalidOperation", "SetSecretCommand"), e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
            Assert.Equal("Unable to add secret n to vault V", e.Exception.Message);
            Assert.Equal("Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable", e.Exception.InnerException.Message);
            Assert.Empty(Ok("Get-SecretInfo -Vault V").Output);
        }

        [Fact]
        public void NoVaultAndNoDefaultIsSetSecretCommandFailNoVault()
        {
            var (r, caught, continued) = Attempt("Set-Secret -Name n -Secret 'x'");
            Assert.False(continued);
            Assert.Equal(Fqid("SetSecretCommandFailNoVault", "SetSecretCommand"), caught.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, caught.CategoryInfo.Category);
            Assert.Equal("Unable to set secret because no vault was provided and there is no default vault designated.", caught.Exception.Message);
            Assert.Contains(r.Warnings, w => w.Contains("There are currently no extension vaults registered."));
        }

        [Fact]
        public void NoDefaultAfterItsVaultIsUnregisteredIsAlsoFailNoVault()
        {
            Register("A");
            Register("B");
            Ok("Unregister-SecretVault -Name A");
            Assert.Equal("False", Ok("(Get-SecretVault B).IsDefault").Output.Single().ToString());
            var (_, caught, _) = Attempt("Set-Secret -Name n -Secret 'x'");
            Assert.Equal(Fqid("SetSecretCommandFailNoVault", "SetSecretCommand"), caught.FullyQualifiedErrorId);
        }

        [Fact]
        public void NoClobberOnAnExistingNameIsResourceExistsAndKeepsTheValue()
        {
            Register("V");
            Ok("Set-Secret -Name n -Secret 'first' -Vault V");
            var (_, caught, continued) = Attempt("Set-Secret -Name n -Secret 'second' -Vault V -NoClobber");
            Assert.False(continued);
            Assert.Equal(Fqid("SetSecretCommandAlreadyExistsWithNoClobber", "SetSecretCommand"), caught.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, caught.CategoryInfo.Category);
            Assert.Equal("A secret with name n already exists in vault V.", caught.Exception.Message);
            Assert.Equal("first", Ok("Get-Secret n V -AsPlainText").Output.Single().BaseObject);

            Ok("Set-Secret -Name fresh -Secret 'v' -Vault V -NoClobber");
            Assert.Equal("v", Ok("Get-Secret fresh V -AsPlainText").Output.Single().BaseObject);
        }

        [Fact]
        public void SetSecretOverwritesByDefaultAndNamesAreCaseInsensitive()
        {
            Register("V");
            Ok("Set-Secret -Name Key -Secret 'one' -Vault V; Set-Secret -Name KEY -Secret 'two' -Vault V");
            Assert.Equal("two", Ok("Get-Secret -Name key -Vault V -AsPlainText").Output.Single().BaseObject);
            Assert.Single(Ok("Get-SecretInfo -Vault V").Output);
        }

        [Fact]
        public void WhatIfWritesAndRemovesNothing()
        {
            Register("V");
            Ok("Set-Secret -Name n -Secret 'x' -Vault V -WhatIf");
            Assert.Empty(Ok("Get-SecretInfo -Vault V").Output);
            Ok("Set-Secret -Name n -Secret 'x' -Vault V; Remove-Secret -Name n -Vault V -WhatIf");
            Assert.Single(Ok("Get-SecretInfo -Vault V").Output);
        }

        [Fact]
        public void RemoveSecretRemovesAndReportsAMissingSecretLikeSecretStore()
        {
            Register("V");
            Ok("Set-Secret -Name n -Secret 'x' -Vault V; Remove-Secret -Name n -Vault V");
            Assert.Empty(Ok("Get-SecretInfo -Vault V").Output);

            var (r, caught, continued) = Attempt("Remove-Secret -Name n -Vault V");
            Assert.Null(caught);
            Assert.True(continued);
            var e = Assert.Single(r.Errors);
            Assert.Equal(Fqid("SecretStoreRemoveSecretFailed", "RemoveSecretCommand"), e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
            Assert.Equal("Remove-Secret error in vault V : Secret not found", e.Exception.Message);
        }

        [Fact]
        public void RemoveSecretRequiresVault()
        {
            Register("V");
            var r = Run("Remove-Secret -Name n");
            Assert.Equal("MissingMandatoryParameter," + Sm + ".RemoveSecretCommand", r.FirstError.FullyQualifiedErrorId);
        }

        [Fact]
        public void WildcardsInGetSecretNameMatchTheFirstSecretByName()
        {
            Register("V");
            Ok("Set-Secret -Name 'ab' -Secret 'second' -Vault V; Set-Secret -Name 'a1' -Secret 'first' -Vault V");
            Assert.Equal("first", Ok("Get-Secret -Name 'a*' -Vault V -AsPlainText").Output.Single().BaseObject);
            Assert.Equal("second", Ok("Get-Secret -Name 'a[b]' -Vault V -AsPlainText").Output.Single().BaseObject);
            Assert.Equal("first", Ok("Get-Secret -Name 'a?' -AsPlainText").Output.Single().BaseObject);

            // A name that holds wildcard characters cannot be read back by its own name.
            Ok("Set-Secret -Name 'x[1]' -Secret 'literal' -Vault V");
            var r = Run("Get-Secret -Name 'x[1]' -Vault V -AsPlainText");
            Assert.Empty(r.Output);
            Assert.Equal(Fqid("GetSecretNotFound", "GetSecretCommand"), Assert.Single(r.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void GetSecretInfoFiltersWithWildcardsAndDefaultsToAll()
        {
            Register("V");
            Ok("Set-Secret -Name 'aws-dev' -Secret 'x' -Vault V; Set-Secret -Name 'aws-prod' -Secret 'x' -Vault V; Set-Secret -Name 'other' -Secret 'x' -Vault V");
            Assert.Equal(new[] { "aws-dev", "aws-prod", "other" }, Names(Ok("Get-SecretInfo -Vault V")));
            Assert.Equal(new[] { "aws-dev", "aws-prod" }, Names(Ok("Get-SecretInfo -Name 'aws-*' -Vault V")));
            Assert.Equal(new[] { "other" }, Names(Ok("Get-SecretInfo other")));
            var info = Ok("Get-SecretInfo -Name other -Vault V").Output.Single();
            Assert.Equal("V", info.Properties["VaultName"].Value);
        }

        [Fact]
        public void PipelineBindsNamesAndSecretInformation()
        {
            Register("V");
            Ok("Set-Secret -Name a -Secret '1' -Vault V; Set-Secret -Name b -Secret '2' -Vault V");
            Assert.Equal(new object[] { "1", "2" }, Ok("'a','b' | Get-Secret -Vault V -AsPlainText").Output.Select(o => o.BaseObject).ToArray());
            Assert.Equal(new object[] { "1", "2" }, Ok("Get-SecretInfo -Vault V | Get-Secret -AsPlainText").Output.Select(o => o.BaseObject).ToArray());
            Ok("Get-SecretInfo -Name a -Vault V | Remove-Secret");
            Assert.Equal(new[] { "b" }, Names(Ok("Get-SecretInfo -Vault V")));
            Assert.Equal(2, StandInModule.CallsTo("Get-Secret").Count(c => c.ParameterSetName == "InfoParameterSet"));
        }

        [Fact]
        public void CallLogRecordsParameterNamesNeverValues()
        {
            Register("V");
            StandInModule.ClearCalls();
            Ok("Set-Secret -Name n -Secret 'TOP-SECRET-VALUE' -Vault V; Get-Secret -Name n -Vault V -AsPlainText | Out-Null; Get-SecretInfo -Name n -Vault V | Out-Null");
            var calls = StandInModule.Calls;
            Assert.Equal(new[] { "Set-Secret -Name -Secret -Vault", "Get-Secret -Name -Vault -AsPlainText", "Get-SecretInfo -Name -Vault" },
                calls.Select(c => c.ToString()).ToArray());
            Assert.All(calls, c => Assert.True(c.Has("Vault")));
            Assert.DoesNotContain(calls, c => c.Has("Metadata"));
            Assert.DoesNotContain(calls, c => c.ToString().Contains("TOP-SECRET") || c.Parameters.Any(p => p.Contains("TOP-SECRET")));

            // Readable from PowerShell too.
            Assert.Equal("3", Ok("[Microsoft.PowerShell.SecretManagement.StandIn+CallLog]::Count").Output.Single().ToString());
            StandInModule.ClearCalls();
            Assert.Empty(StandInModule.Calls);
        }

        private static string[] Names(AwsVault.Tests.Harness.ScriptResult r) =>
            r.Output.Select(o => (string)o.Properties["Name"].Value).ToArray();

        private static string Plain(SecureString s) => new System.Net.NetworkCredential(string.Empty, s).Password;
    }
}
