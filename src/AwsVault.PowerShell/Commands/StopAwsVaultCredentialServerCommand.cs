using System.Management.Automation;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>Stops credential servers: the port closes, requests in flight finish, and nothing of them keeps running.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "AwsVaultCredentialServer", HelpUri = HelpLinks.Base + "Stop-AwsVaultCredentialServer.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class StopAwsVaultCredentialServerCommand : AwsVaultCmdlet
    {
        /// <summary>Servers from Start-AwsVaultCredentialServer or Get-AwsVaultCredentialServer.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public CredentialServerInfo[] InputObject { get; set; }

        protected override void Process()
        {
            foreach (var server in InputObject)
            {
                if (server == null || !server.Running) continue;
                if (!ShouldProcess("profile '" + server.ProfileName + "' at " + server.Uri, "Stop credential server")) continue;
                server.Stop();
                Verbose("Stopped the credential server for profile '" + server.ProfileName + "' at " + server.Uri + " after " + server.RequestsServed + " requests.");
            }
        }
    }
}
