using System.Linq;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Output;
using AwsVault.Server;

namespace AwsVault.Commands
{
    /// <summary>Lists the credential servers Start-AwsVaultCredentialServer left running in this process.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsVaultCredentialServer", HelpUri = HelpLinks.Base + "Get-AwsVaultCredentialServer.md")]
    [OutputType(typeof(CredentialServerInfo))]
    public sealed class GetAwsVaultCredentialServerCommand : AwsVaultCmdlet
    {
        /// <summary>Only the servers of these profiles; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [SupportsWildcards]
        public string[] ProfileName { get; set; }

        protected override void Process()
        {
            var patterns = ProfileName?.Select(p => new WildcardPattern(p, WildcardOptions.None)).ToList();
            foreach (var server in CredentialServerRegistry.Snapshot())
            {
                if (patterns == null || patterns.Count == 0 || patterns.Any(p => p.IsMatch(server.ProfileName))) WriteObject(server);
            }
        }
    }
}
