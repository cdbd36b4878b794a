using System;
using System.Diagnostics;
using AwsVault.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Issue item 6: the cold cost of Import-Module, from outside, one fresh pwsh-host process per sample:
    /// `-Command "Import-Module …"` against `-Command "0"` (runtime and engine start-up alone). The third row
    /// is a whole credential_process call with the session already in the vault: start, import, read the
    /// session from the file vault (PBKDF2), print the JSON — what the AWS CLI waits for, and the number to
    /// hold against `aws-vault export`/`exec`. A host start varies by more than an import costs, so the
    /// difference of these medians is rough; the cold-start report (--cold-breakdown) measures the import
    /// inside the process and as interleaved pairs of processes, and splits it into its parts.
    /// </summary>
    [Config(typeof(ProcessConfig))]
    public class ImportModuleBenchmarks : SandboxedBenchmark
    {
        private ProcessStartInfo _psi;

        [GlobalSetup(Target = nameof(HostOnly))]
        public void SetupHostOnly() => _psi = Checked(ChildHost.StartInfo(null, "0"));

        [GlobalSetup(Target = nameof(ImportModule))]
        public void SetupImport() => _psi = Checked(ChildHost.StartInfo(null, "Import-Module " + ChildHost.Quote(Repo.ModuleManifest)));

        [GlobalSetup(Target = nameof(CredentialProcessFromVault))]
        public void SetupCredentialProcess()
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
                _rs.Run("$null = Get-AwsVaultSession dev");
                _psi = Checked(ChildHost.StartInfo(_sandbox.ChildEnvironment(_sts.Endpoint),
                    "Import-Module " + ChildHost.Quote(Repo.ModuleManifest) + "; Export-AwsVaultSession dev -Format CredentialProcess"));
                _sts.World.ClearCalls();
            }
            catch
            {
                TearDown();
                throw;
            }
        }

        [GlobalCleanup]
        public void Cleanup() => TearDownExpectingNoStsCalls("The measured processes");

        private static ProcessStartInfo Checked(ProcessStartInfo psi)
        {
            var (exit, stdout, stderr) = ChildHost.Run(psi);
            if (exit != 0) throw new InvalidOperationException("pwsh-host failed (exit " + exit + "):\n" + stdout + "\n" + stderr);
            return psi;
        }

        private int Run()
        {
            var (exit, _, _) = ChildHost.Run(_psi);
            return exit;
        }

        [Benchmark(Baseline = true, Description = "pwsh-host -Command 0")]
        public int HostOnly() => Run();

        [Benchmark(Description = "pwsh-host -Command Import-Module AwsVault")]
        public int ImportModule() => Run();

        [Benchmark(Description = "pwsh-host: Import + Export-AwsVaultSession -Format CredentialProcess (session in vault)")]
        public int CredentialProcessFromVault() => Run();
    }
}
