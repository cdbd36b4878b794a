using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Reports
{
    /// <summary>
    /// Issue item 7: STS round trips per scenario, counted by the emulator (World.Calls), not timed. Each
    /// scenario starts from an empty session cache (a fresh vault directory and cleared process memory);
    /// "new process" rows are real pwsh-host processes that share the vault, as a second shell would.
    /// Expected counts are aws-vault's for the same config, which AwsVault means to match.
    /// </summary>
    public static class StsRoundTrips
    {
        private sealed class Row
        {
            public string Scenario;
            public string Step;
            public int Expected;
            public int Calls;
            public string Actions;
            public int MfaCodes = -1;
        }

        public static int Run(string outputDirectory)
        {
            Repo.RequireBuilt();
            var rows = new List<Row>();
            using (var sts = new Sts())
            {
                MfaProfile(sts, rows);
                ChainedMfaRole(sts, rows);
                RoleWithoutMfa(sts, rows);
                Refresh(sts, rows);
                CredentialProcessParallel(sts, rows);
            }

            string table = Format(rows);
            Console.WriteLine();
            Console.WriteLine("STS round trips per scenario (counted by the emulator)");
            Console.WriteLine(table);
            Directory.CreateDirectory(outputDirectory);
            string path = Path.Combine(outputDirectory, "sts-round-trips.md");
            File.WriteAllText(path, table);
            Console.WriteLine("Written to " + path);
            return rows.All(r => r.Calls == r.Expected) ? 0 : 1;
        }

        private static string Config(Sts sts, string extraAlice = "") =>
            "[profile alice]\nregion = eu-west-1\nmfa_serial = " + sts.AliceMfaSerial + "\n" + extraAlice + "\n" +
            "[profile bob]\nregion = us-west-2\n\n" +
            "[profile admin]\nsource_profile = alice\nrole_arn = " + Sts.AdminArn + "\nmfa_serial = " + sts.AliceMfaSerial + "\n\n" +
            "[profile readonly]\nsource_profile = bob\nrole_arn = " + Sts.ReadOnlyArn + "\n";

        /// <summary>A sandbox with alice's and bob's keys stored and nothing cached anywhere.</summary>
        private static (Sandbox, WarmRunspace) Fresh(Sts sts, string config)
        {
            var sandbox = new Sandbox(backend: "file");
            sandbox.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint);
            sandbox.WriteConfig(config);
            Internals.ForgetProcessMemory();
            var rs = new WarmRunspace();
            rs.Run(Sts.AddProfileScript("alice", Sts.AliceKeyId, Sts.AliceSecret));
            rs.Run(Sts.AddProfileScript("bob", Sts.BobKeyId, Sts.BobSecret));
            sts.World.ClearCalls();
            return (sandbox, rs);
        }

        private static Row Count(Sts sts, string scenario, string step, int expected, Action action)
        {
            sts.World.ClearCalls();
            action();
            var calls = sts.World.Calls;
            return new Row
            {
                Scenario = scenario,
                Step = step,
                Expected = expected,
                Calls = calls.Count,
                Actions = calls.Count == 0 ? "—" : string.Join(" + ", calls.Select(c => c.Action + (c.UsedMfa ? " (MFA)" : string.Empty))),
            };
        }

        private static void InNewProcess(Sandbox sandbox, Sts sts, string script)
        {
            var psi = ChildHost.StartInfo(sandbox.ChildEnvironment(sts.Endpoint),
                "Import-Module " + ChildHost.Quote(Repo.ModuleManifest) + "; " + script);
            var (exit, stdout, stderr) = ChildHost.Run(psi);
            if (exit != 0) throw new InvalidOperationException("pwsh-host failed (exit " + exit + "):\n" + stdout + "\n" + stderr);
        }

        private static void MfaProfile(Sts sts, List<Row> rows)
        {
            const string s = "MFA profile (GetSessionToken with MFA)";
            var (sandbox, rs) = Fresh(sts, Config(sts));
            using (sandbox)
            using (rs)
            {
                rows.Add(Count(sts, s, "first call", 1, () => rs.Run("$null = Get-AwsVaultSession alice -MfaToken " + sts.NextAliceCode())));
                rows.Add(Count(sts, s, "second call, same process", 0, () => rs.Run("$null = Get-AwsVaultSession alice")));
                rows.Add(Count(sts, s, "new process", 0, () => InNewProcess(sandbox, sts, "$null = Get-AwsVaultSession alice")));
            }
        }

        private static void ChainedMfaRole(Sts sts, List<Row> rows)
        {
            const string s = "Role with chained MFA (admin <- alice, same mfa_serial)";
            var (sandbox, rs) = Fresh(sts, Config(sts));
            using (sandbox)
            using (rs)
            {
                rows.Add(Count(sts, s, "first call", 2, () => rs.Run("$null = Get-AwsVaultSession admin -MfaToken " + sts.NextAliceCode())));
                rows.Add(Count(sts, s, "later call, same process", 0, () => rs.Run("$null = Get-AwsVaultSession admin")));
                // The role session cost no MFA code of its own, so (as in aws-vault) it is kept in memory only;
                // the MFA-backed GetSessionToken session comes from the vault.
                rows.Add(Count(sts, s, "new process", 1, () => InNewProcess(sandbox, sts, "$null = Get-AwsVaultSession admin")));
            }
        }

        private static void RoleWithoutMfa(Sts sts, List<Row> rows)
        {
            const string s = "Role without MFA (readonly <- bob)";
            var (sandbox, rs) = Fresh(sts, Config(sts));
            using (sandbox)
            using (rs)
            {
                rows.Add(Count(sts, s, "first call", 1, () => rs.Run("$null = Get-AwsVaultSession readonly")));
                rows.Add(Count(sts, s, "later call, same process", 0, () => rs.Run("$null = Get-AwsVaultSession readonly")));
                rows.Add(Count(sts, s, "new process", 1, () => InNewProcess(sandbox, sts, "$null = Get-AwsVaultSession readonly")));
            }
        }

        private static void Refresh(Sts sts, List<Row> rows)
        {
            const string s = "-Refresh with cached sessions";
            var (sandbox, rs) = Fresh(sts, Config(sts));
            using (sandbox)
            using (rs)
            {
                rs.Run("$null = Get-AwsVaultSession admin -MfaToken " + sts.NextAliceCode());
                rows.Add(Count(sts, s, "alice -Refresh", 1, () => rs.Run("$null = Get-AwsVaultSession alice -Refresh -MfaToken " + sts.NextAliceCode())));
                rows.Add(Count(sts, s, "admin -Refresh", 2, () => rs.Run("$null = Get-AwsVaultSession admin -Refresh -MfaToken " + sts.NextAliceCode())));
                rows.Add(Count(sts, s, "admin after -Refresh", 0, () => rs.Run("$null = Get-AwsVaultSession admin")));
            }
        }

        private static void CredentialProcessParallel(Sts sts, List<Row> rows)
        {
            const string s = "credential_process x8 in parallel (alice, mfa_process)";
            // One code for the whole wave: a second GetSessionToken would have to send it again and be refused,
            // so any duplicate fetch shows up as a call (and an error) here.
            string code = sts.NextAliceCode();
            string counterFile = Path.Combine(Path.GetTempPath(), "awsvault-bench-mfa-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            string mfaProcess = "mfa_process = echo run >> '" + counterFile + "'; echo " + code + "\n";
            var (sandbox, rs) = Fresh(sts, Config(sts, mfaProcess));
            using (sandbox)
            using (rs)
            {
                string script = "Export-AwsVaultSession alice -Format CredentialProcess";
                Action wave = () => Task.WaitAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => InNewProcess(sandbox, sts, script))).ToArray());
                var first = Count(sts, s, "8 processes, nothing cached", 1, wave);
                first.MfaCodes = File.Exists(counterFile) ? File.ReadAllLines(counterFile).Length : 0;
                rows.Add(first);
                var second = Count(sts, s, "8 more, session in the vault", 0, wave);
                second.MfaCodes = (File.Exists(counterFile) ? File.ReadAllLines(counterFile).Length : 0) - first.MfaCodes;
                rows.Add(second);
            }
            try { File.Delete(counterFile); } catch (IOException) { }
        }

        private static string Format(List<Row> rows)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| Scenario | Step | STS calls | Expected (aws-vault) | Calls made | MFA codes asked |");
            sb.AppendLine("|---|---|---:|---:|---|---:|");
            foreach (var r in rows)
            {
                sb.Append("| ").Append(r.Scenario).Append(" | ").Append(r.Step).Append(" | ").Append(r.Calls)
                  .Append(r.Calls == r.Expected ? "" : " **(!)**").Append(" | ").Append(r.Expected).Append(" | ").Append(r.Actions)
                  .Append(" | ").Append(r.MfaCodes < 0 ? "" : r.MfaCodes.ToString()).AppendLine(" |");
            }
            return sb.ToString();
        }
    }
}
