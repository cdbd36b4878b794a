using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>Unregister-SecretVault. Secrets kept in memory or under Path stay where they are, as with a real vault.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "SecretVault", SupportsShouldProcess = true)]
    public sealed class UnregisterSecretVaultCommand : PSCmdlet
    {
        private const string NameParameterSet = "NameParameterSet";
        private const string SecretVaultParameterSet = "SecretVaultParameterSet";

        [Parameter(ParameterSetName = NameParameterSet, Position = 0, Mandatory = true, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        [Parameter(ParameterSetName = SecretVaultParameterSet, Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public SecretVaultInfo SecretVault { get; set; }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);

            string[] vaultNames = ParameterSetName == SecretVaultParameterSet ? new[] { SecretVault.Name } : Name;
            foreach (var vaultName in vaultNames)
            {
                if (WildcardPattern.ContainsWildcardCharacters(vaultName))
                {
                    var pattern = new WildcardPattern(vaultName, WildcardOptions.IgnoreCase);
                    foreach (var name in VaultRegistry.VaultExtensions.Keys)
                    {
                        if (pattern.IsMatch(name)) RemoveVault(name);
                    }

                    // As in 1.1.x, a wildcard name ends the loop over -Name.
                    return;
                }

                RemoveVault(vaultName);
            }
        }

        private void RemoveVault(string vaultName)
        {
            if (!ShouldProcess(vaultName, "Unregister SecretManagement extension vault module for current user"))
            {
                return;
            }

            if (!VaultRegistry.VaultExtensions.TryGetValue(vaultName, out RegisteredVault vault))
            {
                WriteError(
                    new ErrorRecord(
                        new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Unable to find secret vault {0} to unregister it.", vaultName)),
                        "UnregisterSecretVaultObjectNotFound",
                        ErrorCategory.ObjectNotFound,
                        this));
                return;
            }

            VaultRegistry.Remove(vaultName);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Removed vault {0} from registry.", vault.Name));
        }
    }
}
