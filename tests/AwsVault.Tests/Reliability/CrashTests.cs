using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using AwsVault.Storage;
using AwsVault.Tests.Storage;
using Xunit;
using Xunit.Abstractions;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// A writer killed with SIGKILL at a random moment, again and again, on one vault: every item must still
    /// decrypt and hold either the value it had before the write that was cut off or the value that write was
    /// putting in, never a torn file, a mixed pair or nothing at all. The writer is out/VaultWriter (it calls
    /// the module's FileStore.SetKey in a loop and says before and after each write what it writes), because
    /// a PowerShell host would make 100 kills cost minutes.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class CrashTests
    {
        private const string Passphrase = "crash test passphrase";
        private static readonly string[] Profiles = { "alpha", "beta", "gamma" };

        private readonly ITestOutputHelper _output;

        public CrashTests(ITestOutputHelper output)
        {
            _output = output;
        }

        internal static string WriterPath { get; } =
            Path.Combine(ModuleAssembly.RepoRoot, "out", "VaultWriter", OperatingSystem.IsWindows() ? "VaultWriter.exe" : "VaultWriter");

        [Fact]
        public void AHundredKilledWritersLeaveEveryItemWholeWithItsOldOrNewValue() => KillRepeatedly(100);

        [Fact]
        [Trait(Category.Name, Category.Long)]
        public void AThousandKilledWritersLeaveEveryItemWholeWithItsOldOrNewValue() => KillRepeatedly(1000);

        [Fact]
        public void TheWriterRunToTheEndLeavesExactlyWhatItSaysItWrote()
        {
            using var vault = new TempVault();
            var run = StartWriter(vault.VaultDir, "--count", "9");
            Assert.True(run.Process.WaitForExit(30_000), "the writer did not finish");
            run.Process.WaitForExit();
            Assert.True(run.Process.ExitCode == 0, string.Join("\n", run.Lines));
            run.Process.Dispose();
            var log = WriterLog.Parse(run.Lines);
            Assert.Equal(9, log.Completed);
            Assert.Null(log.InFlightProfile);
            var store = new FileStore(vault.VaultDir, new FixedPassphrase(Passphrase));
            foreach (string p in Profiles)
            {
                var key = store.GetKey(p);
                Assert.Equal(log.Confirmed[p], (key.AccessKeyId, key.SecretAccessKey));
            }
        }

        private void KillRepeatedly(int kills)
        {
            Assert.True(File.Exists(WriterPath), "The vault writer is not built: " + WriterPath + " is missing (dotnet build lays it out).");
            using var vault = new TempVault();
            var known = new Dictionary<string, (string Id, string Secret)?>(StringComparer.Ordinal);
            foreach (string p in Profiles) known[p] = null;
            var random = new Random();
            int midWrite = 0, afterFirstWrite = 0, writesDone = 0, tempLeft = 0;
            var clock = Stopwatch.StartNew();
            var cpu = ChildCpu.Now();

            for (int round = 0; round < kills; round++)
            {
                var run = StartWriter(vault.VaultDir);
                Assert.True(run.Ready.Wait(TimeSpan.FromSeconds(20)), "round " + round + ": the writer never opened the vault. " + string.Join(" | ", run.Lines));
                // The first write of a fresh process is slow (JIT, the passphrase check), later ones take a few ms:
                // a quarter of the kills aim at that first write (zero included), the rest at the steady writes,
                // timed from the writer's first completed write so that a loaded machine still aims them there.
                if (random.Next(4) == 0) Thread.Sleep(random.Next(0, 100));
                else { run.FirstWrite.Wait(TimeSpan.FromSeconds(20)); Thread.Sleep(random.Next(0, 40)); }
                try { run.Process.Kill(); } catch (InvalidOperationException) { }
                // Without a timeout this also waits for the redirected output to end, so the log below is complete.
                run.Process.WaitForExit();
                Assert.True(run.Process.ExitCode != 0, "round " + round + ": the writer was not killed but exited " + run.Process.ExitCode);
                run.Process.Dispose();
                var log = WriterLog.Parse(run.Lines);
                writesDone += log.Completed;
                if (log.InFlightProfile != null) midWrite++;
                if (log.Completed > 0) afterFirstWrite++;

                var store = new FileStore(vault.VaultDir, new FixedPassphrase(Passphrase));
                foreach (string p in Profiles)
                {
                    var allowed = new List<(string, string)?> { log.Confirmed.TryGetValue(p, out var done) ? done : known[p] };
                    if (log.InFlightProfile == p) allowed.Add(log.InFlightValue);
                    var actual = Read(store, vault.VaultDir, p, "round " + round);
                    Assert.True(allowed.Contains(actual),
                        "round " + round + ": '" + p + "' holds " + Describe(actual) + ", which is neither its old value nor the one being written (" +
                        string.Join(", ", allowed.Select(Describe)) + ").");
                    known[p] = actual;
                }

                var files = Directory.Exists(vault.VaultDir) ? Directory.GetFiles(vault.VaultDir).Select(Path.GetFileName).ToList() : new List<string>();
                tempLeft = files.Count(n => n.StartsWith(".tmp-", StringComparison.Ordinal));
                Assert.All(files.Where(n => !n.StartsWith(".tmp-", StringComparison.Ordinal)), n => Assert.Contains(n, Profiles));
                // A killed writer can leave its temp file behind; it must never be mistaken for an item.
                Assert.Equal(Profiles.Where(p => known[p] != null).OrderBy(p => p, StringComparer.Ordinal), store.ListProfilesWithKeys());
                Assert.Empty(store.ListSessions());
            }

            _output.WriteLine(kills + " kills in " + clock.Elapsed.TotalSeconds.ToString("0.0") + " s (writers' CPU " + ChildCpu.Since(cpu).TotalSeconds.ToString("0.0") + " s); " +
                midWrite + " landed between a write's start and its return, " + afterFirstWrite + " after at least one write had returned; " +
                writesDone + " writes completed in all; " + tempLeft + " temp files left behind by killed writers, none listed as an item.");
            // The kills must have landed inside writes, and inside steady writes, for the test to mean anything.
            Assert.True(midWrite >= kills / 2, "only " + midWrite + " of " + kills + " kills landed during a write");
            Assert.True(afterFirstWrite >= kills / 4, "only " + afterFirstWrite + " of " + kills + " kills came after a completed write");
            Assert.All(Profiles, p => Assert.NotNull(known[p]));
        }

        /// <summary>The item as FileStore reads it, checked against jose-jwt's independent decryption of the same
        /// file; null when there is no file.</summary>
        private static (string Id, string Secret)? Read(FileStore store, string vaultDir, string profile, string when)
        {
            string path = Path.Combine(vaultDir, profile);
            if (!File.Exists(path))
            {
                Assert.Null(store.GetKey(profile));
                return null;
            }
            AccessKey key;
            try
            {
                key = store.GetKey(profile);
            }
            catch (AwsVaultException e)
            {
                Assert.Fail(when + ": '" + profile + "' no longer reads: " + e.ErrorId + ": " + e.Message);
                throw;
            }
            var item = JsonDocument.Parse(Jose.JWT.Decode(File.ReadAllText(path), Passphrase)).RootElement;
            Assert.Equal(profile, item.GetProperty("Key").GetString());
            var data = JsonDocument.Parse(Convert.FromBase64String(item.GetProperty("Data").GetString())).RootElement;
            Assert.Equal(key.AccessKeyId, data.GetProperty("AccessKeyID").GetString());
            Assert.Equal(key.SecretAccessKey, data.GetProperty("SecretAccessKey").GetString());
            return (key.AccessKeyId, key.SecretAccessKey);
        }

        private static string Describe((string Id, string Secret)? value) => value == null ? "nothing" : value.Value.Id;

        private static WriterRun StartWriter(string vaultDir, params string[] extra)
        {
            var psi = new ProcessStartInfo(WriterPath)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            psi.ArgumentList.Add("--vault");
            psi.ArgumentList.Add(vaultDir);
            psi.ArgumentList.Add("--profiles");
            psi.ArgumentList.Add(string.Join(",", Profiles));
            foreach (string a in extra) psi.ArgumentList.Add(a);
            psi.Environment["AWS_VAULT_FILE_PASSPHRASE"] = Passphrase;
            var run = new WriterRun();
            run.Process = new Process { StartInfo = psi };
            run.Process.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null) return;
                lock (run.Lines) run.Lines.Add(e.Data);
                if (e.Data == "R") run.Ready.Set();
                if (e.Data.StartsWith("E ", StringComparison.Ordinal)) run.FirstWrite.Set();
            };
            run.Process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (run.Lines) run.Lines.Add("stderr: " + e.Data); };
            run.Process.Start();
            run.Process.StandardInput.Close();
            run.Process.BeginOutputReadLine();
            run.Process.BeginErrorReadLine();
            return run;
        }

        private sealed class WriterRun
        {
            public Process Process { get; set; }
            public List<string> Lines { get; } = new List<string>();
            public ManualResetEventSlim Ready { get; } = new ManualResetEventSlim();
            public ManualResetEventSlim FirstWrite { get; } = new ManualResetEventSlim();
        }

        /// <summary>What the writer said: the last value each profile got from a write that returned, and the
        /// write that had begun but not returned when it died.</summary>
        private sealed class WriterLog
        {
            public Dictionary<string, (string Id, string Secret)?> Confirmed { get; } = new Dictionary<string, (string, string)?>(StringComparer.Ordinal);
            public string InFlightProfile { get; private set; }
            public (string Id, string Secret)? InFlightValue { get; private set; }
            public int Completed { get; private set; }

            public static WriterLog Parse(List<string> lines)
            {
                var log = new WriterLog();
                List<string> copy;
                lock (lines) copy = lines.ToList();
                foreach (string line in copy)
                {
                    string[] parts = line.Split(' ');
                    if (parts[0] == "B" && parts.Length == 5)
                    {
                        log.InFlightProfile = parts[2];
                        log.InFlightValue = (parts[3], parts[4]);
                    }
                    else if (parts[0] == "E" && log.InFlightProfile != null)
                    {
                        log.Confirmed[log.InFlightProfile] = log.InFlightValue;
                        log.InFlightProfile = null;
                        log.InFlightValue = null;
                        log.Completed++;
                    }
                    else if (parts[0] != "R" && parts[0] != "B")
                    {
                        Assert.Fail("the writer said something unexpected: " + line);
                    }
                }
                return log;
            }
        }
    }
}
