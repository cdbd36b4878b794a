using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsVault.Config;
using AwsVault.Internal;

namespace AwsVault.Completion
{
    /// <summary>Completes -SessionName from the [sso-session] sections of the config file. Like
    /// <see cref="ProfileNameCompleter"/> it swallows errors: a broken config must not break Tab.</summary>
    public sealed class SsoSessionNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
            List<string> names;
            try
            {
                names = SsoSettings.SessionNames(ConfigFile.Load(AwsPaths.ConfigFile));
            }
            catch (Exception ex) when (ex is AwsVaultException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                return Array.Empty<CompletionResult>();
            }
            return names
                .Where(n => pattern.IsMatch(n))
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(ProfileNameCompleter.Quote(n), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
    }
}
