using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsVault.PesterRunner
{
    /// <summary>
    /// tests/Pester under the test pwsh (out/PwshHost/pwsh-host, pwsh 7.6 from Microsoft.PowerShell.SDK) with
    /// Pester from NuGet. Discovery asks Pester for the suite's tests, so each becomes a test case here with the
    /// Pester name; the first case to run runs the whole suite once, in one pwsh process as a user would
    /// (Invoke-Pester), and every case then reports its own test's outcome and error.
    /// </summary>
    public class PesterSuiteTests
    {
        public static IEnumerable<object[]> PesterTests() =>
            PesterSuite.Discover().Where(t => !t.Skip).Select(t => new object[] { t.Name });

        /// <summary>Tests the suite marks -Skip on this machine (Windows-only ones): reported as skipped here too.</summary>
        public static IEnumerable<object[]> SkippedPesterTests() =>
            PesterSuite.Discover().Where(t => t.Skip).Select(t => new object[] { t.Name });

        [Theory]
        [MemberData(nameof(PesterTests))]
        [MemberData(nameof(SkippedPesterTests), Skip = "Pester skips this test on this platform (-Skip in tests/Pester).")]
        public void Pester(string name)
        {
            var run = PesterSuite.Run();
            var matches = run.Tests.Where(t => t.Name == name).ToList();
            Assert.True(matches.Count > 0, "Pester did not report this test when it ran the suite (discovered, but not run).\n" + run.Log);
            foreach (var test in matches)
            {
                Assert.True(test.Result == "Passed", test.Result + ": " + test.Message);
            }
        }

        /// <summary>A file or block whose BeforeAll/AfterAll failed fails here too, also where it has no test of its own.</summary>
        [Fact]
        public void EveryFileAndBlockOfTheSuiteRanWithoutSetupOrTeardownErrors()
        {
            var run = PesterSuite.Run();
            Assert.True(run.FailedContainers.Count == 0 && run.FailedBlocks.Count == 0,
                string.Join("\n", run.FailedContainers.Concat(run.FailedBlocks).Select(b => b.Name + ": " + b.Message)) + "\n" + run.Log);
            Assert.True(run.Tests.Count > 0, "Pester ran no test.\n" + run.Log);
            Assert.True(run.ExitCode == 0 || run.Tests.Any(t => t.Result != "Passed"), "the suite exited " + run.ExitCode + " with every test passed.\n" + run.Log);
        }
    }

    internal sealed class PesterRun
    {
        public List<PesterOutcome> Tests { get; set; } = new List<PesterOutcome>();
        public List<PesterOutcome> FailedBlocks { get; set; } = new List<PesterOutcome>();
        public List<PesterOutcome> FailedContainers { get; set; } = new List<PesterOutcome>();
        public int ExitCode { get; set; }
        public string Log { get; set; }
    }

    internal sealed class PesterOutcome
    {
        public string Name { get; set; }
        public string Result { get; set; }
        public string Message { get; set; }
        public bool Skip { get; set; }
    }

    internal static class PesterSuite
    {
        // The whole suite takes a few minutes on two cores; this bound only catches a hang.
        private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(12);
        private static readonly Lazy<PesterRun> s_run = new Lazy<PesterRun>(() => Invoke(discover: false), LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Lazy<IReadOnlyList<PesterOutcome>> s_discovered = new Lazy<IReadOnlyList<PesterOutcome>>(DiscoverOnce, LazyThreadSafetyMode.ExecutionAndPublication);

        private static string Metadata(string key) =>
            typeof(PesterSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;

        public static string RepoRoot => Path.GetFullPath(Metadata("RepoRoot"));

        public static string PesterManifest => Metadata("PesterManifest");

        public static string PwshPath => Path.Combine(RepoRoot, "out", "PwshHost", OperatingSystem.IsWindows() ? "pwsh-host.exe" : "pwsh-host");

        public static IReadOnlyList<PesterOutcome> Discover() => s_discovered.Value;

        private static IReadOnlyList<PesterOutcome> DiscoverOnce()
        {
            var run = Invoke(discover: true);
            if (run.ExitCode != 0 || run.FailedContainers.Count > 0)
            {
                throw new InvalidOperationException("Pester could not discover the suite: " +
                    string.Join("\n", run.FailedContainers.Select(c => c.Name + ": " + c.Message)) + "\n" + run.Log);
            }
            return run.Tests.GroupBy(t => t.Name).Select(g => g.First()).ToList();
        }

        public static PesterRun Run() => s_run.Value;

        private static PesterRun Invoke(bool discover)
        {
            foreach (string needed in new[] { PwshPath, PesterManifest })
            {
                if (!File.Exists(needed)) throw new InvalidOperationException(needed + " is missing: `dotnet build` restores Pester and lays out the test pwsh.");
            }
            string work = Path.Combine(Path.GetTempPath(), "awsvault-pester-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(work);
            try
            {
                string resultFile = Path.Combine(work, "result.json");
                var psi = new ProcessStartInfo(PwshPath)
                {
                    UseShellExecute = false,
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = work,
                };
                foreach (string a in new[] { "-NoProfile", "-NonInteractive", "-File", Path.Combine(RepoRoot, "tests", "Pester", "Invoke-PesterSuite.ps1"),
                                             "-PesterManifest", PesterManifest, "-ResultFile", resultFile })
                {
                    psi.ArgumentList.Add(a);
                }
                if (discover) psi.ArgumentList.Add("-Discover");
                // The suite sets up HOME, the config, the vaults and PSModulePath itself; nothing of the developer's
                // or CI agent's AWS settings may reach it.
                foreach (string name in psi.Environment.Keys.ToList())
                {
                    if (name.StartsWith("AWS_", StringComparison.Ordinal) || name == "CI" || name == "PSModulePath") psi.Environment.Remove(name);
                }
                psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
                psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
                psi.Environment["NO_COLOR"] = "1";

                using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + PwshPath);
                process.StandardInput.Close();
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(discover ? 120_000 : (int)RunTimeout.TotalMilliseconds))
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    throw new TimeoutException("The Pester suite did not finish within " + RunTimeout + ".\n" + stdout.Result + "\n" + stderr.Result);
                }
                string log = "--- Pester stdout ---\n" + stdout.Result + "\n--- Pester stderr ---\n" + stderr.Result;
                if (!File.Exists(resultFile))
                {
                    throw new InvalidOperationException("The Pester suite wrote no results (exit " + process.ExitCode + ").\n" + log);
                }
                var run = JsonSerializer.Deserialize<PesterRun>(File.ReadAllText(resultFile), new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
                run.ExitCode = process.ExitCode;
                run.Log = log;
                return run;
            }
            finally
            {
                try { Directory.Delete(work, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
