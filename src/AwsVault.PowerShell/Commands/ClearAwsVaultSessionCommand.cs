using System.Linq;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Credentials;

namespace AwsVault.Commands
{
    /// <summary>Removes cached sessions, all of them or those of the named profiles, from memory and the store.</summary>
    [Cmdlet(VerbsCommon.Clear, "AwsVaultSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
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
            string what = ProfileName == null || ProfileName.Length == 0 ? "all cached sessions" : "cached sessions of " + string.Join(", ", ProfileName);
            if (!ShouldProcess(AddAwsVaultProfileCommand.Describe(store), "Remove " + what)) return;
            var patterns = ProfileName?.Select(p => new WildcardPattern(p, WildcardOptions.None)).ToList();
            int removed = new SessionCache(store, WriteVerbose).Clear(patterns == null ? null : (System.Func<string, bool>)(name => patterns.Any(p => p.IsMatch(name))));
            WriteObject(new ClearedSessions(removed, ProfileName, store.Location));
        }
    }
}
