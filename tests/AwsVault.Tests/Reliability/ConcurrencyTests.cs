using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AwsVault.Storage;
using AwsVault.Tests.Commands;
using AwsVault.Tests.MultiProcess;
using Xunit;
using Xunit.Abstractions;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// Many PowerShell processes (pwsh-host, the user's path: the cmdlets in a separate process each) running
    /// a random mix of add, get and remove on one file vault at once, on profiles of their own and on profiles
    /// they all share. A process's own profiles have exactly one possible history, so every get and the final
    /// state are checked exactly; shared profiles may hold any whole key some process wrote, or nothing.
    /// Every file must decrypt with the module and with jose-jwt, and nothing may be lost or left behind.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class ConcurrencyTests
    {
        private static readonly string[] Shared = { "shared-0", "shared-1", "shared-2" };

        private readonly ITestOutputHelper _output;

        public ConcurrencyTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public Task SixteenProcessesOfTwentyFiveMixedOperationsLoseNothing() => Race(16, 25);

        [Fact]
        [Trait(Category.Name, Category.Long)]
        public Task ThirtyTwoProcessesOfTwoHundredMixedOperationsLoseNothing() => Race(32, 200);

        private async Task Race(int processes, int operations)
        {
            int seed = Environment.TickCount;
            _output.WriteLine("seed " + seed);
            var random = new Random(seed);
            using var box = new ChildSandbox();
            File.WriteAllText(box.ConfigFile, string.Concat(Shared.Select(s => "[profile " + s + "]\nregion = eu-west-1\n\n")));
            string ready = Path.Combine(box.Root, "ready"), go = Path.Combine(box.Root, "go");
            Directory.CreateDirectory(ready);

            var plans = Enumerable.Range(0, processes).Select(i => Plan.Make(i, operations, random)).ToArray();
            var writtenToShared = plans.SelectMany(p => p.Steps).Where(s => s.Op == "add" && Shared.Contains(s.Profile))
                .GroupBy(s => s.Profile).ToDictionary(g => g.Key, g => g.Select(s => (s.Id, s.Secret)).ToHashSet());

            var clock = Stopwatch.StartNew();
            var cpu = ChildCpu.Now();
            var running = plans.Select(p => PwshHostProcess.Start(PwshHostProcess.StartInfo(box.Environment(),
                "-NoProfile", "-NonInteractive", "-Command", p.Script(ready, go)))).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (Directory.GetFiles(ready).Length < processes && running.All(r => !r.Process.HasExited) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            TimeSpan startUp = clock.Elapsed;
            File.WriteAllText(go, string.Empty);
            var results = await Task.WhenAll(running.Select(r => r.WaitAsync(TimeSpan.FromSeconds(240))));
            TimeSpan total = clock.Elapsed;
            _output.WriteLine(processes + " pwsh-host processes ready after " + startUp.TotalSeconds.ToString("0.0") + " s; " +
                processes * operations + " operations done " + (total - startUp).TotalSeconds.ToString("0.0") + " s later; " +
                "slowest process " + results.Max(r => r.Elapsed).TotalSeconds.ToString("0.0") + " s; the processes' CPU " +
                ChildCpu.Since(cpu).TotalSeconds.ToString("0.0") + " s.");

            int sharedGets = 0, sharedHits = 0;
            for (int i = 0; i < processes; i++)
            {
                Assert.True(results[i].ExitCode == 0 && !results[i].TimedOut, "process " + i + ": " + results[i]);
                var lines = results[i].StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("R ")).ToList();
                Assert.Equal(operations, lines.Count);
                foreach (var (step, line) in plans[i].Steps.Zip(lines))
                {
                    string[] parts = line.Split(' ');
                    Assert.Equal(step.Index.ToString(), parts[1]);
                    string what = "process " + i + " step " + step.Index + " (" + step.Op + " " + step.Profile + "): " + line;
                    bool shared = Shared.Contains(step.Profile);
                    switch (step.Op)
                    {
                        case "add":
                            Assert.True(parts[2] == "ok", what);
                            break;
                        case "remove":
                            Assert.True(shared ? parts[2] == "ok" || line.EndsWith("err ProfileKeyNotFound") : parts[2] == (step.Expected != null ? "ok" : "err"), what);
                            if (!shared && step.Expected == null) Assert.EndsWith("err ProfileKeyNotFound", line);
                            break;
                        case "get":
                            if (shared)
                            {
                                sharedGets++;
                                if (parts[2] == "got")
                                {
                                    sharedHits++;
                                    Assert.True(writtenToShared.TryGetValue(step.Profile, out var values) && values.Contains((parts[3], parts[4])),
                                        what + " is not a whole key any process wrote");
                                }
                                else Assert.True(line.EndsWith("err CredentialsMissing"), what);
                            }
                            else if (step.Expected == null)
                            {
                                Assert.True(line.EndsWith("err CredentialsMissing") || line.EndsWith("err ProfileNotFound"), what);
                            }
                            else
                            {
                                Assert.True(parts[2] == "got" && parts[3] == step.Expected.Value.Id && parts[4] == step.Expected.Value.Secret, what);
                            }
                            break;
                    }
                }
            }
            _output.WriteLine("shared gets: " + sharedGets + ", of which " + sharedHits + " found a key.");

            // The final state: own profiles exactly as planned, shared ones a whole written key or nothing.
            var store = new FileStore(box.VaultDirectory, new FixedPassphrase(ChildSandbox.Passphrase));
            var expectPresent = new List<string>();
            foreach (var plan in plans)
            {
                foreach (var pair in plan.Final)
                {
                    var key = store.GetKey(pair.Key);
                    if (pair.Value == null)
                    {
                        Assert.Null(key);
                        continue;
                    }
                    Assert.NotNull(key);
                    Assert.Equal(pair.Value.Value, (key.AccessKeyId, key.SecretAccessKey));
                    expectPresent.Add(pair.Key);
                }
            }
            foreach (string s in Shared)
            {
                var key = store.GetKey(s);
                if (key == null) continue;
                Assert.Contains((key.AccessKeyId, key.SecretAccessKey), writtenToShared[s]);
                expectPresent.Add(s);
            }
            Assert.Equal(expectPresent.OrderBy(n => n, StringComparer.Ordinal), store.ListProfilesWithKeys());

            var files = Directory.GetFiles(box.VaultDirectory).Select(Path.GetFileName).ToArray();
            Assert.DoesNotContain(files, n => n.StartsWith(".", StringComparison.Ordinal));
            Assert.Equal(expectPresent.OrderBy(n => n, StringComparer.Ordinal), files.OrderBy(n => n, StringComparer.Ordinal));
            foreach (string name in files)
            {
                var item = JsonDocument.Parse(Jose.JWT.Decode(File.ReadAllText(Path.Combine(box.VaultDirectory, name)), ChildSandbox.Passphrase)).RootElement;
                Assert.Equal(name, item.GetProperty("Key").GetString());
                var data = JsonDocument.Parse(Convert.FromBase64String(item.GetProperty("Data").GetString())).RootElement;
                Assert.Equal(store.GetKey(name).SecretAccessKey, data.GetProperty("SecretAccessKey").GetString());
            }

            // Every profile a process added went into the config once, however the appends interleaved.
            string config = File.ReadAllText(box.ConfigFile);
            foreach (string profile in plans.SelectMany(p => p.Steps).Where(s => s.Op == "add").Select(s => s.Profile).Distinct())
            {
                Assert.Equal(1, Occurrences(config, "[profile " + profile + "]"));
            }
        }

        private static int Occurrences(string text, string what)
        {
            int count = 0;
            for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
            return count;
        }

        /// <summary>One process's operations, with what each must see where that is knowable.</summary>
        private sealed class Plan
        {
            private Plan(int process) { Process = process; }

            public int Process { get; }
            public List<Step> Steps { get; } = new List<Step>();

            /// <summary>The process's own profiles after its last step: a key, or null for none.</summary>
            public Dictionary<string, (string Id, string Secret)?> Final { get; } = new Dictionary<string, (string, string)?>(StringComparer.Ordinal);

            public static Plan Make(int process, int operations, Random random)
            {
                var plan = new Plan(process);
                string[] own = { "p" + process + "-a", "p" + process + "-b" };
                foreach (string p in own) plan.Final[p] = null;
                for (int n = 0; n < operations; n++)
                {
                    string profile = random.Next(2) == 0 ? own[random.Next(own.Length)] : Shared[random.Next(Shared.Length)];
                    int roll = random.Next(100);
                    string op = roll < 40 ? "add" : roll < 75 ? "get" : "remove";
                    var step = new Step { Index = n, Op = op, Profile = profile };
                    if (op == "add")
                    {
                        step.Id = PwshHostProcess.NewAccessKeyId();
                        step.Secret = PwshHostProcess.NewSecretAccessKey();
                    }
                    if (plan.Final.TryGetValue(profile, out var current))
                    {
                        step.Expected = current;
                        if (op == "add") plan.Final[profile] = (step.Id, step.Secret);
                        if (op == "remove") plan.Final[profile] = null;
                    }
                    plan.Steps.Add(step);
                }
                return plan;
            }

            /// <summary>Each step prints one line, "R n ok", "R n got ID SECRET" or "R n err ERRORID", so a failure
            /// says which step it was; errors are caught per step because some are expected (a shared profile
            /// another process just removed).</summary>
            public string Script(string ready, string go)
            {
                string Q(string s) => PwshHostProcess.Quote(s);
                var s = new StringBuilder();
                s.Append("$ErrorActionPreference = 'Stop'; Import-Module ").Append(Q(ModuleAssembly.ManifestPath)).Append("; ");
                s.Append("function Op([int]$n, [string]$op, [string]$p, [string]$id, [string]$secret) { try { ");
                s.Append("if ($op -eq 'add') { Add-AwsVaultProfile $p -AccessKeyId $id -SecretAccessKey ([System.Net.NetworkCredential]::new('', $secret).SecurePassword) -Force; \"R $n ok\" } ");
                s.Append("elseif ($op -eq 'get') { $k = Get-AwsVaultSession $p -NoSession; \"R $n got \" + $k.AccessKeyId + ' ' + [System.Net.NetworkCredential]::new('', $k.SecretAccessKey).Password } ");
                s.Append("else { Remove-AwsVaultProfile $p -Force; \"R $n ok\" } ");
                s.Append("} catch { \"R $n err \" + $_.FullyQualifiedErrorId.Split(',')[0] } }; ");
                s.Append("[IO.File]::WriteAllText(").Append(Q(Path.Combine(ready, "p" + Process))).Append(", ''); ");
                s.Append("$deadline = [DateTime]::UtcNow.AddSeconds(120); ");
                s.Append("while (-not [IO.File]::Exists(").Append(Q(go)).Append(")) { if ([DateTime]::UtcNow -gt $deadline) { throw 'never started' }; [Threading.Thread]::Sleep(5) }; ");
                foreach (var step in Steps)
                {
                    s.Append("Op ").Append(step.Index).Append(' ').Append(Q(step.Op)).Append(' ').Append(Q(step.Profile)).Append(' ')
                     .Append(Q(step.Id ?? "")).Append(' ').Append(Q(step.Secret ?? "")).Append("; ");
                }
                s.Append("'done'");
                return s.ToString();
            }
        }

        private sealed class Step
        {
            public int Index { get; set; }
            public string Op { get; set; }
            public string Profile { get; set; }
            public string Id { get; set; }
            public string Secret { get; set; }

            /// <summary>For own profiles: the key before this step (what a get must return), or null for none.</summary>
            public (string Id, string Secret)? Expected { get; set; }
        }
    }
}
