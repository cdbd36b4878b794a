using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Get-SecretVault. As in 1.1.x, no vault registered gives no output and no warning; a name without
    /// wildcards that is not registered gives a non-terminating GetSecretVaultNotFound.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SecretVault")]
    [OutputType(typeof(SecretVaultInfo))]
    public sealed class GetSecretVaultCommand : SecretCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        public string[] Name { get; set; }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);
        }

        protected override void EndProcessing()
        {
            Name = Name ?? new[] { "*" };
            var vaults = VaultRegistry.VaultExtensions;
            foreach (var name in Name)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    foreach (var vault in vaults.Values)
                    {
                        if (pattern.IsMatch(vault.Name)) WriteObject(new SecretVaultInfo(vault));
                    }
                }
                else if (vaults.TryGetValue(name, out RegisteredVault vault))
                {
                    WriteObject(new SecretVaultInfo(vault));
                }
                else
                {
                    WriteError(
                        new ErrorRecord(
                            new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Vault {0} does not exist in registry.", name)),
                            "GetSecretVaultNotFound",
                            ErrorCategory.ObjectNotFound,
                            this));
                }
            }
        }
    }
}
