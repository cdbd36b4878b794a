using System;
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

        private CommandHost _host;

        internal CommandHost CommandHost => _host ?? (_host = new CommandHost(this));

        internal IPrompter Prompter => CommandHost.Prompter;

        /// <summary>Set where stdout must carry nothing but the command's output (credential_process).</summary>
        internal bool Quiet
        {
            get => CommandHost.Quiet;
            set => CommandHost.Quiet = value;
        }

        internal void Verbose(string message) => CommandHost.Verbose(message);

        internal void Debug(string message) => CommandHost.Debug(message);

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (Exception ex) when (CommandHost.ToErrorRecord(ex) is ErrorRecord record)
            {
                ThrowTerminatingError(record);
            }
        }
    }
}
