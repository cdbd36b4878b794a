using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.EndToEnd
{
    /// <summary>
    /// The module in separate PowerShell processes (tests/PwshHost: pwsh built from Microsoft.PowerShell.SDK) and the real AWS CLI v2,
    /// against the STS emulator: what a user's shell, a CI agent and credential_process see.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class EndToEndTests
    {
        private static string Cli => StsEmulator.ChildProcess.AwsCli;

        private static string Import => "Import-Module " + PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + "; ";

        /// <summary>The environment of a child PowerShell for this fixture: same HOME, config, vault and STS, CI=true.</summary>
        internal static Dictionary<string, string> ChildEnvironment(SessionFixture f) => new Dictionary<string, string>
        {
            ["HOME"] = f.Env.Home,
            ["AWS_CONFIG_FILE"] = f.Env.ConfigFile,
            ["AWS_VAULT_FILE_DIR"] = f.Env.VaultDirectory,
            ["AWS_VAULT_BACKEND"] = "file",
            ["AWS_VAULT_FILE_PASSPHRASE"] = Harness.TestEnvironment.Passphrase,
            ["AWS_ENDPOINT_URL_STS"] = f.Sts.Endpoint,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(f.Env.Root, "no-credentials"),
            ["CI"] = "true",
        };

        internal static async Task<HostResult> Pwsh(SessionFixture f, string script, string stdin = null, Dictionary<string, string> extra = null)
        {
            var env = ChildEnvironment(f);
            if (extra != null) foreach (var kv in extra) env[kv.Key] = kv.Value;
            var psi = PwshHostProcess.StartInfo(env, "-NoProfile", "-NonInteractive", "-Command", script);
            return await PwshHostProcess.Start(psi, stdin).WaitAsync(TimeSpan.FromSeconds(120));
        }

        private static void AssertNoSecret(SessionFixture f, string text)
        {
            Assert.DoesNotContain(EmulatedSts.AliceSecret, text);
            Assert.DoesNotContain(EmulatedSts.BobSecret, text);
            Assert.DoesNotContain(Harness.TestEnvironment.Passphrase, text);
            foreach (var s in f.World.Sessions)
            {
                Assert.DoesNotContain(s.SecretAccessKey, text);
                Assert.DoesNotContain(s.SessionToken, text);
            }
        }

        [Fact]
        public async Task ASessionFromOneProcessIsReusedByTheNextWithoutStsOrMfa()
        {
            using var f = new SessionFixture();
            var first = await Pwsh(f, Import + "(Get-AwsVaultSession alice -MfaToken " + f.Code() + ").AccessKeyId");
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Single(f.World.Calls);

            var second = await Pwsh(f, Import + "(Get-AwsVaultSession alice).AccessKeyId");
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Equal(first.StdOut.Trim(), second.StdOut.Trim());
            Assert.StartsWith("ASIA", second.StdOut.Trim());
            Assert.Single(f.World.Calls);
        }

        [Fact]
        public async Task AnOlderAwsSdkLoadedFirstChangesNothing()
        {
            using var f = new SessionFixture();
            string root = typeof(EndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value;
            string oldCore = Path.Combine(root, "awssdk.core", "3.7.402", "lib", "netcoreapp3.1", "AWSSDK.Core.dll");
            Assert.True(File.Exists(oldCore), oldCore);
            var r = await Pwsh(f,
                "$old = [System.Reflection.Assembly]::LoadFrom(" + PwshHostProcess.Quote(oldCore) + "); " +
                "'preloaded:' + $old.GetName().Version; " + Import +
                "'session:' + (Get-AwsVaultSession admin -MfaToken " + f.Code() + ").AccessKeyId; " +
                "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { 'loaded:' + $_.GetName().Version }");
            Assert.True(r.ExitCode == 0, r.ToString());
            var lines = r.StdOut.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            Assert.Contains("preloaded:3.3.0.0", lines);
            Assert.Contains(lines, l => l.StartsWith("session:ASIA"));
            Assert.Contains("loaded:3.3.0.0", lines);
            Assert.Contains("loaded:4.0.0.0", lines);
            Assert.Equal(new[] { "GetSessionToken", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
        }

        [Fact]
        public void TheAwsCliSeesTheSessionInsideTheScriptBlockAndTheEnvironmentIsBackAfterwards()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_PROFILE", "before");
            var before = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value);
            var r = f.Ps.Run("Invoke-AwsVault admin -MfaToken " + f.Code() + " { & '" + Cli + "' sts get-caller-identity --endpoint-url " + f.Sts.Endpoint.TrimEnd('/') + " --output json }").ThrowIfErrors();
            var arn = JsonDocument.Parse(string.Join("\n", r.Output)).RootElement.GetProperty("Arn").GetString();
            Assert.StartsWith("arn:aws:sts::" + EmulatedSts.RoleAccount + ":assumed-role/Admin/", arn);
            Assert.Equal(arn, f.World.CallsTo("GetCallerIdentity").Single().CallerArn);
            var after = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value);
            Assert.Equal(before, after);
            Assert.Equal("before", Environment.GetEnvironmentVariable("AWS_PROFILE"));
            Assert.Null(Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"));
        }

        [Fact]
        public void TheAwsCliSeesTheSessionAsAChildProcess()
        {
            using var f = new SessionFixture();
            string output = Path.Combine(f.Env.Root, "arn.txt");
            var r = f.Ps.Run("Invoke-AwsVault admin -MfaToken " + f.Code() + " -- sh -c '\"" + Cli + "\" sts get-caller-identity --endpoint-url " +
                             f.Sts.Endpoint.TrimEnd('/') + " --output text --query Arn > \"" + output + "\"'; $LASTEXITCODE").ThrowIfErrors();
            Assert.Equal("0", r.Output.Single().ToString());
            Assert.StartsWith("arn:aws:sts::" + EmulatedSts.RoleAccount + ":assumed-role/Admin/", File.ReadAllText(output).Trim());
            Assert.Null(Environment.GetEnvironmentVariable("AWS_VAULT"));
        }

        [Fact]
        public async Task TheAwsCliAcceptsCredentialProcessAndParallelCallsShareOneFetchAndOneCode()
        {
            using var f = new SessionFixture();
            string counter = Path.Combine(f.Env.Root, "mfa-process-runs");
            string host = PwshHostProcess.HostPath;
            f.Env.WriteConfig(f.DefaultConfig.Replace("[profile alice]\n",
                "[profile alice]\nmfa_process = echo run >> '" + counter + "'; /usr/bin/oathtool --totp -b " + f.Sts.AliceMfa.Base32Secret + "\n") +
                "\n[profile via-awsvault]\nregion = us-east-1\ncredential_process = " + host +
                " -NoProfile -NonInteractive -Command \"" + Import + "Export-AwsVaultSession alice -Format CredentialProcess\"\n");

            // Eight CLIs at once on a vault without sessions, as Terraform with many providers starts them.
            var env = ChildEnvironment(f);
            var runs = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                var all = new Dictionary<string, string>(env) { ["AWS_PROFILE"] = "via-awsvault" };
                all.Remove("AWS_SHARED_CREDENTIALS_FILE");
                return RunCli(f, all);
            })).ToArray();
            var results = await Task.WhenAll(runs);
            foreach (var (exit, stdout, stderr) in results)
            {
                Assert.True(exit == 0, stderr);
                Assert.Equal("arn:aws:iam::111122223333:user/alice", stdout.Trim());
            }
            Assert.Single(f.World.CallsTo("GetSessionToken"));
            Assert.True(f.World.CallsTo("GetSessionToken").Single().UsedMfa);
            Assert.Equal(8, f.World.CallsTo("GetCallerIdentity").Count);
            Assert.Single(File.ReadAllLines(counter));

            // The JSON itself, now from the cached session: exactly one line with the five fields.
            var single = await Pwsh(f, Import + "Export-AwsVaultSession alice -Format CredentialProcess");
            Assert.True(single.ExitCode == 0, single.ToString());
            string line = Assert.Single(single.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal(new[] { "Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration" }, json.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(1, json.GetProperty("Version").GetInt32());
            Assert.Equal(string.Empty, single.StdErr.Trim());
            Assert.Single(f.World.CallsTo("GetSessionToken"));
        }

        private static (int, string, string) RunCli(SessionFixture f, Dictionary<string, string> env)
        {
            var psi = new System.Diagnostics.ProcessStartInfo(Cli) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in new[] { "sts", "get-caller-identity", "--endpoint-url", f.Sts.Endpoint.TrimEnd('/'), "--output", "text", "--query", "Arn" }) psi.ArgumentList.Add(a);
            foreach (string name in psi.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k == "CI" || k == "PSModulePath").ToList()) psi.Environment.Remove(name);
            foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            psi.Environment["AWS_MAX_ATTEMPTS"] = "1";
            using var p = System.Diagnostics.Process.Start(psi);
            p.StandardInput.Close();
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(180_000)) { p.Kill(true); throw new TimeoutException("aws did not finish"); }
            return (p.ExitCode, o.Result, e.Result);
        }

        [Fact]
        public async Task AFailedCredentialProcessExportExitsNonZeroWithNothingOnStdout()
        {
            using var f = new SessionFixture();
            // NormalView: pwsh's default ConciseView shows the message without the error id this test reads.
            const string normalView = "$ErrorView = 'NormalView'; ";
            var r = await Pwsh(f, normalView + Import + "Export-AwsVaultSession nosuchprofile -Format CredentialProcess");
            Assert.NotEqual(0, r.ExitCode);
            Assert.Equal(string.Empty, r.StdOut.Trim());
            Assert.Contains("ProfileNotFound", r.StdErr);

            var noCode = await Pwsh(f, normalView + Import + "Export-AwsVaultSession alice -Format CredentialProcess");
            Assert.NotEqual(0, noCode.ExitCode);
            Assert.Equal(string.Empty, noCode.StdOut.Trim());
            Assert.Contains("MfaTokenRequired", noCode.StdErr);
            Assert.True(noCode.Elapsed < TimeSpan.FromSeconds(60), noCode.ToString());
        }

        [Fact]
        public async Task EnterAwsVaultShellRunsAShellWithTheSession()
        {
            using var f = new SessionFixture();
            var r = await Pwsh(f, Import + "Enter-AwsVaultShell bob -Shell /bin/sh; 'exit:' + $LASTEXITCODE", stdin: "env\nexit 3\n");
            Assert.True(r.ExitCode == 0, r.ToString());
            var issued = f.World.Sessions.Single();
            Assert.Contains("AWS_VAULT=bob", r.StdOut);
            Assert.Contains("AWS_ACCESS_KEY_ID=" + issued.AccessKeyId, r.StdOut);
            Assert.Contains("AWS_SESSION_TOKEN=", r.StdOut);
            Assert.Contains("AWS_REGION=us-west-2", r.StdOut);
            Assert.Contains("exit:3", r.StdOut);
            Assert.Contains("with the credentials of profile 'bob'", r.StdErr);

            var quiet = await Pwsh(f, Import + "Enter-AwsVaultShell bob -Shell /bin/sh", stdin: "exit 0\n", extra: new Dictionary<string, string> { ["AWS_VAULT_DISABLE_HELP_MESSAGE"] = "1" });
            Assert.True(quiet.ExitCode == 0, quiet.ToString());
            Assert.Equal(string.Empty, quiet.StdErr.Trim());
        }

        [Fact]
        public async Task ACiAgentRunsEndToEndWithoutPromptsOrSecretsInAnyStream()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig.Replace("[profile alice]\n", "[profile alice]\nmfa_process = /usr/bin/oathtool --totp -b " + f.Sts.AliceMfa.Base32Secret + "\n"));
            string script = Import +
                "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " +
                "Invoke-AwsVault admin { & '" + Cli + "' sts get-caller-identity --endpoint-url " + f.Sts.Endpoint.TrimEnd('/') + " --output text --query Arn } -Verbose; " +
                "Invoke-AwsVault bob -- '" + Cli + "' sts get-caller-identity --endpoint-url " + f.Sts.Endpoint.TrimEnd('/') + " --output text --query Arn; " +
                "Get-AwsVaultSession admin -Verbose; Get-AwsVaultProfile -Verbose";
            var r = await Pwsh(f, script, stdin: "");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains(":assumed-role/Admin/", r.StdOut);
            Assert.Contains("arn:aws:iam::111122223333:user/bob", r.StdOut);
            Assert.Contains("VERBOSE:", r.StdOut + r.StdErr);
            Assert.DoesNotContain("Enter MFA code", r.StdOut + r.StdErr);
            AssertNoSecret(f, r.StdOut + r.StdErr);
        }
    }
}
