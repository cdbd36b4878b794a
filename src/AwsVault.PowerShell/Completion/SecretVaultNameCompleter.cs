using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AwsVault.Completion
{
    /// <summary>Completes -Vault from the registered SecretManagement vaults, when SecretManagement is installed.</summary>
    public sealed class SecretVaultNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand("Get-Command").AddParameter("Name", "Get-SecretVault").AddParameter("ErrorAction", ActionPreference.Ignore);
                if (ps.Invoke().Count == 0) return new List<CompletionResult>();
                ps.Commands.Clear();
                ps.AddCommand("Microsoft.PowerShell.SecretManagement\\Get-SecretVault")
                  .AddParameter("ErrorAction", ActionPreference.Ignore)
                  .AddParameter("WarningAction", ActionPreference.SilentlyContinue);
                try
                {
                    return ps.Invoke()
                        .Select(o => o?.Properties["Name"]?.Value as string)
                        .Where(n => n != null && pattern.IsMatch(n))
                        .Select(n => new CompletionResult(ProfileNameCompleter.Quote(n), n, CompletionResultType.ParameterValue, n))
                        .ToList();
                }
                catch (RuntimeException)
                {
                    return new List<CompletionResult>();
                }
            }
        }
    }
}
