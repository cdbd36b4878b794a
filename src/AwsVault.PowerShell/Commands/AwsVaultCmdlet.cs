using System;
using System.IO;
using System.Management.Automation;
using AwsVault.Prompts;

namespace AwsVault.Commands
{
    /// <summary>
    /// Base for every cmdlet: engine failures become terminating ErrorRecords with the engine's error id and
    /// category, so cmdlets stay thin and errors look the same whichever layer raised them.
    /// </summary>
    public abstract class AwsVaultCmdlet : PSCmdlet
    {
        protected sealed override void BeginProcessing() => Guard(Begin);

        protected sealed override void ProcessRecord() => Guard(Process);

        protected sealed override void EndProcessing() => Guard(End);

        protected virtual void Begin() { }

        protected virtual void Process() { }

        protected virtual void End() { }

        internal IPrompter Prompter => new HostPrompter(Host, promptOnStandardError: Quiet);

        /// <summary>Set where stdout must carry nothing but the command's output (credential_process): no
        /// verbose or debug text, and prompts go to stderr.</summary>
        internal bool Quiet { get; set; }

        internal void Verbose(string message)
        {
            if (!Quiet) WriteVerbose(message);
        }

        internal void Debug(string message)
        {
            if (!Quiet) WriteDebug(message);
        }

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (AwsVaultException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }
            catch (IOException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "FileAccessFailed", ErrorCategory.WriteError, null));
            }
            catch (UnauthorizedAccessException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "FileAccessDenied", ErrorCategory.PermissionDenied, null));
            }
        }
    }
}
