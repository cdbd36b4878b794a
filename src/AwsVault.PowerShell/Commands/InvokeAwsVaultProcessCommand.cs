using System.Linq;
using System.Management.Automation;
using AwsVault.Apply;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>
    /// The child-process half of Invoke-AwsVault (the function in AwsVault.psm1 calls it; it is not exported).
    /// It is a cmdlet so that Ctrl+C, which stops the pipeline, can stop the child too.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AwsVaultProcess")]
    public sealed class InvokeAwsVaultProcessCommand : AwsVaultCmdlet
    {
        private ChildProcess _child;

        [Parameter(Mandatory = true, ParameterSetName = "Session")]
        public AwsVaultSession Session { get; set; }

        /// <summary>Invoke-AwsVault -Server: the child gets the container variables of this server instead of keys.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Server")]
        public CredentialServerInfo Server { get; set; }

        [Parameter(Mandatory = true)]
        public string FilePath { get; set; }

        [Parameter]
        [AllowEmptyCollection]
        public string[] ArgumentList { get; set; } = new string[0];

        protected override void Process()
        {
            if (Server != null)
            {
                WriteVerbose("Starting '" + FilePath + "' with the credential server of profile '" + Server.ProfileName + "' at " + Server.Uri + ".");
                // Warnings of requests wait in the server's queue and are written here, on the pipeline thread,
                // between waits for the child, so they land in the warning stream like any other.
                int code = ProcessRunner.Run(this, FilePath, ArgumentList, SessionVariables.ForServer(Server), child => _child = child, WriteServerWarnings);
                WriteServerWarnings();
                SessionState.PSVariable.Set("global:LASTEXITCODE", code);
                return;
            }
            WriteVerbose("Starting '" + FilePath + "' with the credentials of profile '" + Session.ProfileName + "'.");
            int exitCode = ProcessRunner.Run(this, FilePath, ArgumentList, SessionVariables.For(Session), child => _child = child);
            SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
        }

        private void WriteServerWarnings()
        {
            foreach (string warning in Server.Instance.TakeWarnings()) WriteWarning(warning);
        }

        protected override void StopProcessing() => _child?.Kill();
    }
}
