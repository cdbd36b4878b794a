using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AwsVault.Tests.Commands;
using Xunit;
using Xunit.Abstractions;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.MultiProcess
{
    /// <summary>
    /// Parallel jobs adding the same new profile (each CI job storing the deploy key on a fresh agent) each read
    /// the config, find no section, store the key and append one. The append takes a lock across processes and
    /// checks again under it, so the config ends with exactly one section.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class ConcurrentConfigAppendTests
    {
        private const int Processes = 8;

        private readonly ITestOutputHelper _output;

        public ConcurrentConfigAppendTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public async Task ProcessesAddingTheSameNewProfileAtOnceLeaveOneConfigSection()
        {
            using var box = new ChildSandbox();
            File.WriteAllText(box.ConfigFile, "# shared by every job\n[profile other]\nregion = us-east-1\n");
            string ready = Path.Combine(box.Root, "ready");
            string go = Path.Combine(box.Root, "go");
            Directory.CreateDirectory(ready);

            var running = Enumerable.Range(0, Processes)
                .Select(i => PwshHostProcess.Start(PwshHostProcess.StartInfo(box.Environment(),
                    "-NoProfile", "-NonInteractive", "-Command", Script(i, ready, go))))
                .ToList();
            // Every process has loaded the module and read nothing yet; then they add together.
            var deadline = DateTime.UtcNow.AddSeconds(45);
            while (Directory.GetFiles(ready).Length < Processes && running.All(r => !r.Process.HasExited) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            File.WriteAllText(go, string.Empty);
            var results = await Task.WhenAll(running.Select(r => r.WaitAsync(PwshHostProcess.DefaultTimeout)));
            for (int i = 0; i < Processes; i++)
            {
                Assert.True(results[i].ExitCode == 0 && !results[i].TimedOut, "process " + i + ": " + results[i]);
            }

            string config = File.ReadAllText(box.ConfigFile);
            _output.WriteLine(config);
            Assert.Equal(1, Occurrences(config, "[profile deploy]"));
            Assert.StartsWith("# shared by every job\n[profile other]\nregion = us-east-1\n", config);
            Assert.Equal(1, Occurrences(config, "[profile other]"));
            Assert.True(File.Exists(Path.Combine(box.VaultDirectory, "deploy")));
        }

        private static string Script(int i, string ready, string go)
        {
            var s = new StringBuilder();
            s.Append("$ErrorActionPreference = 'Stop'; ");
            s.Append("Import-Module ").Append(PwshHostProcess.Quote(ModuleAssembly.ManifestPath)).Append("; ");
            s.Append("$secret = [System.Net.NetworkCredential]::new('', ").Append(PwshHostProcess.Quote(PwshHostProcess.NewSecretAccessKey())).Append(").SecurePassword; ");
            s.Append("[IO.File]::WriteAllText(").Append(PwshHostProcess.Quote(Path.Combine(ready, "p" + i))).Append(", ''); ");
            s.Append("while (-not [IO.File]::Exists(").Append(PwshHostProcess.Quote(go)).Append(")) { [Threading.Thread]::Sleep(5) }; ");
            s.Append("Add-AwsVaultProfile deploy -AccessKeyId ").Append(PwshHostProcess.Quote(PwshHostProcess.NewAccessKeyId())).Append(" -SecretAccessKey $secret -Force; ");
            s.Append("'done'");
            return s.ToString();
        }

        private static int Occurrences(string text, string value)
        {
            int n = 0;
            for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal)) n++;
            return n;
        }
    }
}
