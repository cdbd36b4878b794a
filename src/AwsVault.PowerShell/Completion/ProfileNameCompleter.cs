using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsVault.Config;
using AwsVault.Internal;
using AwsVault.Storage;

namespace AwsVault.Completion
{
    /// <summary>Completes -ProfileName from the config file and from the names of the keys in the store the command
    /// would use (the file vault's item names, or SecretManagement's Get-SecretInfo, always with -Vault). It reads
    /// names only, so it never asks for a passphrase or a vault password, and it swallows errors: a broken config or
    /// store must not break Tab.</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
            var names = new List<string>();
            try
            {
                names.AddRange(ConfigFile.Load(AwsPaths.ConfigFile).ProfileNames);
            }
            catch (Exception ex) when (ex is AwsVaultException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
            }
            try
            {
                // The store the command would use, chosen as the command chooses it: its -Backend / -Vault as typed
                // so far, then the environment, then the default (SecretManagement's default vault when one is
                // registered, else the file vault).
                var store = StoreSelection.OpenForCompletion(Bound(fakeBoundParameters, "Backend"), Bound(fakeBoundParameters, "Vault"), NamesOnly.Instance);
                names.AddRange(store.ListProfilesWithKeys());
            }
            catch (Exception)
            {
                // Anything at all: a locked or broken store, a missing module, a -Backend typo. Tab must still work.
            }
            return names
                .Distinct(StringComparer.Ordinal)
                .Where(n => pattern.IsMatch(n))
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }

        // What the command line so far binds to a parameter, as text; null when absent or not text (a variable
        // PowerShell did not evaluate for completion).
        private static string Bound(IDictionary fakeBoundParameters, string name)
        {
            if (fakeBoundParameters == null || !fakeBoundParameters.Contains(name)) return null;
            object value = fakeBoundParameters[name];
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value as string;
        }

        // Listing reads file names only; a completer must never decrypt or prompt.
        private sealed class NamesOnly : IPassphraseSource
        {
            public static readonly NamesOnly Instance = new NamesOnly();

            public string GetPassphrase(string vaultDirectory) =>
                throw new AwsVaultException(ErrorIds.CompletionNeedsNoPassphrase, ErrorCategory.InvalidOperation, "Completion does not decrypt the vault.");

            public void Forget(string vaultDirectory)
            {
            }
        }

        internal static string Quote(string name)
        {
            foreach (char c in name)
            {
                if (!(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '@'))
                {
                    return "'" + name.Replace("'", "''") + "'";
                }
            }
            return name;
        }
    }
}
