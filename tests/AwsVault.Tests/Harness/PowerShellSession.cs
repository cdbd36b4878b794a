using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace AwsVault.Tests.Harness
{
    /// <summary>
    /// A real runspace with the built module imported from out/AwsVault, the way a user has it. The engine is
    /// Microsoft.PowerShell.SDK, the PowerShell that pwsh is built from, and the runspace starts as pwsh's does
    /// (InitialSessionState.CreateDefault2: the core cmdlets loaded, the built-in modules Utility, Management,
    /// Security and Host autoloaded from $PSHOME/Modules on first use), so test scripts may use every ordinary
    /// cmdlet.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private readonly Runspace _runspace;

        public PowerShellSession(ScriptedHost host = null, bool importModule = true, IEnumerable<string> extraModules = null)
        {
            Host = host;
            var iss = InitialSessionState.CreateDefault2();
            _runspace = host == null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
            _runspace.Open();
            if (extraModules != null)
            {
                foreach (var m in extraModules) Run("Import-Module '" + m + "' -ErrorAction Stop").ThrowIfErrors();
            }
            if (importModule)
            {
                Run("Import-Module '" + ModuleAssembly.ManifestPath + "' -ErrorAction Stop").ThrowIfErrors();
            }
        }

        public ScriptedHost Host { get; }

        public Runspace Runspace => _runspace;

        /// <summary>Runs a script, capturing every stream. A terminating error is captured, not thrown.</summary>
        public ScriptResult Run(string script, IDictionary<string, object> variables = null)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            if (variables != null)
            {
                foreach (var pair in variables) _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            }
            ps.AddScript(script);
            var result = new ScriptResult();
            try
            {
                result.Output = ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                result.Terminating = ex.ErrorRecord ?? new ErrorRecord(ex, "Unknown", ErrorCategory.NotSpecified, null);
                result.Output = new Collection<PSObject>();
            }
            result.Errors = ps.Streams.Error.ToList();
            result.Warnings = ps.Streams.Warning.Select(w => w.Message).ToList();
            result.Verbose = ps.Streams.Verbose.Select(w => w.Message).ToList();
            result.Debug = ps.Streams.Debug.Select(w => w.Message).ToList();
            result.Information = ps.Streams.Information.Select(w => w.MessageData?.ToString()).ToList();
            result.Progress = ps.Streams.Progress.Select(p => p.Activity + " | " + p.StatusDescription + " | " + p.CurrentOperation).ToList();
            return result;
        }

        /// <summary>
        /// Runs a script inside try/catch and reports what the catch saw as <see cref="ScriptResult.Terminating"/>:
        /// a cmdlet's terminating error is statement-terminating, so only try/catch tells it apart from an
        /// error written to the error stream, which a user's try/catch would not see.
        /// </summary>
        public ScriptResult RunCatching(string script)
        {
            _runspace.SessionStateProxy.SetVariable("global:__awsvaultCaught", null);
            var result = Run("try {\n" + script + "\n} catch { $global:__awsvaultCaught = $_ }");
            if (_runspace.SessionStateProxy.GetVariable("global:__awsvaultCaught") is PSObject caught && caught.BaseObject is ErrorRecord record)
            {
                result.Terminating = record;
            }
            else if (_runspace.SessionStateProxy.GetVariable("global:__awsvaultCaught") is ErrorRecord direct)
            {
                result.Terminating = direct;
            }
            return result;
        }

        public void Dispose() => _runspace.Dispose();
    }

    public sealed class ScriptResult
    {
        public Collection<PSObject> Output { get; set; }
        public ErrorRecord Terminating { get; set; }
        public List<ErrorRecord> Errors { get; set; }
        public List<string> Warnings { get; set; }
        public List<string> Verbose { get; set; }
        public List<string> Debug { get; set; }
        public List<string> Information { get; set; }
        public List<string> Progress { get; set; } = new List<string>();

        /// <summary>The first error, terminating or not: what a user would see first.</summary>
        public ErrorRecord FirstError => Terminating ?? Errors.FirstOrDefault();

        public ScriptResult ThrowIfErrors()
        {
            if (FirstError != null)
            {
                throw new InvalidOperationException("The script failed: " + Describe(FirstError));
            }
            return this;
        }

        public static string Describe(ErrorRecord e) =>
            e.FullyQualifiedErrorId + " (" + e.CategoryInfo.Category + "): " + e.Exception?.Message;

        /// <summary>Everything the script put on any stream, including error texts, for leak checks.</summary>
        public string AllText()
        {
            var sb = new StringBuilder();
            foreach (var o in Output) sb.AppendLine(o?.ToString());
            foreach (var e in Errors.Concat(Terminating == null ? Array.Empty<ErrorRecord>() : new[] { Terminating }))
            {
                sb.AppendLine(e.ToString()).AppendLine(e.Exception?.ToString()).AppendLine(e.ErrorDetails?.Message);
            }
            foreach (var s in Warnings.Concat(Verbose).Concat(Debug).Concat(Information).Concat(Progress)) sb.AppendLine(s);
            return sb.ToString();
        }
    }
}
