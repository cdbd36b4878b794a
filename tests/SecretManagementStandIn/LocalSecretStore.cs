using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Microsoft.PowerShell.SecretManagement;

namespace Microsoft.PowerShell.SecretStore
{
    /// <summary>
    /// The public surface of Microsoft.PowerShell.SecretStore's LocalSecretStore (SecretStore 1.0.x, Utils.cs) that a
    /// caller can use to learn, without any prompt, whether the store is locked in this process: GetInstance with no
    /// cmdlet never prompts, and EnumerateObjectInfo throws PasswordRequiredException while the store is locked
    /// (never unlocked in this process, or its password timeout passed). SecretStore keeps one store per user, so
    /// here every vault registered with -ModuleName Microsoft.PowerShell.SecretStore is that store: it is locked
    /// when any of them is. Only the members AwsVault's probe uses exist.
    /// </summary>
    public sealed class LocalSecretStore
    {
        private const string ModuleName = "Microsoft.PowerShell.SecretStore";

        private LocalSecretStore()
        {
        }

        /// <summary>Whether the store's configuration lets its extension functions prompt (-Interaction Prompt).</summary>
        public static bool AllowPrompting => StoreVaults().Any(v => v.PromptsForPassword);

        public static LocalSecretStore GetInstance(SecureString password = null, PSCmdlet cmdlet = null)
        {
            ThrowIfLocked();
            return new LocalSecretStore();
        }

        public bool EnumerateObjectInfo(string filter, out SecretInformation[] outSecretInfo, string vaultName, out string errorMsg)
        {
            ThrowIfLocked();
            var vault = StoreVaults().FirstOrDefault(v => string.Equals(v.Name, vaultName, StringComparison.OrdinalIgnoreCase)) ?? StoreVaults().FirstOrDefault();
            outSecretInfo = vault == null ? new SecretInformation[0] : new StandInVault(vault).GetSecretInfo(filter, vaultName);
            errorMsg = string.Empty;
            return true;
        }

        private static void ThrowIfLocked()
        {
            if (StoreVaults().Any(v => v.Locked && !StandIn.IsUnlocked(v.Name)))
            {
                throw new PasswordRequiredException(StandInVault.PasswordRequiredMessage);
            }
        }

        private static RegisteredVault[] StoreVaults() =>
            VaultRegistry.VaultExtensions.Values.Where(v => string.Equals(v.ModuleName, ModuleName, StringComparison.OrdinalIgnoreCase)).ToArray();
    }
}
