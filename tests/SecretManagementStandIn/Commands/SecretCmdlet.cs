using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>Base of the cmdlets that work on secrets, as in the real module.</summary>
    public abstract class SecretCmdlet : PSCmdlet
    {
        /// <summary>The registered vault of that name, or the real module's terminating GetSecretVaultNotFound.</summary>
        internal RegisteredVault GetExtensionVault(string name)
        {
            RegisteredVault vault = null;
            if (name == null || !VaultRegistry.VaultExtensions.TryGetValue(name, out vault))
            {
                var msg = string.Format(CultureInfo.InvariantCulture, "Vault not found in registry: {0}", name);
                ThrowTerminatingError(
                    new ErrorRecord(
                        new PSInvalidOperationException(msg),
                        "GetSecretVaultNotFound",
                        ErrorCategory.ObjectNotFound,
                        this));
            }
            return vault;
        }
    }
}
