using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Get-SecretInfo: -Name is a wildcard filter ('*' by default); default vault first, then the others by name.
    /// As in 1.1.x, an exception from a vault (a locked one's PasswordRequiredException included) becomes a
    /// non-terminating GetSecretInfoException carrying it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretInfo")]
    [OutputType(typeof(SecretInformation))]
    public sealed class GetSecretInfoCommand : SecretCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string Name { get; set; }

        [Parameter(Position = 1)]
        public string Vault { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Utils.CheckForRegisteredVaults(this);
        }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);
        }

        protected override void EndProcessing()
        {
            if (string.IsNullOrEmpty(Name))
            {
                Name = "*";
            }

            if (!string.IsNullOrEmpty(Vault))
            {
                WriteExtensionResults(GetExtensionVault(Vault));
                return;
            }

            var defaultVaultName = VaultRegistry.DefaultVaultName;
            if (!string.IsNullOrEmpty(defaultVaultName))
            {
                WriteExtensionResults(GetExtensionVault(defaultVaultName));
            }

            foreach (var vault in VaultRegistry.VaultExtensions.Values)
            {
                if (vault.Name.Equals(defaultVaultName, StringComparison.OrdinalIgnoreCase)) continue;
                WriteExtensionResults(vault);
            }
        }

        private void WriteExtensionResults(RegisteredVault vault)
        {
            try
            {
                var results = VaultInvoker.InvokeGetSecretInfo(vault, Name, this);
                var sorted = new SortedDictionary<string, SecretInformation>(StringComparer.OrdinalIgnoreCase);
                foreach (var item in results) sorted.Add(item.Name, item);
                foreach (var item in sorted.Values) WriteObject(item);
            }
            catch (Exception ex)
            {
                WriteError(new ErrorRecord(ex, "GetSecretInfoException", ErrorCategory.InvalidOperation, this));
            }
        }
    }
}
