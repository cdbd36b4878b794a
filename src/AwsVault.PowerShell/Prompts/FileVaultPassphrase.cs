using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using AwsVault.Engine;
using AwsVault.Storage;

namespace AwsVault.Prompts
{
    /// <summary>
    /// The file vault passphrase: $env:AWS_VAULT_FILE_PASSPHRASE when it is set (an empty value counts, as
    /// in aws-vault), else asked once per process and vault directory, masked, through the host.
    /// </summary>
    internal sealed class FileVaultPassphrase : INewVaultPassphraseSource
    {
        public const string EnvironmentVariable = "AWS_VAULT_FILE_PASSPHRASE";

        // Asked once per import (EngineContext): a PowerShell session is the user's unit of "I unlocked my vault".
        private readonly ConcurrentDictionary<string, string> _prompted;

        private readonly IPrompter _prompter;

        public FileVaultPassphrase(EngineContext engine, IPrompter prompter)
        {
            _prompted = engine.Passphrases;
            _prompter = prompter;
        }

        public string GetPassphrase(string vaultDirectory)
        {
            string fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (fromEnvironment != null) return fromEnvironment;
            if (_prompted.TryGetValue(vaultDirectory, out string known)) return known;

            var secure = _prompter.ReadSecret(
                "Enter passphrase to unlock '" + vaultDirectory + "': ",
                ErrorIds.FileVaultPassphraseRequired,
                "Set $env:" + EnvironmentVariable + " (on a CI agent, from its secret store), or run the command in an interactive session");
            string passphrase = new NetworkCredential(string.Empty, secure).Password;
            _prompted[vaultDirectory] = passphrase;
            return passphrase;
        }

        /// <summary>For the first item of a new vault: asked twice, and refused when the two differ.</summary>
        public string GetNewVaultPassphrase(string vaultDirectory)
        {
            if (Environment.GetEnvironmentVariable(EnvironmentVariable) != null) return null;
            if (_prompted.ContainsKey(vaultDirectory)) return null;
            const string how = "Set $env:" + EnvironmentVariable + " (on a CI agent, from its secret store), or run the command in an interactive session";
            var first = _prompter.ReadSecret("Enter a passphrase to create the file vault in '" + vaultDirectory + "': ", ErrorIds.FileVaultPassphraseRequired, how);
            var again = _prompter.ReadSecret("Enter the same passphrase again: ", ErrorIds.FileVaultPassphraseRequired, how);
            string passphrase = new NetworkCredential(string.Empty, first).Password;
            if (passphrase != new NetworkCredential(string.Empty, again).Password)
            {
                throw new AwsVaultException(ErrorIds.VaultPassphraseMismatch, ErrorCategory.InvalidArgument,
                    "The two passphrases for the new file vault in '" + vaultDirectory + "' differ, so nothing was stored. Run the command again and type the same passphrase twice.",
                    vaultDirectory);
            }
            _prompted[vaultDirectory] = passphrase;
            return passphrase;
        }

        public void Forget(string vaultDirectory)
        {
            _prompted.TryRemove(vaultDirectory, out _);
        }
    }
}
