using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsVault.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Issue item 1: what `Invoke-AwsVault dev {}` adds to running a block, in a warm runspace (module imported,
    /// dev's session already in memory, file backend from AWS_VAULT_BACKEND, passphrase from the environment).
    /// The other rows split that cost into its parts, so a miss can be traced to a step; each is run in the
    /// same PowerShell loop as the baseline, so the loop's own cost cancels out in the differences.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class InvokeOverheadBenchmarks : SandboxedBenchmark
    {
        // Enough calls per pipeline that PowerShell.Invoke's own cost (~tens of µs) is spread thin.
        private const int Calls = 100;

        private WarmRunspace.Prepared _loop;

        [GlobalSetup(Target = nameof(ScriptBlock))]
        public void SetupScriptBlock() => Setup("& {}");

        [GlobalSetup(Target = nameof(InvokeAwsVault))]
        public void SetupInvoke() => Setup("Invoke-AwsVault dev {}");

        [GlobalSetup(Target = nameof(GetAwsVaultSession))]
        public void SetupGetSession() => Setup("$null = Get-AwsVaultSession dev");

        [GlobalSetup(Target = nameof(EnvironmentScopeEnterDispose))]
        public void SetupScope() => Setup("[AwsVault.Apply.EnvironmentScope]::Enter($session, $ExecutionContext.SessionState).Dispose()");

        [GlobalSetup(Target = nameof(EmptyCompiledCmdlet))]
        public void SetupEmptyCmdlet() => Setup("$null = Get-BenchEmptySession dev");

        [GlobalSetup(Target = nameof(FunctionShellOnly))]
        public void SetupShell() => Setup("BenchInvokeShell dev {}");

        [GlobalSetup(Target = nameof(EmptyAdvancedFunction))]
        public void SetupEmptyAdvanced() => Setup("BenchEmptyAdvanced");

        [GlobalSetup(Target = nameof(InvokeWithoutSessionCall))]
        public void SetupNoSessionCall() => Setup("BenchInvokeNoSessionCall dev {}");

        /// <summary>Shared by every case: a sandbox, the emulator, dev's key stored and its session fetched once.</summary>
        private void Setup(string loopBody)
        {
            try
            {
                _sandbox = new Sandbox(backend: "file");
                _sts = new Sts();
                _sandbox.Set("AWS_ENDPOINT_URL_STS", _sts.Endpoint);
                _sandbox.WriteConfig("[profile dev]\nregion = eu-west-1\n");
                Internals.ForgetProcessMemory();
                _rs = new WarmRunspace();
                _rs.Run(Sts.AddProfileScript("dev", Sts.DevKeyId, Sts.DevSecret));
                _rs.Run("$global:session = Get-AwsVaultSession dev");
                if (_sts.World.Calls.Count != 1) throw new InvalidOperationException("Expected one GetSessionToken while setting up, saw " + _sts.World.Calls.Count);

                // Invoke-AwsVault's own parameter block with an empty body: the price of binding alone.
                var ast = (Ast)((PSObject)_rs.Run("(Get-Command Invoke-AwsVault).ScriptBlock.Ast")[0]).BaseObject;
                while (ast != null && !(ast is FunctionDefinitionAst)) ast = ast.Parent;
                var function = (FunctionDefinitionAst)(ast ?? throw new InvalidOperationException("Invoke-AwsVault's definition was not found."));
                string paramBlock = function.Body.ParamBlock.Extent.Text;
                string attributes = string.Join("\n", function.Body.ParamBlock.Attributes.Select(a => a.Extent.Text));
                if (!paramBlock.StartsWith("[", StringComparison.Ordinal)) paramBlock = attributes + "\n" + paramBlock;
                _rs.Run("function global:BenchInvokeShell {\n" + paramBlock + "\nprocess { }\n}");
                _rs.Run("function global:BenchEmptyAdvanced { [CmdletBinding()] param() process { } }");
                // Invoke-AwsVault exactly as shipped, except that the plan (the session and what to run) comes from a
                // variable instead of the engine: everything the function does around the engine call. The plan is
                // captured once from the shipped function's own call.
                string definition = (string)_rs.Run("(Get-Command Invoke-AwsVault).Definition")[0].BaseObject;
                const string call = "[AwsVault.Commands.InvokeAwsVaultFunction]::Prepare($PSCmdlet, $PSBoundParameters)";
                if (!definition.Contains(call)) throw new InvalidOperationException("Invoke-AwsVault no longer calls '" + call + "'; update this benchmark.");
                _rs.Run("function global:BenchCapturePlan {\n" + definition.Replace(call, "($global:plan = " + call + ")") + "\n}");
                _rs.Run("BenchCapturePlan dev {}");
                _rs.Run("function global:BenchInvokeNoSessionCall {\n" + definition.Replace(call, "$global:plan") + "\n}");

                _rs.Run("Import-Module '" + typeof(EmptySessionCmdlet).Assembly.Location + "' -ErrorAction Stop");

                _loop = _rs.Prepare("for ($i = 0; $i -lt " + Calls + "; $i++) { " + loopBody + " }");
                _sts.World.ClearCalls();
            }
            catch
            {
                TearDown();
                throw;
            }
        }

        protected override void DisposeOwn() => _loop?.Dispose();

        [GlobalCleanup]
        public void Cleanup() => TearDownExpectingNoStsCalls();

        [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "& {}")]
        public void ScriptBlock() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = Calls, Description = "Invoke-AwsVault dev {}")]
        public void InvokeAwsVault() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = Calls, Description = "part: Get-AwsVaultSession dev (memory hit)")]
        public void GetAwsVaultSession() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = Calls, Description = "part: empty compiled cmdlet, Get-AwsVaultSession's parameters")]
        public void EmptyCompiledCmdlet() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = Calls, Description = "part: EnvironmentScope Enter+Dispose")]
        public void EnvironmentScopeEnterDispose() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = Calls, Description = "part: Invoke-AwsVault's param block, empty body")]
        public void FunctionShellOnly() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = Calls, Description = "part: an advanced function, no parameters, empty body")]
        public void EmptyAdvancedFunction() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = Calls, Description = "part: Invoke-AwsVault with the session from a variable")]
        public void InvokeWithoutSessionCall() => _loop.Invoke();
    }
}
