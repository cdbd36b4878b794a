using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Apply;

namespace AwsVault.Commands
{
    /// <summary>Writes a session's credentials as text for other tools: credential_process JSON, env lines,
    /// an ini profile, or PowerShell assignments.</summary>
    [Cmdlet(VerbsData.Export, "AwsVaultSession", HelpUri = HelpLinks.Base + "Export-AwsVaultSession.md", DefaultParameterSetName = ByProfile)]
    [OutputType(typeof(string))]
    public sealed class ExportAwsVaultSessionCommand : SessionCmdlet
    {
        private const string ByProfile = "Profile";
        private const string BySession = "Session";

        /// <summary>The profile; $env:AWS_PROFILE when omitted.</summary>
        [Parameter(Position = 0, ParameterSetName = ByProfile, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>A session from Get-AwsVaultSession.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BySession, ValueFromPipeline = true)]
        public AwsVaultSession Session { get; set; }

        [Parameter(Mandatory = true)]
        public ExportFormat Format { get; set; }

        protected override void Process()
        {
            // credential_process output is parsed by the AWS CLI and SDKs, and pwsh -Command prints verbose text
            // and host prompts on stdout, so on this path nothing but the JSON is written there.
            Quiet = Format == ExportFormat.CredentialProcess;
            var session = Session ?? IssueSession(ProfileName);
            foreach (string line in SessionExport.Lines(session, Format))
            {
                WriteObject(line);
            }
        }
    }
}
