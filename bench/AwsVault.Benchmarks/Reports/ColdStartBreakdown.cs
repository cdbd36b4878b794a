using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Reports
{
    /// <summary>
    /// Where a fresh process's time goes, step by step (Stopwatch inside pwsh-host), for the cold rows that
    /// BenchmarkDotNet can only time as a whole: the engine's first Import-Module of any module, AwsVault's own
    /// import, the first AwsVault cmdlet (config, vault listing, no decryption), the first session read from
    /// the vault (PBKDF2, AES-GCM, JSON), then the same call again from memory. Medians of several processes.
    /// </summary>
    public static class ColdStartBreakdown
    {
        private const int Processes = 9;

        private static readonly string[] Steps =
        {
            "Import-Module of an empty module (engine's first import)",
            "Import-Module AwsVault",
            "first AwsVault cmdlet: Get-AwsVaultProfile (config + vault listing)",
            "first Export-AwsVaultSession -Format CredentialProcess (session from the vault)",
            "second Export-AwsVaultSession (memory hit)",
        };

        public static int Run(string outputDirectory)
        {
            Repo.RequireBuilt();
            using var sandbox = new Sandbox(backend: "file");
            using var sts = new Sts();
            sandbox.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint);
            sandbox.WriteConfig("[profile dev]\nregion = eu-west-1\n");
            Internals.ForgetProcessMemory();
            string emptyModule = Path.Combine(sandbox.Root, "Empty", "Empty.psd1");
            Directory.CreateDirectory(Path.GetDirectoryName(emptyModule));
            File.WriteAllText(Path.Combine(sandbox.Root, "Empty", "Empty.psm1"), "");
            File.WriteAllText(emptyModule, "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0'; GUID = '" + Guid.NewGuid() + "'; FunctionsToExport = @() }");
            using (var rs = new WarmRunspace())
            {
                rs.Run(Sts.AddProfileScript("dev", Sts.DevKeyId, Sts.DevSecret));
                rs.Run("$null = Get-AwsVaultSession dev");
            }
            sts.World.ClearCalls();

            string script =
                // The first member access of a process compiles PowerShell's binders (~30 ms): pay it before the clock.
                "$sw = [System.Diagnostics.Stopwatch]::StartNew(); $t = @(); $t += $sw.Elapsed.TotalMilliseconds; $t = @(); $sw.Restart();" +
                "Import-Module " + ChildHost.Quote(emptyModule) + "; $t += $sw.Elapsed.TotalMilliseconds;" +
                "Import-Module " + ChildHost.Quote(Repo.ModuleManifest) + "; $t += $sw.Elapsed.TotalMilliseconds;" +
                "$null = Get-AwsVaultProfile; $t += $sw.Elapsed.TotalMilliseconds;" +
                "$null = Export-AwsVaultSession dev -Format CredentialProcess; $t += $sw.Elapsed.TotalMilliseconds;" +
                "$null = Export-AwsVaultSession dev -Format CredentialProcess; $t += $sw.Elapsed.TotalMilliseconds;" +
                "'T ' + (($t | ForEach-Object { $_.ToString([cultureinfo]::InvariantCulture) }) -join ' ');" +
                "'SDK ' + (@([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'AWSSDK*' }).Count)";

            var samples = new List<double[]>();
            var totals = new List<double>();
            string sdk = null;
            for (int i = 0; i < Processes; i++)
            {
                var psi = ChildHost.StartInfo(sandbox.ChildEnvironment(sts.Endpoint), script);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (exit, stdout, stderr) = ChildHost.Run(psi);
                totals.Add(clock.Elapsed.TotalMilliseconds);
                if (exit != 0) throw new InvalidOperationException("pwsh-host failed (exit " + exit + "):\n" + stdout + "\n" + stderr);
                var lines = stdout.Split('\n').Select(l => l.Trim()).ToList();
                double[] marks = lines.Single(l => l.StartsWith("T ", StringComparison.Ordinal)).Substring(2).Split(' ')
                    .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                samples.Add(marks.Select((m, k) => k == 0 ? m : m - marks[k - 1]).ToArray());
                sdk = lines.Single(l => l.StartsWith("SDK ", StringComparison.Ordinal)).Substring(4);
            }
            if (sts.World.Calls.Count != 0) throw new InvalidOperationException("The cold runs reached STS; the session was not read from the vault.");

            var sb = new StringBuilder();
            sb.AppendLine("| Step in a fresh pwsh-host process | Median (ms) | Min (ms) | Max (ms) |");
            sb.AppendLine("|---|---:|---:|---:|");
            for (int k = 0; k < Steps.Length; k++)
            {
                var v = samples.Select(s => s[k]).ToList();
                sb.AppendLine("| " + Steps[k] + " | " + Median(v).ToString("N1") + " | " + v.Min().ToString("N1") + " | " + v.Max().ToString("N1") + " |");
            }
            sb.AppendLine("| whole process, measured from outside | " + Median(totals).ToString("N0") + " | " + totals.Min().ToString("N0") + " | " + totals.Max().ToString("N0") + " |");
            sb.AppendLine();
            sb.AppendLine("AWSSDK assemblies loaded after the two cache hits: " + sdk + " (" + Processes + " processes).");

            sb.AppendLine();
            sb.Append(ImportVariants(sandbox.Root, emptyModule));
            sb.AppendLine();
            sb.Append(InterleavedProcesses(sandbox, sts));
            if (sts.World.Calls.Count != 0) throw new InvalidOperationException("A credential_process run reached STS; the session was not read from the vault.");

            Console.WriteLine();
            Console.WriteLine("Cold start, step by step");
            Console.WriteLine(sb.ToString());
            Directory.CreateDirectory(outputDirectory);
            string path = Path.Combine(outputDirectory, "cold-start-breakdown.md");
            File.WriteAllText(path, sb.ToString());
            Console.WriteLine("Written to " + path);
            return 0;
        }

        /// <summary>
        /// Import-Module AwsVault after the engine's first import, with parts of the manifest left out (copies of
        /// out/AwsVault in the sandbox): what the format file, the psm1 (Invoke-AwsVault) and the manifest itself
        /// each add to the binary module alone.
        /// </summary>
        private static string ImportVariants(string root, string emptyModule)
        {
            var variants = new (string Name, Func<string, string> Manifest, string Import)[]
            {
                ("AwsVault.psd1 as shipped (DLL + psm1 + format file)", m => m, "AwsVault.psd1"),
                ("without FormatsToProcess", m => m.Replace("FormatsToProcess     = @('AwsVault.format.ps1xml')", ""), "AwsVault.psd1"),
                ("without the psm1 (DLL as RootModule), with the format file",
                    m => m.Replace("RootModule           = 'AwsVault.psm1'", "RootModule = 'net8.0/AwsVault.PowerShell.dll'").Replace("FunctionsToExport    = @('Invoke-AwsVault')", "FunctionsToExport = @()"),
                    "AwsVault.psd1"),
                ("the DLL alone (Import-Module net8.0/AwsVault.PowerShell.dll)", m => m, Path.Combine("net8.0", "AwsVault.PowerShell.dll")),
            };
            string shipped = File.ReadAllText(Repo.ModuleManifest);
            var sb = new StringBuilder();
            sb.AppendLine("| Import-Module after an empty module was imported | Median (ms) | Min (ms) | Max (ms) |");
            sb.AppendLine("|---|---:|---:|---:|");
            int index = 0;
            foreach (var v in variants)
            {
                string dir = Path.Combine(root, "variant" + index++, "AwsVault");
                Directory.CreateDirectory(dir);
                foreach (string file in Directory.GetFiles(Repo.ModuleDirectory)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
                CopyDirectory(Path.Combine(Repo.ModuleDirectory, "net8.0"), Path.Combine(dir, "net8.0"));
                string manifest = v.Manifest(shipped);
                if (v.Name.StartsWith("without", StringComparison.Ordinal) && manifest == shipped) throw new InvalidOperationException("The manifest variant '" + v.Name + "' changed nothing: AwsVault.psd1 has a new layout.");
                File.WriteAllText(Path.Combine(dir, "AwsVault.psd1"), manifest);
                string script = "Import-Module " + ChildHost.Quote(emptyModule) + "; $sw = [System.Diagnostics.Stopwatch]::StartNew(); " +
                                "$null = $sw.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture); $sw.Restart(); " +
                                "Import-Module " + ChildHost.Quote(Path.Combine(dir, v.Import)) + " -ErrorAction Stop; $sw.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)";
                var times = new List<double>();
                for (int i = 0; i < 7; i++)
                {
                    var (exit, stdout, stderr) = ChildHost.Run(ChildHost.StartInfo(null, script));
                    if (exit != 0) throw new InvalidOperationException("pwsh-host failed (exit " + exit + "):\n" + stdout + "\n" + stderr);
                    times.Add(double.Parse(stdout.Trim(), CultureInfo.InvariantCulture));
                }
                sb.AppendLine("| " + v.Name + " | " + Median(times).ToString("N1") + " | " + times.Min().ToString("N1") + " | " + times.Max().ToString("N1") + " |");
            }
            return sb.ToString();
        }

        /// <summary>
        /// Issue item 6 from outside, robust against a busy machine: rounds of three fresh processes in
        /// rotating order (host alone, + Import-Module, + a credential_process export from the vault), so drift
        /// in the machine's load hits all three alike; the cost of each is the median of its per-round
        /// difference to the host-alone process of the same round.
        /// </summary>
        private static string InterleavedProcesses(Sandbox sandbox, Sts sts)
        {
            const int rounds = 15;
            var env = sandbox.ChildEnvironment(sts.Endpoint);
            var kinds = new[]
            {
                ("pwsh-host -Command 0", ChildHost.StartInfo(env, "0")),
                ("pwsh-host -Command Import-Module AwsVault", ChildHost.StartInfo(env, "Import-Module " + ChildHost.Quote(Repo.ModuleManifest))),
                ("pwsh-host: Import + Export-AwsVaultSession dev -Format CredentialProcess", ChildHost.StartInfo(env, "Import-Module " + ChildHost.Quote(Repo.ModuleManifest) + "; Export-AwsVaultSession dev -Format CredentialProcess")),
            };
            var times = kinds.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r < rounds; r++)
            {
                for (int j = 0; j < kinds.Length; j++)
                {
                    int k = (r + j) % kinds.Length;
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var (exit, stdout, stderr) = ChildHost.Run(kinds[k].Item2);
                    times[k].Add(clock.Elapsed.TotalMilliseconds);
                    if (exit != 0) throw new InvalidOperationException("pwsh-host failed (exit " + exit + "):\n" + stdout + "\n" + stderr);
                }
            }
            var sb = new StringBuilder();
            sb.AppendLine("| Fresh process, " + rounds + " interleaved rounds | Median (ms) | Min (ms) | Max (ms) | Minus host alone, median of pairs (ms) | range of pairs (ms) |");
            sb.AppendLine("|---|---:|---:|---:|---:|---|");
            for (int k = 0; k < kinds.Length; k++)
            {
                var diffs = times[k].Zip(times[0], (a, b) => a - b).ToList();
                sb.AppendLine("| " + kinds[k].Item1 + " | " + Median(times[k]).ToString("N0") + " | " + times[k].Min().ToString("N0") + " | " + times[k].Max().ToString("N0") + " | " +
                              (k == 0 ? "—" : Median(diffs).ToString("N0")) + " | " + (k == 0 ? "—" : diffs.Min().ToString("N0") + " … " + diffs.Max().ToString("N0")) + " |");
            }
            return sb.ToString();
        }

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            foreach (string sub in Directory.GetDirectories(from)) CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(x => x).ToList();
            int n = sorted.Count;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }
}
