using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using AwsVault.Output;

namespace AwsVault.Tests.MultiProcess
{
    /// <summary>
    /// Issue #10 items 3, 4 and 11 in separate PowerShell processes (tests/PwshHost): a locked SecretStore under CI,
    /// parallel credential_process calls on a SecretManagement vault that shows other processes' writes late (as
    /// SecretStore does), and a session cleared by another process while this one remembers it.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class SecretManagementProcessTests
    {
        private static string Import => "Import-Module " + PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + "; ";

        /// <summary>The fixture's STS and config, the SecretManagement backend through the stand-in, whose
        /// registrations the children read from <paramref name="registry"/>, and CI=true.</summary>
        private static Dictionary<string, string> SecretManagementChild(SessionFixture f, string registry) => new Dictionary<string, string>
        {
            ["HOME"] = f.Env.Home,
            ["AWS_CONFIG_FILE"] = f.Env.ConfigFile,
            ["AWS_VAULT_BACKEND"] = "secretmanagement",
            ["AWS_VAULT_SECRETMANAGEMENT_VAULT"] = "S",
            ["AWS_ENDPOINT_URL_STS"] = f.Sts.Endpoint,
            ["PSModulePath"] = StandInModule.TestModulesDirectory,
            [StandInModule.RegistryEnvironmentVariable] = registry,
            ["CI"] = "true",
        };

        /// <summary>Registers vault S with <paramref name="parameters"/> in a registry file the children share.</summary>
        private static string RegisterShared(SessionFixture f, string parameters)
        {
            string registry = Path.Combine(f.Env.Root, "vault-registry");
            f.Env.Set(StandInModule.RegistryEnvironmentVariable, registry);
            StandInModule.Reset();
            using var ps = StandInModule.NewSession();
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters " + parameters).ThrowIfErrors();
            return registry;
        }

        [Fact]
        public async Task UnderCiALockedSecretStoreFailsAtOnceWithoutAskingForItsPassword()
        {
            using var f = new SessionFixture(storeKeys: false);
            try
            {
                string dir = Path.Combine(f.Env.Root, "sm-vault");
                string registry = RegisterShared(f, "@{ Path = '" + dir + "'; Locked = $true; Password = 'pw'; Interaction = 'Prompt' }");
                // The password is on stdin: a prompt would be answered and the key stored.
                var psi = PwshHostProcess.StartInfo(SecretManagementChild(f, registry), "-NoProfile", "-Command",
                    Import + "$ErrorView = 'NormalView'; Add-AwsVaultProfile dev -AccessKeyId " + ProfileCommandsTestsKeys.KeyId + " -SecretAccessKey ([System.Net.NetworkCredential]::new('', '" + ProfileCommandsTestsKeys.Secret + "').SecurePassword)");
                var r = await PwshHostProcess.Start(psi, "pw\n").WaitAsync(PwshHostProcess.DefaultTimeout);

                Assert.False(r.TimedOut, r.ToString());
                Assert.True(r.ExitCode != 0, r.ToString());
                Assert.Contains("SecretVaultLocked", r.StdErr);
                Assert.Contains("Unlock-SecretStore", r.StdErr);
                Assert.DoesNotContain("requires a password", r.StdOut + r.StdErr);
                Assert.False(Directory.Exists(dir) && Directory.GetFiles(dir).Length > 0, "a secret was written");
            }
            finally
            {
                StandInModule.Reset();
            }
        }

        [Fact]
        public async Task ParallelCredentialProcessCallsShareOneMfaSessionOnAVaultThatShowsWritesLate()
        {
            using var f = new SessionFixture(storeKeys: false);
            try
            {
                string dir = Path.Combine(f.Env.Root, "sm-vault");
                // SecretStore shows another process's write 5 s after it; 3 s here keeps the test short.
                string registry = RegisterShared(f, "@{ Path = '" + dir + "'; RefreshDelay = 3 }");
                f.Env.Set("AWS_VAULT_BACKEND", "secretmanagement");
                f.Env.Set("AWS_VAULT_SECRETMANAGEMENT_VAULT", "S");
                f.Env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
                using (var ps = new PowerShellSession())
                {
                    ps.Run(Commands.ProfileCommandsTests.AddScript("alice", EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, "-AddConfig:$false")).ThrowIfErrors();
                }
                string counter = Path.Combine(f.Env.Root, "mfa-process-runs");
                f.Env.WriteConfig(f.DefaultConfig.Replace("[profile alice]\n",
                    "[profile alice]\nmfa_process = echo run >> '" + counter + "'; /usr/bin/oathtool --totp -b " + f.Sts.AliceMfa.Base32Secret + "\n"));
                f.World.ClearCalls();

                var env = SecretManagementChild(f, registry);
                var runs = Enumerable.Range(0, 5).Select(_ => PwshHostProcess.Start(PwshHostProcess.StartInfo(env, "-NoProfile", "-NonInteractive", "-Command",
                    Import + "Export-AwsVaultSession alice -Format CredentialProcess")).WaitAsync(TimeSpan.FromSeconds(120))).ToArray();
                var results = await Task.WhenAll(runs);

                var keys = new HashSet<string>();
                foreach (var r in results)
                {
                    Assert.True(r.ExitCode == 0, r.ToString());
                    keys.Add(JsonDocument.Parse(r.StdOut.Trim()).RootElement.GetProperty("AccessKeyId").GetString());
                }
                Assert.Single(keys);
                Assert.Single(f.World.CallsTo("GetSessionToken"));
                Assert.True(f.World.CallsTo("GetSessionToken").Single().UsedMfa);
                Assert.Single(File.ReadAllLines(counter));
            }
            finally
            {
                StandInModule.Reset();
            }
        }

        [Theory]
        [InlineData("file")]
        [InlineData("secretmanagement")]
        public async Task ASessionClearedByAnotherProcessIsNotServedFromThisOnesMemory(string backend)
        {
            using var f = new SessionFixture(storeKeys: false);
            try
            {
                var child = new Dictionary<string, string>
                {
                    ["HOME"] = f.Env.Home,
                    ["AWS_CONFIG_FILE"] = f.Env.ConfigFile,
                    ["AWS_ENDPOINT_URL_STS"] = f.Sts.Endpoint,
                    ["CI"] = "true",
                };
                if (backend == "file")
                {
                    child["AWS_VAULT_BACKEND"] = "file";
                    child["AWS_VAULT_FILE_DIR"] = f.Env.VaultDirectory;
                    child["AWS_VAULT_FILE_PASSPHRASE"] = TestEnvironment.Passphrase;
                }
                else
                {
                    string registry = RegisterShared(f, "@{ Path = '" + Path.Combine(f.Env.Root, "sm-vault") + "' }");
                    child = SecretManagementChild(f, registry);
                    f.Env.Set("AWS_VAULT_BACKEND", "secretmanagement");
                    f.Env.Set("AWS_VAULT_SECRETMANAGEMENT_VAULT", "S");
                    f.Env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
                }
                // Window A: this process.
                using var windowA = new PowerShellSession();
                windowA.Run(Commands.ProfileCommandsTests.AddScript("bob", EmulatedSts.BobKeyId, EmulatedSts.BobSecret, "-AddConfig:$false")).ThrowIfErrors();
                f.World.ClearCalls();
                string first = windowA.Run("(Get-AwsVaultSession bob).AccessKeyId").ThrowIfErrors().Output.Single().ToString();
                Assert.Equal(first, windowA.Run("(Get-AwsVaultSession bob).AccessKeyId").ThrowIfErrors().Output.Single().ToString());
                Assert.Single(f.World.CallsTo("GetSessionToken"));

                // Window B: another process clears the session.
                var clear = await PwshHostProcess.RunAsync(child, "-NoProfile", "-Command", Import + "Clear-AwsVaultSession bob");
                Assert.True(clear.ExitCode == 0, clear.ToString());

                string after = windowA.Run("(Get-AwsVaultSession bob).AccessKeyId").ThrowIfErrors().Output.Single().ToString();
                Assert.NotEqual(first, after);
                Assert.Equal(2, f.World.CallsTo("GetSessionToken").Count);
            }
            finally
            {
                StandInModule.Reset();
            }
        }
    }

    internal static class ProfileCommandsTestsKeys
    {
        public const string KeyId = Commands.ProfileCommandsTests.KeyId;
        public const string Secret = Commands.ProfileCommandsTests.Secret;
    }
}
