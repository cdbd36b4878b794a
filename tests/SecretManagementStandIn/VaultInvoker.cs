using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// SecretManagement's side of each call into a vault, with the real module's error handling: a
    /// PasswordRequiredException from the vault is rethrown as is (the caller decides whether it ends up
    /// terminating), any other exception becomes a non-terminating "...InvalidOperation" error, and errors the
    /// vault writes are passed on through the calling cmdlet.
    /// </summary>
    internal static class VaultInvoker
    {
        public static object InvokeGetSecret(RegisteredVault vault, string name, PSCmdlet cmdlet)
        {
            object result = null;
            try
            {
                result = Prompting(vault, cmdlet, () => new StandInVault(vault).GetSecret(name), null);
                if (StandIn.WasAbandoned(cmdlet)) return null;
                cmdlet.WriteVerbose(Format("Secret {0} was successfully retrieved from vault {1}.", name, vault.Name));
            }
            catch (Exception ex)
            {
                ThrowPasswordRequiredException(ex);
                cmdlet.WriteError(new ErrorRecord(
                    new PSInvalidOperationException(Format("Unable to get secret {0} from vault {1}", name, vault.Name), ex),
                    "GetSecretInvalidOperation",
                    ErrorCategory.InvalidOperation,
                    vault.Name));
            }
            return result;
        }

        public static void InvokeSetSecret(RegisteredVault vault, string name, object secret, Hashtable metadata, PSCmdlet cmdlet)
        {
            var store = new StandInVault(vault);
            try
            {
                Prompting(vault, cmdlet, () =>
                {
                    store.SetSecret(name, secret, store.SupportsMetadata ? (metadata ?? new Hashtable()) : null, vault.Name, cmdlet.WriteError);
                    return true;
                }, false);
                if (StandIn.WasAbandoned(cmdlet)) return;
            }
            catch (Exception ex)
            {
                ThrowPasswordRequiredException(ex);
                cmdlet.WriteError(new ErrorRecord(
                    new PSInvalidOperationException(Format("Unable to add secret {0} to vault {1}", name, vault.Name), ex),
                    "SetSecretInvalidOperation",
                    ErrorCategory.InvalidOperation,
                    vault.Name));
                return;
            }

            // The 1.1.x pitfall: metadata for a vault whose Set-Secret cannot take it goes through the vault's
            // Set-SecretInfo; when that fails, the secret just written (possibly overwriting an older value) is
            // removed again.
            if (metadata != null && metadata.Count > 0 && !store.SupportsMetadata &&
                !InvokeSetSecretMetadata(vault, name, metadata, cmdlet))
            {
                InvokeRemoveSecret(vault, name, cmdlet);
                return;
            }

            cmdlet.WriteVerbose(Format("Secret {0} was successfully added to vault {1}.", name, vault.Name));
        }

        public static bool InvokeSetSecretMetadata(RegisteredVault vault, string name, Hashtable metadata, PSCmdlet cmdlet)
        {
            bool ran;
            try
            {
                ran = new StandInVault(vault).TrySetSecretInfo(name, metadata, vault.Name, cmdlet.WriteError);
            }
            catch (Exception ex)
            {
                ThrowPasswordRequiredException(ex);
                cmdlet.WriteError(new ErrorRecord(
                    new PSInvalidOperationException(Format("Cannot add secret metadata '{0}' to vault '{1}'", name, vault.Name), ex),
                    "SetSecretMetadataInvalidOperation",
                    ErrorCategory.InvalidOperation,
                    vault.Name));
                return false;
            }

            if (!ran)
            {
                // The real message has the unbalanced quote too.
                cmdlet.WriteError(new ErrorRecord(
                    new PSNotSupportedException(Format("Cannot add secret metadata '{0}' to vault '{1}: The vault does not support the Set-SecretInfo function.", name, vault.Name)),
                    "SetSecretMetadataCommandNotSupported",
                    ErrorCategory.NotImplemented,
                    vault.Name));
                return false;
            }

            cmdlet.WriteVerbose(Format("Secret metadata '{0}' was successfully added to vault '{1}'.", name, vault.Name));
            return true;
        }

        public static void InvokeRemoveSecret(RegisteredVault vault, string name, PSCmdlet cmdlet)
        {
            try
            {
                Prompting(vault, cmdlet, () =>
                {
                    new StandInVault(vault).RemoveSecret(name, vault.Name, cmdlet.WriteError);
                    return true;
                }, false);
                if (StandIn.WasAbandoned(cmdlet)) return;
                cmdlet.WriteVerbose(Format("Secret {0} was successfully removed from vault {1}.", name, vault.Name));
            }
            catch (Exception ex)
            {
                ThrowPasswordRequiredException(ex);
                cmdlet.WriteError(new ErrorRecord(
                    new PSInvalidOperationException(Format("Unable to remove secret {0} from vault {1}", name, vault.Name), ex),
                    "RemoveSecretInvalidOperation",
                    ErrorCategory.InvalidOperation,
                    vault.Name));
            }
        }

        public static SecretInformation[] InvokeGetSecretInfo(RegisteredVault vault, string filter, PSCmdlet cmdlet)
        {
            try
            {
                var result = Prompting(vault, cmdlet, () => new StandInVault(vault).GetSecretInfo(filter, vault.Name), new SecretInformation[0]);
                if (StandIn.WasAbandoned(cmdlet)) return result;
                cmdlet.WriteVerbose(Format("Secret information was successfully retrieved from vault {0}.", vault.Name));
                return result;
            }
            catch (Exception ex)
            {
                ThrowPasswordRequiredException(ex);
                cmdlet.WriteError(new ErrorRecord(
                    new PSInvalidOperationException(Format("Unable to get secret information from vault {0}", vault.Name), ex),
                    "GetSecretInfoInvalidOperation",
                    ErrorCategory.InvalidOperation,
                    vault.Name));
                return new SecretInformation[0];
            }
        }

        public static bool InvokeTestVault(RegisteredVault vault, PSCmdlet cmdlet)
        {
            try
            {
                return Prompting(vault, cmdlet, () => new StandInVault(vault).TestVault(vault.Name, cmdlet.WriteError), false);
            }
            catch (Exception ex)
            {
                ThrowPasswordRequiredException(ex);
                cmdlet.WriteError(new ErrorRecord(
                    new PSInvalidOperationException(Format("Unable to run Test-SecretVault on vault {0}", vault.Name), ex),
                    "TestSecretVaultInvalidOperation",
                    ErrorCategory.InvalidOperation,
                    vault.Name));
                return false;
            }
        }

        public static bool InvokeUnlockSecretVault(RegisteredVault vault, SecureString password, PSCmdlet cmdlet)
        {
            bool ran;
            try
            {
                ran = new StandInVault(vault).TryUnlock(password, vault.Name, cmdlet.WriteError);
            }
            catch (Exception ex)
            {
                ThrowPasswordRequiredException(ex);
                cmdlet.WriteError(new ErrorRecord(
                    new PSInvalidOperationException(Format("Unlocking vault '{0}' failed with error: {1}", vault.Name, ex.Message), ex),
                    "UnlockSecretVaultInvalidOperation",
                    ErrorCategory.InvalidOperation,
                    vault.Name));
                return false;
            }

            if (!ran)
            {
                cmdlet.WriteWarning(Format("Cannot unlock extension vault '{0}': The vault does not support the Unlock-SecretVault function.", vault.Name));
                return false;
            }

            // As in the real module, this is said whenever the vault's Unlock-SecretVault ran, even if it wrote an error.
            cmdlet.WriteVerbose(Format("Secret vault '{0}' was successfully unlocked.", vault.Name));
            return true;
        }

        /// <summary>
        /// Runs one vault operation the way a prompting vault's extension function does: a locked vault with
        /// Interaction = 'Prompt' asks for its password and tries once more (see <see cref="PasswordPrompt"/>).
        /// When every prompt went unanswered, the call has been marked failed and <paramref name="abandoned"/> is returned.
        /// </summary>
        private static T Prompting<T>(RegisteredVault vault, PSCmdlet cmdlet, Func<T> operation, T abandoned)
        {
            if (StandIn.WasAbandoned(cmdlet)) return abandoned;
            try
            {
                return operation();
            }
            catch (PasswordRequiredException) when (vault.PromptsForPassword)
            {
                if (!PasswordPrompt.TryUnlock(vault, cmdlet)) return abandoned;
            }
            return operation();
        }

        private static void ThrowPasswordRequiredException(Exception ex)
        {
            if (ex is PasswordRequiredException passwordRequired) throw passwordRequired;
            if (ex.InnerException is PasswordRequiredException inner) throw inner;
        }

        private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
