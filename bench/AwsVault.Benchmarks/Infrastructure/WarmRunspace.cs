using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>
    /// A runspace with AwsVault imported from out/AwsVault, as the xunit harness opens it (CreateDefault2: the
    /// engine's core cmdlets only). "Warm" is the user's steady state: module loaded, JIT done, session cached.
    /// </summary>
    public sealed class WarmRunspace : IDisposable
    {
        private readonly Runspace _runspace;

        public WarmRunspace(bool secretManagementStandIn = false)
        {
            Repo.RequireBuilt();
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
            if (secretManagementStandIn) Run("Import-Module '" + Repo.StandInManifest + "' -ErrorAction Stop");
            Run("Import-Module '" + Repo.ModuleManifest + "' -ErrorAction Stop");
        }

        /// <summary>Runs a script and fails loudly on any error: a benchmark that measures an error path measures nothing.</summary>
        public Collection<PSObject> Run(string script)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            Collection<PSObject> output = ps.Invoke();
            if (ps.HadErrors || ps.Streams.Error.Count > 0)
            {
                var error = ps.Streams.Error.FirstOrDefault();
                throw new InvalidOperationException("Benchmark setup script failed: " + script + "\n" +
                    (error == null ? "(no error record)" : error.FullyQualifiedErrorId + ": " + error.Exception?.Message));
            }
            return output;
        }

        /// <summary>
        /// A reusable pipeline that calls the script as a global function defined once. A script given to
        /// AddScript is compiled afresh on every Invoke (its script blocks start interpreted each time), which
        /// made `& {}` cost 30–55 µs instead of the 6–9 µs it costs in a shell's steady state; a function keeps
        /// its compiled body, as the code a user runs in a long-lived shell does.
        /// </summary>
        public Prepared Prepare(string script)
        {
            string name = "BenchPrepared" + System.Threading.Interlocked.Increment(ref s_prepared);
            Run("function global:" + name + " {\n" + script + "\n}");
            var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddCommand(name);
            var prepared = new Prepared(ps, script);
            prepared.InvokeChecked();
            return prepared;
        }

        private static int s_prepared;

        public void SetVariable(string name, object value) => _runspace.SessionStateProxy.SetVariable(name, value);

        public void Dispose() => _runspace.Dispose();

        public sealed class Prepared : IDisposable
        {
            private readonly PowerShell _ps;
            private readonly string _script;

            internal Prepared(PowerShell ps, string script)
            {
                _ps = ps;
                _script = script;
            }

            public void Invoke() => _ps.Invoke();

            /// <summary>Once, outside the measurement: proves the script does what the benchmark claims.</summary>
            public Collection<PSObject> InvokeChecked()
            {
                _ps.Streams.ClearStreams();
                Collection<PSObject> output = _ps.Invoke();
                if (_ps.HadErrors || _ps.Streams.Error.Count > 0)
                {
                    var error = _ps.Streams.Error.FirstOrDefault();
                    throw new InvalidOperationException("Benchmark script failed: " + _script + "\n" +
                        (error == null ? "(no error record)" : error.FullyQualifiedErrorId + ": " + error.Exception?.Message));
                }
                return output;
            }

            public void Dispose() => _ps.Dispose();
        }
    }
}
