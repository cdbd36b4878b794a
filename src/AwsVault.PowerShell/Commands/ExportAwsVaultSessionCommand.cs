using System.Linq;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Apply;
using AwsVault.Output;

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
        private const string ByServer = "Server";

        /// <summary>The profile; $env:AWS_PROFILE when omitted.</summary>
        [Parameter(Position = 0, ParameterSetName = ByProfile, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>A session from Get-AwsVaultSession.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BySession, ValueFromPipeline = true)]
        public AwsVaultSession Session { get; set; }

        /// <summary>A running server from Start-AwsVaultCredentialServer: the two variables that point at it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByServer, ValueFromPipeline = true)]
        public CredentialServerInfo Server { get; set; }

        [Parameter(Mandatory = true)]
        public ExportFormat Format { get; set; }

        /// <summary>The parameters that shape a new session; a session passed with -Session is already made.</summary>
        private static readonly string[] SessionParameters =
        {
            nameof(Duration), nameof(NoSession), nameof(MfaToken), nameof(Region), nameof(Refresh), nameof(Backend), nameof(Vault),
        };

        protected override void Process()
        {
            // credential_process output is parsed by the AWS CLI and SDKs, and pwsh -Command prints verbose text
            // and host prompts on stdout, so on this path nothing but the JSON is written there.
            Quiet = Format == ExportFormat.CredentialProcess;
            if (Server != null)
            {
                RefuseSessionParameters("a credential server passed with -Server", "the server issues its sessions itself",
                    "Stop it and start another with them (Start-AwsVaultCredentialServer '" + Server.ProfileName + "' ...)");
                foreach (string line in SessionExport.ServerLines(Server, Format)) WriteObject(line);
                return;
            }
            if (Session != null)
            {
                RefuseSessionParameters("a session passed with -Session (from Get-AwsVaultSession or the pipeline)", "that session is already made",
                    "Give {them} to Get-AwsVaultSession instead, or name the profile (Export-AwsVaultSession '" + Session.ProfileName + "' -Format " + Format + ") and add {list} there");
            }
            else if (NestedSession.IsActive)
            {
                // aws-vault's export refuses inside a session just as exec does, and users of both tools expect one
                // rule. Exporting a -Session object gets no new session, so that is not refused.
                ThrowTerminatingError(NestedSession.Refusal());
            }
            var session = Session ?? IssueSession(ProfileName);
            foreach (string line in SessionExport.Lines(session, Format))
            {
                WriteObject(line);
            }
        }

        /// <summary>They would be silently ignored, so a user asking for a 2 h export of a 1 h session is told.</summary>
        private void RefuseSessionParameters(string what, string why, string instead)
        {
            var given = SessionParameters.Where(MyInvocation.BoundParameters.ContainsKey).Select(p => "-" + p).ToList();
            if (given.Count == 0) return;
            string list = given.Count == 1 ? given[0] : string.Join(", ", given.Take(given.Count - 1)) + " and " + given[given.Count - 1];
            throw new AwsVaultException(ErrorIds.SessionParameterNotApplicable, ErrorCategory.InvalidArgument,
                list + (given.Count == 1 ? " has" : " have") + " no effect on " + what + ": " + why + ". " +
                instead.Replace("{them}", given.Count == 1 ? "it" : "them").Replace("{list}", list) + ".", Server != null ? "Server" : "Session");
        }
    }
}
