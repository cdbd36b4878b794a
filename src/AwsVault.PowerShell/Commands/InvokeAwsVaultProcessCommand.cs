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

        [Parameter(Mandatory = true)]
        public AwsVaultSession Session { get; set; }

        [Parameter(Mandatory = true)]
        public string FilePath { get; set; }

        [Parameter]
        [AllowEmptyCollection]
        public string[] ArgumentList { get; set; } = new string[0];

        protected override void Process()
        {
            WriteVerbose("Starting '" + FilePath + "' with the credentials of profile '" + Session.ProfileName + "'.");
            int exitCode = ProcessRunner.Run(this, FilePath, ArgumentList, SessionVariables.For(Session), child => _child = child);
            SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
        }

        protected override void StopProcessing() => _child?.Kill();
    }
}
