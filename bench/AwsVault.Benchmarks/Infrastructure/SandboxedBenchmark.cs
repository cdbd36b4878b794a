namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>What the benchmarks that run against a private HOME, the STS emulator and a warm runspace share.</summary>
    public abstract class SandboxedBenchmark
    {
        protected Sandbox _sandbox;
        protected Sts _sts;
        protected WarmRunspace _rs;

        /// <summary>Also after a failed setup, for which BenchmarkDotNet runs no GlobalCleanup: in process, the
        /// environment and the temporary folders would otherwise outlive the case. Returns the STS calls made.</summary>
        protected int TearDown()
        {
            int calls = _sts?.World.Calls.Count ?? 0;
            DisposeOwn();
            _rs?.Dispose();
            _sts?.Dispose();
            _sandbox?.Dispose();
            Internals.ForgetProcessMemory();
            return calls;
        }

        /// <summary>The cleanup of every cache-hit benchmark: an STS call during the measured calls would mean the
        /// numbers measured a fetch, not the cached path they are named after, so the run fails instead.</summary>
        protected void TearDownExpectingNoStsCalls(string measured = "The measured calls")
        {
            int calls = TearDown();
            if (calls != 0) throw new System.InvalidOperationException(measured + " reached STS " + calls + " times: not a cache hit.");
        }

        /// <summary>What a benchmark created on top of the shared pieces, disposed before them.</summary>
        protected virtual void DisposeOwn()
        {
        }
    }
}
