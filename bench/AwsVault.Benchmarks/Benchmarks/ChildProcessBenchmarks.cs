using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AwsVault.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Issue item 5: `Invoke-AwsVault dev -- true` in a warm runspace (session in memory) against starting
    /// `true` directly from .NET. `& true` from the same runspace is the cost a PowerShell user pays for a
    /// native command without AwsVault, which is the fairer comparison for a user.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class ChildProcessBenchmarks : SandboxedBenchmark
    {
        private WarmRunspace.Prepared _script;
        private string _true;

        [GlobalSetup(Target = nameof(ProcessStartTrue))]
        public void SetupDirect() => Setup(null);

        [GlobalSetup(Target = nameof(PowerShellNativeTrue))]
        public void SetupNative() => Setup("& true");

        [GlobalSetup(Target = nameof(InvokeAwsVaultTrue))]
        public void SetupInvoke() => Setup("Invoke-AwsVault dev -- true; if ($LASTEXITCODE -ne 0) { throw 'true failed' }");

        [GlobalSetup(Target = nameof(InvokeAwsVaultFullPath))]
        public void SetupInvokeFullPath() => Setup(null, fullPath: true);

        private void Setup(string script, bool fullPath = false)
        {
            try
            {
                _true = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator)
                    .Select(d => Path.Combine(d, "true")).FirstOrDefault(File.Exists)
                    ?? throw new InvalidOperationException("`true` is not on the PATH.");
                if (fullPath) script = "Invoke-AwsVault dev -- '" + _true + "'; if ($LASTEXITCODE -ne 0) { throw 'true failed' }";
                if (script == null) return;
                _sandbox = new Sandbox(backend: "file");
                _sts = new Sts();
                _sandbox.Set("AWS_ENDPOINT_URL_STS", _sts.Endpoint);
                _sandbox.WriteConfig("[profile dev]\nregion = eu-west-1\n");
                Internals.ForgetProcessMemory();
                _rs = new WarmRunspace();
                _rs.Run(Sts.AddProfileScript("dev", Sts.DevKeyId, Sts.DevSecret));
                _rs.Run("$null = Get-AwsVaultSession dev");
                _script = _rs.Prepare(script);
                _sts.World.ClearCalls();
            }
            catch
            {
                TearDown();
                throw;
            }
        }

        protected override void DisposeOwn() => _script?.Dispose();

        [GlobalCleanup]
        public void Cleanup() => TearDownExpectingNoStsCalls();

        [Benchmark(Baseline = true, Description = "Process.Start(true) + WaitForExit")]
        public int ProcessStartTrue()
        {
            using var p = Process.Start(new ProcessStartInfo(_true) { UseShellExecute = false });
            p.WaitForExit();
            return p.ExitCode;
        }

        [Benchmark(Description = "& true (PowerShell, no AwsVault)")]
        public void PowerShellNativeTrue() => _script.Invoke();

        [Benchmark(Description = "Invoke-AwsVault dev -- true")]
        public void InvokeAwsVaultTrue() => _script.Invoke();

        /// <summary>The same with a path, which skips the PATH search through PowerShell's command discovery.</summary>
        [Benchmark(Description = "part: Invoke-AwsVault dev -- /full/path/to/true")]
        public void InvokeAwsVaultFullPath() => _script.Invoke();
    }
}
