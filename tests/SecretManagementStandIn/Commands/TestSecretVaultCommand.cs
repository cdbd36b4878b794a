using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>Test-SecretVault: one bool for all the vaults named (all by default). A locked vault throws PasswordRequiredException.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "SecretVault")]
    [OutputType(typeof(bool))]
    public sealed class TestSecretVaultCommand : SecretCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[] Name { get; set; }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);

            Name = Name ?? new[] { "*" };
            var vaults = VaultRegistry.VaultExtensions;
            var count = 0;
            var result = true;

            foreach (var name in Name)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    foreach (var vaultName in vaults.Keys)
                    {
                        if (!pattern.IsMatch(vaultName)) continue;
                        ++count;
                        RunTest(vaultName, vaults, out bool success);
                        if (!success) result = false;
                    }
                }
                else if (RunTest(name, vaults, out bool success))
                {
                    ++count;
                    if (!success) result = false;
                }
            }

            if (count > 0)
            {
                WriteObject(result);
            }
        }

        private bool RunTest(string vaultName, SortedDictionary<string, RegisteredVault> vaults, out bool result)
        {
            if (vaults.TryGetValue(vaultName, out RegisteredVault vault))
            {
                result = VaultInvoker.InvokeTestVault(vault, this);
                WriteVerbose(string.Format(CultureInfo.InvariantCulture,
                    result ? "Vault {0} succeeded validation test" : "Vault {0} failed validation test", vault.Name));
                return true;
            }

            WriteError(
                new ErrorRecord(
                    new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Vault {0} does not exist in registry.", vaultName)),
                    "TestSecretVaultNotFound",
                    ErrorCategory.ObjectNotFound,
                    this));
            result = false;
            return false;
        }
    }
}
