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
    /// <summary>Completes -ProfileName from the config file and the file vault's item names. It reads names
    /// only, so it never asks for a passphrase, and it swallows errors: a broken config must not break Tab.</summary>
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
                names.AddRange(new FileStore(AwsPaths.FileVaultDirectory, NamesOnly.Instance).ListProfilesWithKeys());
            }
            catch (Exception ex) when (ex is AwsVaultException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
            }
            return names
                .Distinct(StringComparer.Ordinal)
                .Where(n => pattern.IsMatch(n))
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }

        // Listing reads file names only; a completer must never decrypt or prompt.
        private sealed class NamesOnly : IPassphraseSource
        {
            public static readonly NamesOnly Instance = new NamesOnly();

            public string GetPassphrase(string vaultDirectory) =>
                throw new AwsVaultException("CompletionNeedsNoPassphrase", ErrorCategory.InvalidOperation, "Completion does not decrypt the vault.");

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
