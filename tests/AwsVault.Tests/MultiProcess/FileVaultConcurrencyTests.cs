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
using Xunit;
using Xunit.Abstractions;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.MultiProcess
{
    /// <summary>
    /// Separate PowerShell processes writing one file vault at the same time, as shells, CI steps and the
    /// AWS CLI's credential_process calls do. The vault promises atomic writes safe under concurrent writers:
    /// no torn or lost item, no temp file left behind, and removals that stay removed.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class FileVaultConcurrencyTests
    {
        private const int Processes = 8;
        private const int Rounds = 10;

        private readonly ITestOutputHelper _output;

        public FileVaultConcurrencyTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public async Task ProcessesRacingOnOneVaultLeaveEveryItemWholeAndNoTempFiles()
        {
            using var box = new ChildSandbox();
            // The shared profile is in the config already, so the race is on the vault; each process still
            // appends its own two profile sections to the config.
            File.WriteAllText(box.ConfigFile, "[profile shared]\nregion = us-east-1\n");
            string ready = Path.Combine(box.Root, "ready");
            string go = Path.Combine(box.Root, "go");
            Directory.CreateDirectory(ready);

            var own = Enumerable.Range(0, Processes).Select(_ => NewKeys()).ToArray();
            var shared = Enumerable.Range(0, Processes).Select(_ => NewKeys()).ToArray();

            var clock = Stopwatch.StartNew();
            var running = Enumerable.Range(0, Processes)
                .Select(i => PwshHostProcess.Start(PwshHostProcess.StartInfo(box.Environment(),
                    "-NoProfile", "-NonInteractive", "-Command", Script(i, own[i], shared[i], ready, go))))
                .ToList();

            // Start the rounds together once every process has loaded the module, so that the writes overlap
            // instead of following each process's start-up.
            var deadline = DateTime.UtcNow.AddSeconds(45);
            while (Directory.GetFiles(ready).Length < Processes && running.All(r => !r.Process.HasExited) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            var startedAt = clock.Elapsed;
            File.WriteAllText(go, string.Empty);
            var results = await Task.WhenAll(running.Select(r => r.WaitAsync(PwshHostProcess.DefaultTimeout)));
            _output.WriteLine("all " + Processes + " hosts ready after " + startedAt.TotalSeconds.ToString("0.0") + " s; rounds done after " +
                clock.Elapsed.TotalSeconds.ToString("0.0") + " s");

            for (int i = 0; i < Processes; i++)
            {
                Assert.True(results[i].ExitCode == 0 && !results[i].TimedOut, "process " + i + ": " + results[i]);
                Assert.EndsWith("done", results[i].StdOut.TrimEnd());
            }

            var files = Directory.GetFiles(box.VaultDirectory).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.DoesNotContain(files, n => n.StartsWith(".", StringComparison.Ordinal));
            var expected = Enumerable.Range(0, Processes).Select(i => "p" + i).Append("shared").OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, files);

            var store = new FileStore(box.VaultDirectory, new FixedPassphrase(ChildSandbox.Passphrase));
            for (int i = 0; i < Processes; i++)
            {
                var key = store.GetKey("p" + i);
                Assert.Equal(own[i][Rounds - 1], (key.AccessKeyId, key.SecretAccessKey));
                Assert.False(store.HasKey("t" + i), "t" + i + " was removed last but is in the vault");
            }
            // Last writer wins, but with a whole pair some process wrote: never one process's id with another's secret.
            var sharedKey = store.GetKey("shared");
            Assert.Contains((sharedKey.AccessKeyId, sharedKey.SecretAccessKey), shared.SelectMany(k => k));

            // Every file also opens with an independent JWE implementation, so none is torn or mixed.
            foreach (string name in files)
            {
                var item = JsonDocument.Parse(Jose.JWT.Decode(File.ReadAllText(Path.Combine(box.VaultDirectory, name)), ChildSandbox.Passphrase)).RootElement;
                Assert.Equal(name, item.GetProperty("Key").GetString());
            }

            string config = File.ReadAllText(box.ConfigFile);
            for (int i = 0; i < Processes; i++)
            {
                Assert.Equal(1, Occurrences(config, "[profile p" + i + "]"));
                Assert.Equal(1, Occurrences(config, "[profile t" + i + "]"));
            }
            Assert.Equal(1, Occurrences(config, "[profile shared]"));
        }

        private static (string Id, string Secret)[] NewKeys() =>
            Enumerable.Range(0, Rounds).Select(_ => (PwshHostProcess.NewAccessKeyId(), PwshHostProcess.NewSecretAccessKey())).ToArray();

        /// <summary>Each round: overwrite the process's own profile, overwrite the shared one, add and remove a
        /// profile of its own. Any error stops the script, so the exit code tells whether every write worked.</summary>
        private static string Script(int i, (string Id, string Secret)[] own, (string Id, string Secret)[] shared, string ready, string go)
        {
            string List(IEnumerable<string> values) => string.Join(", ", values.Select(PwshHostProcess.Quote));
            var s = new StringBuilder();
            s.Append("$ErrorActionPreference = 'Stop'; ");
            s.Append("Import-Module ").Append(PwshHostProcess.Quote(ModuleAssembly.ManifestPath)).Append("; ");
            s.Append("function Secret([string]$s) { [System.Net.NetworkCredential]::new('', $s).SecurePassword }; ");
            s.Append("$ownIds = @(").Append(List(own.Select(k => k.Id))).Append("); ");
            s.Append("$ownSecrets = @(").Append(List(own.Select(k => k.Secret))).Append("); ");
            s.Append("$sharedIds = @(").Append(List(shared.Select(k => k.Id))).Append("); ");
            s.Append("$sharedSecrets = @(").Append(List(shared.Select(k => k.Secret))).Append("); ");
            s.Append("[IO.File]::WriteAllText(").Append(PwshHostProcess.Quote(Path.Combine(ready, "p" + i))).Append(", ''); ");
            s.Append("$deadline = [DateTime]::UtcNow.AddSeconds(45); ");
            s.Append("while (-not [IO.File]::Exists(").Append(PwshHostProcess.Quote(go)).Append(")) { ");
            s.Append("if ([DateTime]::UtcNow -gt $deadline) { throw 'the test never started the rounds' }; [Threading.Thread]::Sleep(5) }; ");
            s.Append("for ($n = 0; $n -lt ").Append(Rounds).Append("; $n++) { ");
            s.Append("Add-AwsVaultProfile 'p").Append(i).Append("' -AccessKeyId $ownIds[$n] -SecretAccessKey (Secret $ownSecrets[$n]) -Force; ");
            s.Append("Add-AwsVaultProfile 'shared' -AccessKeyId $sharedIds[$n] -SecretAccessKey (Secret $sharedSecrets[$n]) -Force; ");
            s.Append("Add-AwsVaultProfile 't").Append(i).Append("' -AccessKeyId $ownIds[$n] -SecretAccessKey (Secret $ownSecrets[$n]) -Force; ");
            s.Append("Remove-AwsVaultProfile 't").Append(i).Append("' -Force; ");
            s.Append("}; 'done'");
            return s.ToString();
        }

        private static int Occurrences(string text, string what)
        {
            int count = 0;
            for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
            return count;
        }
    }
}
