using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Credentials;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>Removes cached sessions, all of them or those of the named profiles, from memory and the store.</summary>
    [Cmdlet(VerbsCommon.Clear, "AwsVaultSession", HelpUri = HelpLinks.Base + "Clear-AwsVaultSession.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(ClearedSessions))]
    public sealed class ClearAwsVaultSessionCommand : StoreCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [SupportsWildcards]
        public string[] ProfileName { get; set; }

        protected override void Process()
        {
            var store = OpenStore();
            string[] names = ProfileName;
            if (names != null && names.Length > 0)
            {
                names = KnownOrReported(names, store);
                if (names.Length == 0) return;
            }
            string what = names == null || names.Length == 0 ? "all cached sessions" : "cached sessions of " + string.Join(", ", names);
            if (!ShouldProcess(AddAwsVaultProfileCommand.Describe(store), "Remove " + what)) return;
            var patterns = names?.Select(p => new WildcardPattern(p, WildcardOptions.None)).ToList();
            int removed = new SessionCache(CommandHost.Engine, store, Config.EnvironmentSnapshot.Capture(), WriteVerbose).Clear(patterns == null ? null : (System.Func<string, bool>)(name => patterns.Any(p => p.IsMatch(name))));
            WriteObject(new ClearedSessions(removed, names, store.Location));
        }

        // A mistyped name used to clear nothing and report 0, which reads as "there was nothing to clear". Like
        // Get-Item, each name that is no profile at all is its own non-terminating error; wildcards match silently.
        private string[] KnownOrReported(string[] names, Storage.ICredentialStore store)
        {
            var known = new HashSet<string>(LoadConfig().ProfileNames, StringComparer.Ordinal);
            known.UnionWith(store.ListProfilesWithKeys());
            known.UnionWith(store.ListSessions().Select(k => k.ProfileName));
            var result = new List<string>(names.Length);
            foreach (string name in names)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name) || known.Contains(name))
                {
                    result.Add(name);
                    continue;
                }
                var close = Config.ProfileNameSuggestions.Find(name, known.ToList());
                WriteError(new AwsVaultException(ErrorIds.ProfileNotFound, ErrorCategory.ObjectNotFound,
                    "Profile '" + name + "' is neither in the config file nor in " + AddAwsVaultProfileCommand.Describe(store) + ", so it has no sessions to clear." +
                    (close.Count > 0 ? " Did you mean '" + string.Join("', '", close) + "'?" : string.Empty) +
                    " Get-AwsVaultProfile lists the profiles.", name).ToErrorRecord());
            }
            return result.ToArray();
        }
    }
}
