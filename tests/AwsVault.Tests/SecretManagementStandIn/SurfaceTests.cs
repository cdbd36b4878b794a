using System;
using System.Collections.Generic;
using System.Linq;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>The stand-in presents the real module's name, version and cmdlet surface.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class SurfaceTests : StandInTestBase
    {
        [Fact]
        public void ImportsAsMicrosoftPowerShellSecretManagement112WithTheRealCmdlets()
        {
            var r = Ok("$m = Get-Module Microsoft.PowerShell.SecretManagement; $m.Version.ToString(); $m.Guid.ToString(); $m.ExportedCmdlets.Keys");
            Assert.Equal("1.1.2", r.Output[0].ToString());
            Assert.Equal("a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3", r.Output[1].ToString());
            Assert.Equal(
                new[]
                {
                    "Get-Secret", "Get-SecretInfo", "Get-SecretVault", "Register-SecretVault", "Remove-Secret", "Set-Secret",
                    "Set-SecretInfo", "Set-SecretVaultDefault", "Test-SecretVault", "Unlock-SecretVault", "Unregister-SecretVault",
                },
                r.Output.Skip(2).Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        }

        [Theory]
        [InlineData("Get-Secret", "GetSecretCommand")]
        [InlineData("Set-Secret", "SetSecretCommand")]
        [InlineData("Remove-Secret", "RemoveSecretCommand")]
        [InlineData("Get-SecretInfo", "GetSecretInfoCommand")]
        [InlineData("Set-SecretInfo", "SetSecretInfoCommand")]
        [InlineData("Get-SecretVault", "GetSecretVaultCommand")]
        [InlineData("Test-SecretVault", "TestSecretVaultCommand")]
        [InlineData("Unlock-SecretVault", "UnlockSecretVaultCommand")]
        [InlineData("Register-SecretVault", "RegisterSecretVaultCommand")]
        [InlineData("Unregister-SecretVault", "UnregisterSecretVaultCommand")]
        [InlineData("Set-SecretVaultDefault", "SetSecretVaultDefaultCommand")]
        public void CmdletClassesHaveTheRealNames(string cmdlet, string className)
        {
            var r = Ok("(Get-Command " + cmdlet + ").ImplementingType.FullName");
            Assert.Equal(Sm + "." + className, r.Output.Single().ToString());
        }

        [Fact]
        public void GetSecretParameters()
        {
            var p = Parameters("Get-Secret");
            Assert.Equal("NameParameterSet", DefaultSet("Get-Secret"));
            Assert.Contains("NameParameterSet|Name|String|0|True|True|False", p);
            Assert.Contains("NameParameterSet|Vault|String|1|False|False|False", p);
            Assert.Contains("NameParameterSet|AsPlainText|SwitchParameter|-2147483648|False|False|False", p);
            Assert.Contains("InfoParameterSet|InputObject|SecretInformation|-2147483648|True|True|False", p);
        }

        [Fact]
        public void SetSecretParameters()
        {
            var p = Parameters("Set-Secret");
            // As in 1.1.x the SecureString set is the default; -Secret <object> selects ObjectParameterSet.
            Assert.Equal("SecureStringParameterSet", DefaultSet("Set-Secret"));
            Assert.Contains("ObjectParameterSet|Name|String|0|True|False|False", p);
            Assert.Contains("ObjectParameterSet|Secret|Object|1|True|True|False", p);
            Assert.Contains("ObjectParameterSet|Vault|String|2|False|False|False", p);
            Assert.Contains("ObjectParameterSet|Metadata|Hashtable|3|False|False|False", p);
            Assert.Contains("ObjectParameterSet|NoClobber|SwitchParameter|-2147483648|False|False|False", p);
            Assert.Contains("SecureStringParameterSet|SecureStringSecret|SecureString|1|True|True|False", p);
            Assert.Contains("SecureStringParameterSet|Vault|String|2|False|False|False", p);
            Assert.Contains("SecretInfoParameterSet|SecretInfo|SecretInformation|1|True|True|False", p);
            Assert.Contains("SecretInfoParameterSet|Vault|String|-2147483648|True|False|False", p);
            Assert.Equal("True", Ok("(Get-Command Set-Secret).Parameters.ContainsKey('WhatIf')").Output.Single().ToString());
        }

        [Fact]
        public void RemoveSecretParameters()
        {
            var p = Parameters("Remove-Secret");
            Assert.Contains("NameParameterSet|Name|String|0|True|True|False", p);
            Assert.Contains("NameParameterSet|Vault|String|1|True|False|False", p);
            Assert.Contains("InfoParameterSet|InputObject|SecretInformation|0|True|True|False", p);
            Assert.Equal("True", Ok("(Get-Command Remove-Secret).Parameters.ContainsKey('WhatIf')").Output.Single().ToString());
        }

        [Fact]
        public void VaultCmdletParameters()
        {
            Assert.Contains("__AllParameterSets|Name|String|0|False|False|False", Parameters("Get-SecretInfo"));
            Assert.Contains("__AllParameterSets|Vault|String|1|False|False|False", Parameters("Get-SecretInfo"));
            Assert.Contains("__AllParameterSets|Name|String[]|0|False|False|False", Parameters("Get-SecretVault"));
            Assert.Contains("__AllParameterSets|Name|String[]|0|False|True|True", Parameters("Test-SecretVault"));
            Assert.Contains("__AllParameterSets|Name|String|0|True|False|False", Parameters("Unlock-SecretVault"));
            Assert.Contains("__AllParameterSets|Password|SecureString|1|True|False|False", Parameters("Unlock-SecretVault"));
            var register = Parameters("Register-SecretVault");
            Assert.Contains("__AllParameterSets|ModuleName|String|0|True|False|False", register);
            Assert.Contains("__AllParameterSets|Name|String|1|False|False|False", register);
            Assert.Contains("__AllParameterSets|VaultParameters|Hashtable|-2147483648|False|False|False", register);
            Assert.Contains("__AllParameterSets|DefaultVault|SwitchParameter|-2147483648|False|False|False", register);
            Assert.Contains("__AllParameterSets|AllowClobber|SwitchParameter|-2147483648|False|False|False", register);
            Assert.Contains("__AllParameterSets|Description|String|-2147483648|False|False|False", register);
        }

        [Fact]
        public void PositionalSetSecretBindsAStringThroughTheObjectSet()
        {
            Register("V");
            Ok("Set-Secret s1 'value' V");
            Assert.Equal("ObjectParameterSet", StandInModule.CallsTo("Set-Secret").Single().ParameterSetName);
            Assert.Equal("value", Ok("Get-Secret s1 V -AsPlainText").Output.Single().BaseObject);
        }

        [Fact]
        public void OutputTypesAreTheRealClassNames()
        {
            Register("V");
            Ok("Set-Secret -Name s -Secret 'x' -Vault V");
            var r = Ok("(Get-SecretVault V).GetType().FullName; (Get-SecretInfo -Vault V).GetType().FullName; (Get-SecretInfo -Vault V).Type.GetType().FullName; (Get-SecretInfo -Vault V).Metadata.GetType().Name");
            Assert.Equal(Sm + ".SecretVaultInfo", r.Output[0].ToString());
            Assert.Equal(Sm + ".SecretInformation", r.Output[1].ToString());
            Assert.Equal(Sm + ".SecretType", r.Output[2].ToString());
            Assert.Equal("ReadOnlyDictionary`2", r.Output[3].ToString());
            Assert.Equal(
                "Unknown,ByteArray,String,SecureString,PSCredential,Hashtable",
                Ok("[string]::Join(',', [Enum]::GetNames([Microsoft.PowerShell.SecretManagement.SecretType]))").Output.Single().ToString());
            Assert.Equal(
                "System.InvalidOperationException",
                Ok("[Microsoft.PowerShell.SecretManagement.PasswordRequiredException].BaseType.FullName").Output.Single().ToString());
        }

        [Fact]
        public void ImportsByNameFromPSModulePath()
        {
            Env.Set("PSModulePath", StandInModule.TestModulesDirectory + System.IO.Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
            using var plain = new PowerShellSession(importModule: false);
            var r = plain.Run("(Get-Module -ListAvailable Microsoft.PowerShell.SecretManagement).Version.ToString(); Import-Module Microsoft.PowerShell.SecretManagement -PassThru | ForEach-Object { $_.ModuleBase }").ThrowIfErrors();
            Assert.Equal("1.1.2", r.Output[0].ToString());
            Assert.Equal(StandInModule.ModuleDirectory, r.Output[1].ToString());
        }

        private string DefaultSet(string cmdlet) =>
            Ok("(Get-Command " + cmdlet + ").ParameterSets | Where-Object IsDefault | ForEach-Object Name").Output.Single().ToString();

        /// <summary>"Set|Name|Type|Position|Mandatory|FromPipeline|FromPipelineByPropertyName" per parameter and set, common parameters left out.</summary>
        private List<string> Parameters(string cmdlet)
        {
            var script =
                "$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters\n" +
                "foreach ($set in (Get-Command " + cmdlet + ").ParameterSets) { foreach ($p in $set.Parameters) { if ($common -notcontains $p.Name) {\n" +
                "  $set.Name + '|' + $p.Name + '|' + $p.ParameterType.Name + '|' + $p.Position + '|' + $p.IsMandatory + '|' + $p.ValueFromPipeline + '|' + $p.ValueFromPipelineByPropertyName } } }";
            return Ok(script).Output.Select(o => o.ToString()).ToList();
        }
    }
}
