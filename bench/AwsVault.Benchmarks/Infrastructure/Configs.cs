using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>
    /// In-process: the subject is PowerShell hosting a module, whose warm state (runspace, imported module,
    /// JIT, caches) is exactly what a long-lived shell has, and a fresh process is measured from outside with
    /// real processes (ImportModuleBenchmarks) or by clearing the module's caches (Internals). It also spares
    /// BenchmarkDotNet's per-run project generation and build, which on two cores costs more than the runs.
    /// 12 iterations of 250 ms after 8 warm-ups (fewer left the first case of a class measuring JIT tier-up, not
    /// the steady state) give a usable median and range in a few seconds per case, so
    /// the whole suite stays within about 15 minutes on a 2-core machine.
    /// </summary>
    public class MicroConfig : ManualConfig
    {
        public MicroConfig()
        {
            if (Smoke.Enabled)
            {
                AddJob(Smoke.Job);
                return;
            }
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(8)
                .WithIterationCount(12)
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                .WithId("InProcess"));
            AddDiagnoser(MemoryDiagnoser.Default);
            AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        }
    }

    /// <summary>One new process per invocation (hundreds of milliseconds): more samples instead of longer
    /// iterations, and no batching, so every sample is one cold start.</summary>
    public class ProcessConfig : ManualConfig
    {
        public ProcessConfig()
        {
            if (Smoke.Enabled)
            {
                AddJob(Smoke.Job);
                return;
            }
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(20)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithId("ColdProcess"));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        }
    }

    /// <summary>
    /// One request per measurement, so the distribution is of single requests and its 99th percentile means
    /// something (BenchmarkDotNet's batched iterations would average it away): 400 samples after 40 warm-ups.
    /// </summary>
    public class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            if (Smoke.Enabled)
            {
                AddJob(Smoke.Job);
                return;
            }
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(40)
                .WithIterationCount(400)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithId("PerRequest"));
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.Max);
        }
    }

    /// <summary>`--smoke`: every case once, to prove the setups and scripts work (a minute or two), not to measure.</summary>
    public static class Smoke
    {
        public static bool Enabled { get; set; }

        public static Job Job => Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke");
    }
}
