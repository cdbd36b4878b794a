using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Benchmarks.Reports;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;

namespace AwsVault.Benchmarks
{
    /// <summary>
    /// BenchmarkDotNet's switcher (every option of it works: --filter, --list, --job …), plus
    /// two reports that run after the timings (or alone, without --filter): `--cold-breakdown`, a Stopwatch
    /// breakdown of a fresh process, and `--round-trips`, STS round trips per scenario; and `--smoke`, which
    /// runs every case once. See docs/PERFORMANCE.md.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            string[] own = { "--round-trips", "--cold-breakdown", "--smoke" };
            bool roundTrips = args.Contains("--round-trips", StringComparer.OrdinalIgnoreCase);
            bool coldBreakdown = args.Contains("--cold-breakdown", StringComparer.OrdinalIgnoreCase);
            Smoke.Enabled = args.Contains("--smoke", StringComparer.OrdinalIgnoreCase);
            string[] rest = args.Where(a => !own.Contains(a, StringComparer.OrdinalIgnoreCase)).ToArray();

            Repo.RequireBuilt();
            if (!CheckOptimizedModule()) return 2;

            string artifacts = Path.Combine(Environment.CurrentDirectory, "BenchmarkDotNet.Artifacts");
            string results = Path.Combine(artifacts, "results");
            if (rest.Length > 0 || !(roundTrips || coldBreakdown))
            {
                var config = DefaultConfig.Instance
                    .WithArtifactsPath(artifacts)
                    .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default, JsonExporter.Full)
                    .WithOptions(ConfigOptions.DisableLogFile);
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
            }
            int status = 0;
            if (coldBreakdown) status |= ColdStartBreakdown.Run(results);
            if (roundTrips) status |= StsRoundTrips.Run(results);
            return status;
        }

        /// <summary>A Debug module in out/ (the last `dotnet build` without -c Release) would make every number
        /// wrong without failing anything, so it is refused up front.</summary>
        private static bool CheckOptimizedModule()
        {
            Assembly module = typeof(AwsVault.Storage.FileStore).Assembly;
            var debuggable = module.GetCustomAttribute<DebuggableAttribute>();
            if (debuggable != null && debuggable.IsJITOptimizerDisabled)
            {
                Console.Error.WriteLine("out/AwsVault holds a Debug build of the module. Run: dotnet build -c Release (or use dotnet run -c Release, which lays out a Release module).");
                return false;
            }
            return true;
        }
    }
}
