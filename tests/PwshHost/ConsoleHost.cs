using System;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace PwshHost
{
    /// <summary>The PSHost: a console UI, and the exit code a script asked for with `exit N`.</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly ConsoleUserInterface _ui;

        public ConsoleHost(bool nonInteractive)
        {
            _ui = new ConsoleUserInterface(nonInteractive);
        }

        /// <summary>True once the script ran `exit`; <see cref="ExitCode"/> then holds its argument.</summary>
        public bool ShouldExit { get; private set; }

        public int ExitCode { get; private set; }

        public ConsoleUserInterface ConsoleUI => _ui;

        public override string Name => "PwshHost";

        // The engine's version, which is what $Host.Version shows in pwsh.
        public override Version Version => typeof(PSObject).Assembly.GetName().Version;

        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

        // Called by the engine when a top-level `exit` runs; the pipeline then ends and Program returns the code.
        public override void SetShouldExit(int exitCode)
        {
            ShouldExit = true;
            ExitCode = exitCode;
        }

        public override void EnterNestedPrompt() =>
            throw new NotSupportedException("pwsh-host runs one script and has no interactive prompt to nest.");

        public override void ExitNestedPrompt() =>
            throw new NotSupportedException("pwsh-host runs one script and has no interactive prompt to nest.");

        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }
}
