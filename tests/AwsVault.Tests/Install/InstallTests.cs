using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Install
{
    /// <summary>
    /// The README's install as a user runs it: `./build.ps1 -Task Install` in pwsh (the test pwsh, with a
    /// HOME of its own), then new pwsh processes that find AwsVault by name on PSModulePath, without
    /// Import-Module, the way the AWS CLI's credential_process line runs it. And what build.ps1 says when a
    /// step cannot run.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class InstallTests
    {
        private static string BuildScript => Path.Combine(ModuleAssembly.RepoRoot, "build.ps1");

        private static string ModuleVersion =>
            System.Text.RegularExpressions.Regex.Match(File.ReadAllText(ModuleAssembly.ManifestPath), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;

        private static Dictionary<string, string> CliEnvironment(SessionFixture f, bool withPassphrase)
        {
            var env = new Dictionary<string, string>
            {
                ["HOME"] = f.Env.Home,
                ["AWS_CONFIG_FILE"] = f.Env.ConfigFile,
                ["AWS_VAULT_FILE_DIR"] = f.Env.VaultDirectory,
                ["AWS_VAULT_BACKEND"] = "file",
                ["AWS_ENDPOINT_URL_STS"] = f.Sts.Endpoint,
                ["AWS_EC2_METADATA_DISABLED"] = "true",
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(f.Env.Root, "no-credentials"),
                ["AWS_PROFILE"] = "via-awsvault",
                ["AWS_MAX_ATTEMPTS"] = "1",
                ["CI"] = "true",
                ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
                ["POWERSHELL_UPDATECHECK"] = "Off",
                ["NO_COLOR"] = "1",
            };
            if (withPassphrase) env["AWS_VAULT_FILE_PASSPHRASE"] = Harness.TestEnvironment.Passphrase;
            return env;
        }

        private static (int ExitCode, string StdOut, string StdErr) RunCli(SessionFixture f, Dictionary<string, string> env)
        {
            var psi = new System.Diagnostics.ProcessStartInfo(ChildProcess.AwsCli)
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            };
            foreach (var a in new[] { "sts", "get-caller-identity", "--endpoint-url", f.Sts.Endpoint.TrimEnd('/'), "--output", "text", "--query", "Arn" }) psi.ArgumentList.Add(a);
            // Nothing of this process's module path or AWS settings: the CLI and the pwsh it starts see only a
            // user's environment, whose PSModulePath pwsh builds itself from HOME.
            foreach (string name in psi.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k == "CI" || k == "PSModulePath").ToList()) psi.Environment.Remove(name);
            foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            using var p = System.Diagnostics.Process.Start(psi);
            p.StandardInput.Close();
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("aws did not finish"); }
            return (p.ExitCode, o.Result, e.Result);
        }

        [Fact]
        public async Task BuildInstallPutsTheModuleOnPSModulePathSoCredentialProcessFindsItWithoutImportModule()
        {
            using var f = new SessionFixture();
            var home = new Dictionary<string, string> { ["HOME"] = f.Env.Home };

            var install = await PwshHostProcess.RunAsync(home, "-NoProfile", "-NonInteractive", "-File", BuildScript, "-Task", "Install");
            Assert.True(install.ExitCode == 0, install.ToString());
            string installed = Path.Combine(f.Env.Home, ".local", "share", "powershell", "Modules", "AwsVault", ModuleVersion);
            Assert.True(File.Exists(Path.Combine(installed, "AwsVault.psd1")), installed + " has no manifest.\n" + install);
            Assert.Contains("Installed AwsVault " + ModuleVersion + " in " + installed, install.StdOut);
            Assert.Empty(Directory.GetFiles(installed, "*.pdb", SearchOption.AllDirectories));

            // A fresh pwsh with that HOME finds the module by name, from the user module folder, and loads it on
            // first use of a command.
            var found = await PwshHostProcess.RunAsync(home, "-NoProfile", "-NonInteractive", "-Command",
                "(Get-Command Export-AwsVaultSession).Module.ModuleBase; (Get-Module AwsVault).Version.ToString()");
            Assert.True(found.ExitCode == 0, found.ToString());
            Assert.Equal(new[] { installed, ModuleVersion }, PwshHostTests.Lines(found.StdOut));

            // The README's credential_process line, without Import-Module, run by the AWS CLI.
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile via-awsvault]\nregion = us-west-2\ncredential_process = " + PwshHostProcess.HostPath +
                              " -NoProfile -NonInteractive -Command \"Export-AwsVaultSession bob -Format CredentialProcess\"\n");
            var cli = RunCli(f, CliEnvironment(f, withPassphrase: true));
            Assert.True(cli.ExitCode == 0, "aws exit " + cli.ExitCode + "\n" + cli.StdOut + "\n" + cli.StdErr);
            var issued = f.World.Sessions.Single();
            Assert.Equal(issued.Arn, cli.StdOut.Trim());
            Assert.Equal(new[] { "GetSessionToken", "GetCallerIdentity" }, f.World.Calls.Select(c => c.Action).ToArray());

            // Without AWS_VAULT_FILE_PASSPHRASE in the caller's environment the file vault cannot be opened: the
            // CLI fails and shows why, naming the variable (the README says to set it).
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile via-awsvault]\nregion = us-west-2\ncredential_process = " + PwshHostProcess.HostPath +
                              " -NoProfile -NonInteractive -Command \"Export-AwsVaultSession bob -Format CredentialProcess -Refresh\"\n");
            var locked = RunCli(f, CliEnvironment(f, withPassphrase: false));
            Assert.True(locked.ExitCode != 0, locked.StdOut + "\n" + locked.StdErr);
            Assert.Contains("AWS_VAULT_FILE_PASSPHRASE", locked.StdErr);
            Assert.DoesNotContain(Harness.TestEnvironment.Passphrase, locked.StdErr + locked.StdOut);
        }

        [Fact]
        public async Task InstallWithoutABuiltModuleSaysToBuildFirst()
        {
            using var box = new ChildSandbox();
            string emptyRepo = Path.Combine(box.Root, "repo");
            Directory.CreateDirectory(emptyRepo);
            File.Copy(BuildScript, Path.Combine(emptyRepo, "build.ps1"));
            var r = await PwshHostProcess.RunAsync(new Dictionary<string, string> { ["HOME"] = box.Home }, "-NoProfile", "-NonInteractive", "-Command",
                "$ErrorView = 'NormalView'; & " + PwshHostProcess.Quote(Path.Combine(emptyRepo, "build.ps1")) + " -Task Install");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("./build.ps1 -Task Build, Install", r.StdErr);
            Assert.Contains("FullyQualifiedErrorId : ModuleNotBuilt", r.StdErr);
            Assert.Contains("ObjectNotFound", r.StdErr);
            Assert.False(Directory.Exists(Path.Combine(box.Home, ".local", "share", "powershell", "Modules", "AwsVault")));
        }

        [Fact]
        public async Task PackageWithoutPSResourceGetSaysWhatToInstallBeforeBuildingAnything()
        {
            using var box = new ChildSandbox();
            // The test pwsh is the SDK's PowerShell, which has no PSResourceGet, like a pwsh without it installed.
            var r = await PwshHostProcess.RunAsync(new Dictionary<string, string> { ["HOME"] = box.Home }, "-NoProfile", "-NonInteractive", "-Command",
                "$ErrorView = 'NormalView'; if (Get-Command Compress-PSResource, Publish-PSResource -ErrorAction Ignore) { 'PSResourceGet is installed' }; " +
                "& " + PwshHostProcess.Quote(BuildScript) + " -Task Package");
            Assert.DoesNotContain("PSResourceGet is installed", r.StdOut);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("Install-Module Microsoft.PowerShell.PSResourceGet", r.StdErr);
            Assert.Contains("FullyQualifiedErrorId : PSResourceGetMissing", r.StdErr);
            Assert.Contains("NotInstalled", r.StdErr);
            Assert.DoesNotContain("is not recognized", r.StdErr);
            // Checked first: no dotnet build ran.
            Assert.DoesNotContain("Build succeeded", r.StdOut);
        }

        [Fact]
        public async Task OutOnPSModulePathHoldsAwsVaultAndNoSecretManagementStandIn()
        {
            // Whoever puts out/ (or a folder in it) on PSModulePath to use the built module must get the real
            // SecretManagement, or none, never the test stand-in.
            string outDir = Path.Combine(ModuleAssembly.RepoRoot, "out");
            var r = await PwshHostProcess.RunAsync(new Dictionary<string, string> { ["PSModulePath"] = outDir },
                "-NoProfile", "-NonInteractive", "-Command",
                "(Get-Module -ListAvailable AwsVault).Name; " +
                "'standin modules: ' + @(Get-Module -ListAvailable -All Microsoft.PowerShell.SecretManagement).Count; " +
                "'standin files: ' + @(Get-ChildItem " + PwshHostProcess.Quote(outDir) + " -Recurse -File -Filter 'Microsoft.PowerShell.SecretManagement.*').Count");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(new[] { "AwsVault", "standin modules: 0", "standin files: 0" }, PwshHostTests.Lines(r.StdOut));
        }
    }
}
