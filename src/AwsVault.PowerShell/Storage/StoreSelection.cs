using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Internal;

namespace AwsVault.Storage
{
    /// <summary>
    /// Chooses the store for one command: -Backend / -Vault, then $env:AWS_VAULT_BACKEND /
    /// $env:AWS_VAULT_SECRETMANAGEMENT_VAULT, then SecretManagement when it is installed and has a
    /// registered vault, else the file vault, the default on a fresh machine.
    /// </summary>
    internal static class StoreSelection
    {
        public const string BackendVariable = "AWS_VAULT_BACKEND";
        public const string VaultVariable = "AWS_VAULT_SECRETMANAGEMENT_VAULT";
        public const string File = "file";
        public const string SecretManagement = "secretmanagement";

        public static ICredentialStore Open(PSCmdlet cmdlet, string backendParameter, string vaultParameter, IPassphraseSource passphrase, out string why) =>
            Open(mustExist => RegisteredVaults(cmdlet, mustExist), () => Prompts.Interactivity.WhyPromptIsImpossible(cmdlet.Host),
                backendParameter, vaultParameter, passphrase, out why);

        /// <summary>
        /// The store a command with these -Backend / -Vault would use, for an argument completer, which has no cmdlet:
        /// SecretManagement is asked in the current runspace, and the store never prompts (a locked SecretStore is
        /// reported as locked instead of asking for its password in the middle of Tab).
        /// </summary>
        /// <summary>The store in words for messages: "the file vault '/home/me/.awsvault/keys'" or "SecretManagement vault 'Keys'".</summary>
        public static string Describe(ICredentialStore store) =>
            store.Backend == File ? "the file vault '" + store.Location + "'" : "SecretManagement vault '" + store.Location + "'";

        public static ICredentialStore OpenForCompletion(string backendParameter, string vaultParameter, IPassphraseSource passphrase) =>
            Open(mustExist => RegisteredVaults(null, mustExist), () => "Tab completion never prompts",
                backendParameter, vaultParameter, passphrase, out _);

        private static ICredentialStore Open(Func<bool, IReadOnlyList<VaultInfo>> registeredVaults, Func<string> whyNoPrompt,
            string backendParameter, string vaultParameter, IPassphraseSource passphrase, out string why)
        {
            string backend = backendParameter;
            string backendSource = "-Backend";
            string vault = vaultParameter;
            string vaultSource = "-Vault";
            if (string.IsNullOrEmpty(vault))
            {
                vault = Environment.GetEnvironmentVariable(VaultVariable);
                vaultSource = "$env:" + VaultVariable;
            }
            if (string.IsNullOrEmpty(backend))
            {
                if (!string.IsNullOrEmpty(vaultParameter))
                {
                    backend = SecretManagement;
                }
                else
                {
                    backend = Environment.GetEnvironmentVariable(BackendVariable);
                    backendSource = "$env:" + BackendVariable;
                }
            }

            if (string.IsNullOrEmpty(backend))
            {
                if (!string.IsNullOrEmpty(vault))
                {
                    backend = SecretManagement;
                    backendSource = vaultSource;
                }
                else if (TryDefaultSecretVault(registeredVaults(false), out string defaultVault))
                {
                    why = "SecretManagement vault '" + defaultVault + "' (the default registered vault; no backend was chosen)";
                    return new SecretManagementStore(defaultVault, whyNoPrompt());
                }
                else
                {
                    string dir = AwsPaths.FileVaultDirectory;
                    why = "the file vault at '" + dir + "' (no backend was chosen and no SecretManagement vault is registered)";
                    return new FileStore(dir, passphrase);
                }
            }

            if (string.Equals(backend, File, StringComparison.OrdinalIgnoreCase))
            {
                if (!string.IsNullOrEmpty(vaultParameter))
                {
                    throw new AwsVaultException(ErrorIds.VaultNeedsSecretManagement, ErrorCategory.InvalidArgument,
                        "-Vault names a SecretManagement vault, but the backend is 'file' (from " + backendSource + "). Drop -Vault, or use -Backend secretmanagement.", vaultParameter);
                }
                string dir = AwsPaths.FileVaultDirectory;
                why = "the file vault at '" + dir + "' (" + backendSource + ")";
                return new FileStore(dir, passphrase);
            }
            if (string.Equals(backend, SecretManagement, StringComparison.OrdinalIgnoreCase))
            {
                var vaults = registeredVaults(true);
                if (string.IsNullOrEmpty(vault))
                {
                    var def = vaults.FirstOrDefault(v => v.IsDefault) ?? vaults.FirstOrDefault();
                    if (def == null) throw NoVaultRegistered();
                    why = "SecretManagement vault '" + def.Name + "' (the default vault; " + backendSource + ")";
                    return new SecretManagementStore(def.Name, whyNoPrompt());
                }
                var match = vaults.FirstOrDefault(v => string.Equals(v.Name, vault, StringComparison.OrdinalIgnoreCase));
                if (match == null)
                {
                    throw new AwsVaultException(ErrorIds.SecretVaultNotFound, ErrorCategory.ObjectNotFound,
                        "SecretManagement has no vault named '" + vault + "' (from " + vaultSource + "). Registered vaults: " +
                        (vaults.Count == 0 ? "none" : string.Join(", ", vaults.Select(v => v.Name))) +
                        ". Register it with Register-SecretVault, or name a registered vault.", vault);
                }
                why = "SecretManagement vault '" + match.Name + "' (" + vaultSource + ")";
                return new SecretManagementStore(match.Name, whyNoPrompt());
            }
            throw new AwsVaultException(ErrorIds.InvalidBackend, ErrorCategory.InvalidArgument,
                backendSource + " is '" + backend + "', which is not a backend AwsVault knows. Use 'file' or 'secretmanagement'.", backend);
        }

        /// <summary>The registered SecretManagement vaults, or an empty list when the module is not installed. Without a
        /// <paramref name="cmdlet"/> (a completer) the current runspace is asked.</summary>
        public static IReadOnlyList<VaultInfo> RegisteredVaults(PSCmdlet cmdlet, bool mustExist)
        {
            if (!SecretVaultCommandExists(cmdlet))
            {
                if (mustExist) throw SecretManagementStore.SecretManagementNotAvailable();
                return Array.Empty<VaultInfo>();
            }
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand("Microsoft.PowerShell.SecretManagement\\Get-SecretVault");
                ps.AddParameter("ErrorAction", ActionPreference.SilentlyContinue);
                ps.AddParameter("WarningAction", ActionPreference.SilentlyContinue);
                try
                {
                    return ps.Invoke()
                        .Where(o => o != null)
                        .Select(o => new VaultInfo(o.Properties["Name"]?.Value as string, o.Properties["IsDefault"]?.Value is bool b && b))
                        .Where(v => !string.IsNullOrEmpty(v.Name))
                        .ToList();
                }
                catch (RuntimeException ex)
                {
                    if (mustExist) throw SecretManagementStore.SecretManagementNotAvailable(ex);
                    return Array.Empty<VaultInfo>();
                }
            }
        }

        /// <summary>
        /// Where else a key for the profile is stored, when the chosen store has none: the file vault when
        /// SecretManagement was used, else SecretManagement's default vault. A user whose keys "vanished" after
        /// registering a first SecretManagement vault needs to hear where they are. Null when nowhere else.
        /// Runs on error paths only; it reads item names, never a secret.
        /// </summary>
        public static string DescribeKeyElsewhere(PSCmdlet cmdlet, ICredentialStore chosen, string profileName, IPassphraseSource passphrase)
        {
            try
            {
                if (chosen.Backend == SecretManagement)
                {
                    string dir = AwsPaths.FileVaultDirectory;
                    if (new FileStore(dir, passphrase).HasKey(profileName))
                    {
                        return "the file vault at '" + dir + "' has one: add -Backend file, or set $env:" + BackendVariable + " = 'file'";
                    }
                    return null;
                }
                var vaults = RegisteredVaults(cmdlet, mustExist: false);
                foreach (var v in vaults.OrderByDescending(v => v.IsDefault))
                {
                    if (new SecretManagementStore(v.Name, "AwsVault only looks for the key there").HasKey(profileName))
                    {
                        return "SecretManagement vault '" + v.Name + "' has one: add -Vault '" + v.Name + "', or set $env:" + BackendVariable + " = 'secretmanagement'";
                    }
                }
                return null;
            }
            catch (AwsVaultException)
            {
                return null; // a locked or broken other store is no reason to hide the original error
            }
            catch (System.IO.IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static bool SecretVaultCommandExists(PSCmdlet cmdlet)
        {
            if (cmdlet != null) return cmdlet.InvokeCommand.GetCommand("Get-SecretVault", CommandTypes.Cmdlet | CommandTypes.Function) != null;
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand("Microsoft.PowerShell.Core\\Get-Command")
                  .AddParameter("Name", "Get-SecretVault")
                  .AddParameter("CommandType", CommandTypes.Cmdlet | CommandTypes.Function)
                  .AddParameter("ErrorAction", ActionPreference.Ignore);
                return ps.Invoke().Count > 0;
            }
        }

        private static bool TryDefaultSecretVault(IReadOnlyList<VaultInfo> vaults, out string name)
        {
            name = (vaults.FirstOrDefault(v => v.IsDefault) ?? vaults.FirstOrDefault())?.Name;
            return name != null;
        }

        private static AwsVaultException NoVaultRegistered() =>
            new AwsVaultException(ErrorIds.SecretVaultNotRegistered, ErrorCategory.ObjectNotFound,
                "The SecretManagement backend was chosen, but no SecretManagement vault is registered. Register one (for example Register-SecretVault -Name SecretStore -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault), or use the file vault with -Backend file.");

        internal sealed class VaultInfo
        {
            public VaultInfo(string name, bool isDefault)
            {
                Name = name;
                IsDefault = isDefault;
            }

            public string Name { get; }
            public bool IsDefault { get; }
        }
    }
}
