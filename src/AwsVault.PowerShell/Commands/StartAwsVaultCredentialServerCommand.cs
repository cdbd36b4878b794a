using System.Globalization;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Output;
using AwsVault.Server;

namespace AwsVault.Commands
{
    /// <summary>
    /// Starts a local credential server for a profile (the ECS container-credentials protocol) that keeps serving
    /// fresh sessions until Stop-AwsVaultCredentialServer or the end of the process, so other terminals, IDEs and
    /// long-running tools can outlive one session.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "AwsVaultCredentialServer", HelpUri = HelpLinks.Base + "Start-AwsVaultCredentialServer.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(CredentialServerInfo))]
    public sealed class StartAwsVaultCredentialServerCommand : SessionCmdlet
    {
        /// <summary>The profile; $env:AWS_PROFILE when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The TCP port; 0 (the default) picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>The address to listen on; loopback (127.0.0.1) when omitted. Anything else reaches the network.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ListenAddress { get; set; }

        protected override void Process()
        {
            var request = Request(ProfileName);
            var address = CredentialServerLauncher.ParseListenAddress(ListenAddress);
            string where = address + ":" + (Port == 0 ? "a free port" : Port.ToString(CultureInfo.InvariantCulture));
            if (!ShouldProcess("profile '" + request.ProfileName + "' at " + where, "Start credential server")) return;
            ChooseStore(out string backend, out string vault);
            var server = CredentialServerLauncher.Start(CommandHost, request, backend, vault, address, Port);
            CredentialServerRegistry.Add(server);
            // The non-loopback warning came while starting, on this thread: it belongs in this command's stream.
            foreach (string warning in server.Instance.TakeWarnings()) WriteWarning(warning);
            // After this command returns, requests still warn: through the host, the only writer left.
            var sink = CredentialServerLauncher.HostWarnings(Host);
            server.Instance.WarnTo(sink);
            foreach (string warning in server.Instance.TakeWarnings()) sink(warning);
            WriteObject(server);
        }
    }
}
