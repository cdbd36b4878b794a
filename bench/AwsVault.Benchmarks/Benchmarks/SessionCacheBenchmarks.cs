using System;
using AwsVault.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Issue item 2: Get-AwsVaultSession for a profile whose session is cached, per store: from this process's
    /// memory (the baseline), and from the store as a new process finds it. "New process" clears the module's
    /// process-wide caches before every call (sessions in memory, PBKDF2 results, verified passphrases), so the
    /// file vault pays its 8192 PBKDF2 iterations each time; "key cached" clears only the sessions, to show
    /// what part of that is PBKDF2. The SecretManagement rows use the in-memory stand-in vault: they measure
    /// AwsVault's own path through SecretManagement's cmdlets, not a real vault's encryption.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class SessionCacheBenchmarks : SandboxedBenchmark
    {
        private const int MemoryCalls = 100;
        private const int StoreCalls = 10;

        [Params("file", "secretmanagement")]
        public string Store { get; set; }

        private WarmRunspace.Prepared _loop;

        [GlobalSetup(Target = nameof(Memory))]
        public void SetupMemory() => Setup("for ($i = 0; $i -lt " + MemoryCalls + "; $i++) { $null = Get-AwsVaultSession dev }");

        [GlobalSetup(Target = nameof(StoreNewProcess))]
        public void SetupNewProcess() => Setup("for ($i = 0; $i -lt " + StoreCalls + "; $i++) { $forgetProcess.Invoke(); $null = Get-AwsVaultSession dev }");

        [GlobalSetup(Target = nameof(StoreKeyCached))]
        public void SetupKeyCached() => Setup("for ($i = 0; $i -lt " + StoreCalls + "; $i++) { $forgetSessions.Invoke(); $null = Get-AwsVaultSession dev }");

        private void Setup(string loop)
        {
            try
            {
                _sandbox = new Sandbox(backend: Store);
                _sts = new Sts();
                _sandbox.Set("AWS_ENDPOINT_URL_STS", _sts.Endpoint);
                _sandbox.WriteConfig("[profile dev]\nregion = eu-west-1\n");
                Internals.ForgetProcessMemory();
                bool secretManagement = Store == "secretmanagement";
                _rs = new WarmRunspace(secretManagementStandIn: secretManagement);
                if (secretManagement)
                {
                    // The stand-in's vaults live in process memory; start from none, like a fresh machine.
                    _rs.Run("[Microsoft.PowerShell.SecretManagement.StandIn]::Reset(); Register-SecretVault -Name Bench -ModuleName Microsoft.PowerShell.SecretStore");
                }
                _rs.Run(Sts.AddProfileScript("dev", Sts.DevKeyId, Sts.DevSecret));
                _rs.Run("$null = Get-AwsVaultSession dev");
                if (_sts.World.Calls.Count != 1) throw new InvalidOperationException("Expected one GetSessionToken while setting up, saw " + _sts.World.Calls.Count);
                _rs.SetVariable("forgetProcess", (Action)Internals.ForgetProcessMemory);
                _rs.SetVariable("forgetSessions", (Action)Internals.ForgetSessionMemory);
                _loop = _rs.Prepare(loop);
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

        [Benchmark(Baseline = true, OperationsPerInvoke = MemoryCalls, Description = "memory")]
        public void Memory() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = StoreCalls, Description = "store, new process (caches cleared)")]
        public void StoreNewProcess() => _loop.Invoke();

        [Benchmark(OperationsPerInvoke = StoreCalls, Description = "store, PBKDF2 result cached")]
        public void StoreKeyCached() => _loop.Invoke();
    }
}
