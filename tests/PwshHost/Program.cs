using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace PwshHost
{
    /// <summary>
    /// Runs one script the way `pwsh -Command` / `pwsh -File` does and exits with pwsh's exit code:
    /// the argument of `exit N`; else 1 if a terminating error ended the script or its last statement failed
    /// ($? false); else 0. 64 for a bad command line, 70 when the engine cannot start, 128+signal when
    /// SIGINT/SIGTERM stopped the script.
    /// </summary>
    internal static class Program
    {
        internal const string ImportVariable = "PWSHHOST_IMPORT";

        // pwsh's exit code for command line usage errors (sysexits EX_USAGE).
        private const int ExitCodeBadCommandLine = 64;

        // pwsh's exit code when the engine cannot start (sysexits EX_SOFTWARE).
        private const int ExitCodeInitFailure = 70;

        private static int Main(string[] args)
        {
            CommandLine commandLine;
            try
            {
                commandLine = CommandLine.Parse(args);
            }
            catch (CommandLineException ex)
            {
                Console.Error.WriteLine("pwsh-host: " + ex.Message);
                Console.Error.WriteLine(CommandLine.Usage);
                return ExitCodeBadCommandLine;
            }
            if (commandLine.ShowHelp)
            {
                Console.Out.WriteLine(CommandLine.Usage);
                return 0;
            }
            try
            {
                using var runner = new ScriptRunner(commandLine);
                return runner.Run();
            }
            catch (Exception ex)
            {
                // Script errors never get here; this is the engine failing to start, which pwsh reports as 70.
                Console.Error.WriteLine("pwsh-host: PowerShell could not run: " + ex);
                return ExitCodeInitFailure;
            }
        }
    }

    internal sealed class ScriptRunner : IDisposable
    {
        private readonly CommandLine _commandLine;
        private readonly ConsoleHost _host;
        private readonly object _lock = new object();
        private PosixSignalRegistration _sigint;
        private PosixSignalRegistration _sigterm;
        private PowerShell _current;
        private int _stoppedBySignal;
        private Runspace _runspace;

        public ScriptRunner(CommandLine commandLine)
        {
            _commandLine = commandLine;
            _host = new ConsoleHost(commandLine.NonInteractive);
        }

        public int Run()
        {
            _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

            var iss = InitialSessionState.CreateDefault2();
            _runspace = RunspaceFactory.CreateRunspace(_host, iss);
            _runspace.ThreadOptions = PSThreadOptions.ReuseThread;
            _runspace.Open();

            foreach (string module in ModulesToImport())
            {
                var import = NewPowerShell().AddCommand("Import-Module").AddParameter("Name", module).AddParameter("ErrorAction", ActionPreference.Stop);
                if (!Invoke(import, addToHistory: false) || StoppedExitCode() != null)
                {
                    return StoppedExitCode() ?? 1;
                }
            }

            // Like pwsh, -Command text runs as a history pipeline and -File as a plain one: only a history pipeline
            // leaves $? at its last statement's value, which is what the exit code is read from below. So a failing
            // last statement exits 1 with -Command, while a -File script that ends normally exits 0 (about_pwsh).
            bool completed = _commandLine.File != null
                ? Invoke(FileCommand(), addToHistory: false)
                : Invoke(NewPowerShell().AddScript(_commandLine.Command), addToHistory: true);
            if (_host.ShouldExit) return _host.ExitCode;
            if (StoppedExitCode() is int stopped) return stopped;
            if (!completed) return 1;
            return LastStatementSucceeded() ? 0 : 1;
        }

        private PowerShell FileCommand()
        {
            // pwsh runs the file as a command (so $PSScriptRoot, $MyInvocation and param() binding work) and tells
            // the engine to let that script's `exit N` reach the host instead of ending only the script. The
            // switch is internal to the engine; without it `exit N` would end only the script and the process
            // would exit 0.
            var context = typeof(Runspace).GetProperty("ExecutionContext", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(_runspace);
            context?.GetType().GetProperty("ScriptCommandProcessorShouldRethrowExit", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.SetValue(context, true);

            string path = Path.GetFullPath(_commandLine.File);
            var ps = NewPowerShell();
            var command = new Command(path, isScript: false, useLocalScope: false);
            foreach (var p in _commandLine.FileArguments) command.Parameters.Add(p);
            ps.Commands.AddCommand(command);
            return ps;
        }

        private static string[] ModulesToImport() =>
            (Environment.GetEnvironmentVariable(Program.ImportVariable) ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        private PowerShell NewPowerShell()
        {
            var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            return ps;
        }

        /// <summary>Runs to the end, streaming output and errors as they come; false when a terminating error (or a stop) ended it.</summary>
        private bool Invoke(PowerShell ps, bool addToHistory)
        {
            using (ps)
            {
                var output = new PSDataCollection<PSObject>();
                output.DataAdded += (sender, e) =>
                {
                    var item = output[e.Index];
                    if (item != null && item.BaseObject != null) _host.ConsoleUI.WriteOutput(item.ToString());
                };
                // Warnings, verbose, debug and Write-Host reach the host UI through the engine; errors do not,
                // because pwsh shows them through its Out-Default, which this host replaces.
                ps.Streams.Error.DataAdded += (sender, e) => _host.ConsoleUI.WriteErrorLine(ErrorText.Format(ps.Streams.Error[e.Index]));

                lock (_lock)
                {
                    if (_stoppedBySignal != 0) return false;
                    _current = ps;
                }
                try
                {
                    ps.Invoke<PSObject, PSObject>(null, output, new PSInvocationSettings { AddToHistory = addToHistory });
                    return true;
                }
                catch (RuntimeException ex) when (ex is not PipelineStoppedException)
                {
                    _host.ConsoleUI.WriteErrorLine(ErrorText.Format(ex.ErrorRecord ?? new ErrorRecord(ex, ex.GetType().Name, ErrorCategory.NotSpecified, null)));
                    return false;
                }
                catch (PipelineStoppedException)
                {
                    return false;
                }
                finally
                {
                    lock (_lock) _current = null;
                }
            }
        }

        // pwsh decides the exit code of -Command and -File by evaluating $global:? after the script, in a
        // pipeline that is not added to history and so does not reset it.
        private bool LastStatementSucceeded()
        {
            using var ps = NewPowerShell().AddScript("$global:?");
            try
            {
                var result = ps.Invoke();
                return result.Count == 1 && result[0]?.BaseObject is bool ok && ok;
            }
            catch (RuntimeException)
            {
                return false;
            }
        }

        private void OnSignal(PosixSignalContext context)
        {
            lock (_lock)
            {
                if (_stoppedBySignal != 0)
                {
                    // A second signal while the script ignores the first: let the runtime end the process.
                    context.Cancel = false;
                    return;
                }
                _stoppedBySignal = context.Signal == PosixSignal.SIGINT ? 2 : 15;
                context.Cancel = true;
                _current?.BeginStop(null, null);
            }
        }

        private int? StoppedExitCode()
        {
            lock (_lock) return _stoppedBySignal == 0 ? null : 128 + _stoppedBySignal;
        }

        public void Dispose()
        {
            _sigint?.Dispose();
            _sigterm?.Dispose();
            _runspace?.Dispose();
        }
    }

    /// <summary>
    /// An error as pwsh's NormalView shows it: the command and message, where it happened, then the category
    /// and the FullyQualifiedErrorId that scripts and tests match on.
    /// </summary>
    internal static class ErrorText
    {
        public static string Format(ErrorRecord error)
        {
            // A native program's stderr line is already the text to show.
            if (error.FullyQualifiedErrorId is "NativeCommandError" or "NativeCommandErrorMessage")
            {
                return error.Exception?.Message ?? error.ToString();
            }
            var text = new StringBuilder();
            string command = error.InvocationInfo?.MyCommand?.Name;
            if (!string.IsNullOrEmpty(command)) text.Append(command).Append(" : ");
            text.AppendLine(error.ToString());
            string position = error.InvocationInfo?.PositionMessage;
            if (!string.IsNullOrEmpty(position)) text.AppendLine(position.TrimEnd());
            text.Append("    + CategoryInfo          : ").AppendLine(error.CategoryInfo.ToString());
            text.Append("    + FullyQualifiedErrorId : ").Append(error.FullyQualifiedErrorId);
            return text.ToString();
        }
    }
}
