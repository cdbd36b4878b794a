using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AwsVault.Storage;
using AwsVault.Tests.Harness;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;
using Xunit.Abstractions;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// Every scenario a user can run, successful or failing, with -Verbose and -Debug and every preference at
    /// Continue, and everything visible collected: output objects (their ToString and every property), every
    /// error (message, exception chain with stack traces, details, target, category), warnings, verbose, debug,
    /// information, the host transcript (prompts included), every file written outside the vault, and the
    /// console of separate processes. No long-lived secret key, session secret, session token or passphrase may
    /// appear in any of it. The one exception is Export-AwsVaultSession's output stream, whose purpose is to
    /// print the session's credentials; its other streams are scanned like everything else.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class LeakScanTests
    {
        private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'; ";

        private readonly ITestOutputHelper _output;
        private readonly List<(string Where, string Text)> _seen = new List<(string, string)>();
        private readonly SecretWatch _watch = new SecretWatch();
        private readonly ShiftedClock _clock = new ShiftedClock();
        private readonly List<string> _exported = new List<string>();

        public LeakScanTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void NoScenarioShowsASecretKeySessionTokenOrPassphraseAnywhere()
        {
            using var f = new SessionFixture();
            f.World.TimeProvider = _clock;
            _watch.Add("alice's secret key", EmulatedSts.AliceSecret);
            _watch.Add("bob's secret key", EmulatedSts.BobSecret);
            _watch.Add("the vault passphrase", TestEnvironment.Passphrase);

            var carol = NewKey("carol's secret key");
            var carol2 = NewKey("carol's replacement secret key");
            var mallory = NewKey("a wrong stored secret key");
            var typed = NewKey("a secret key typed at the prompt");
            string badSecret = PwshHostProcess.NewSecretAccessKey().Substring(0, 39) + "!";
            _watch.Add("a malformed secret key given to Add", badSecret);
            string wrongPassphrase = "wrong passphrase " + Guid.NewGuid().ToString("N");
            _watch.Add("a wrong passphrase", wrongPassphrase);
            string typedPassphrase = "typed passphrase " + Guid.NewGuid().ToString("N");
            _watch.Add("a passphrase typed at the prompt", typedPassphrase);
            string processSecret = PwshHostProcess.NewSecretAccessKey();
            _watch.Add("a secret printed by credential_process", processSecret);
            string pastedSecret = PwshHostProcess.NewSecretAccessKey();
            _watch.Add("a secret pasted into the config", pastedSecret);

            string config = f.DefaultConfig +
                "\n[profile bobonly]\nsource_profile = alice\nrole_arn = " + EmulatedSts.BobOnlyArn + "\n" +
                "\n[profile empty]\nregion = eu-west-1\n" +
                "\n[profile cp-long]\ncredential_process = echo '{\"Version\":1,\"AccessKeyId\":\"" + PwshHostProcess.NewAccessKeyId() + "\",\"SecretAccessKey\":\"" + processSecret + "\"}'\n" +
                "\n[profile cp-junk]\ncredential_process = echo 'SecretAccessKey " + processSecret + "'\n" +
                "\n[profile mfa-fail]\nmfa_serial = " + f.Serial + "\nmfa_process = echo " + processSecret + "; exit 3\n" +
                "\n[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Admin\n";
            f.Env.WriteConfig(config);

            // An SSO sign-in kept in the vault next to the keys: no listing, clear or error may show its tokens.
            string ssoAccess = "sso-access-" + Guid.NewGuid().ToString("N"), ssoRefresh = "sso-refresh-" + Guid.NewGuid().ToString("N"), ssoClientSecret = "sso-client-secret-" + Guid.NewGuid().ToString("N");
            _watch.Add("a stored SSO access token", ssoAccess);
            _watch.Add("a stored SSO refresh token", ssoRefresh);
            _watch.Add("a stored SSO client secret", ssoClientSecret);
            new AwsVault.Sso.VaultSsoTokenStore(new FileStore(f.Env.VaultDirectory, new AwsVault.Tests.Storage.FixedPassphrase(TestEnvironment.Passphrase))).Set("https://example.awsapps.com/start", new AwsVault.Sso.SsoStoredToken
            {
                StartUrl = "https://example.awsapps.com/start", Region = "us-east-1", AccessToken = ssoAccess, ExpiresAt = DateTimeOffset.UtcNow.AddHours(8), RefreshToken = ssoRefresh,
                Registration = new AwsVault.Sso.SsoClientRegistration("sso-client-id", ssoClientSecret, DateTimeOffset.UtcNow.AddDays(90)),
            });

            // Successes, with every stream switched on.
            Run(f, "add", AddScript("carol", carol.Id, carol.Secret, "-Verbose -Debug"));
            Run(f, "add over a stored key", AddScript("carol", carol2.Id, carol2.Secret, "-Force -Verbose -Debug"));
            f.Host.ScriptedUI.Answers.Enqueue(typed.Id);
            f.Host.ScriptedUI.Answers.Enqueue(typed.Secret);
            Run(f, "add with prompts", "Add-AwsVaultProfile typed -Verbose -Debug");
            Run(f, "list", "Get-AwsVaultProfile -Verbose -Debug; Get-AwsVaultProfile carol -Verbose -Debug | ForEach-Object { $_; $_.ToString(); \"$_\"; $_.Sessions }");
            Run(f, "session with MFA", "$s = Get-AwsVaultSession alice -MfaToken " + Code(f) + " -Verbose -Debug; $s; $s.ToString(); \"$s\"; [string]$s.SecretAccessKey; $s.PSObject.Properties | ForEach-Object { $_.Name + '=' + $_.Value }");
            Run(f, "role chain with MFA", "Get-AwsVaultSession admin -MfaToken " + Code(f) + " -Refresh -Verbose -Debug");
            Run(f, "role chain without MFA", "Get-AwsVaultSession readonly -Verbose -Debug");
            f.Host.ScriptedUI.Answers.Enqueue(Code(f));
            Run(f, "MFA code typed at the prompt", "Get-AwsVaultSession alice -Refresh -Verbose -Debug");
            Run(f, "long-lived key without a session", "Get-AwsVaultSession bob -NoSession -Verbose -Debug | ForEach-Object { $_; $_.ToString() }");
            Credentials.SessionCacheReset.ForgetMemory();
            Run(f, "session cached in the vault", "Get-AwsVaultSession alice -Verbose -Debug");
            Run(f, "Invoke-AwsVault script block", "Invoke-AwsVault bob { 'inside the block'; $env:AWS_VAULT } -Verbose -Debug");
            Run(f, "Invoke-AwsVault child process", "Invoke-AwsVault bob -Verbose -Debug -- sh -c 'echo child ran'; $LASTEXITCODE");
            Run(f, "Invoke-AwsVault -FilePath", "Invoke-AwsVault bob -FilePath sh -ArgumentList '-c', 'exit 3' -Verbose -Debug; $LASTEXITCODE");
            foreach (string format in new[] { "CredentialProcess", "Env", "ExportEnv", "Ini", "PowerShell" })
            {
                var r = Run(f, "export " + format, "Export-AwsVaultSession readonly -Format " + format + " -Verbose -Debug", exportOutput: true);
                Assert.NotEmpty(r.Output);
            }
            Run(f, "export from a piped session", "Get-AwsVaultSession readonly -Verbose | Export-AwsVaultSession -Format Env -Verbose -Debug", exportOutput: true);
            Run(f, "clear one profile's sessions", "Clear-AwsVaultSession bob -Verbose -Debug");
            Run(f, "clear all sessions", "Clear-AwsVaultSession -Verbose -Debug");
            Run(f, "remove", "Remove-AwsVaultProfile typed -Force -Verbose -Debug");

            // Failures: each must fail, and fail without showing a secret.
            Fails(f, "wrong MFA code", "Get-AwsVaultSession alice -Refresh -Verbose -Debug -MfaToken " + WrongCode(f), "StsAccessDenied");
            string code = Code(f);
            Run(f, "MFA code, first use", "Get-AwsVaultSession alice -Refresh -MfaToken " + code);
            Fails(f, "MFA code reused", "Get-AwsVaultSession alice -Refresh -Verbose -Debug -MfaToken " + code, "MfaTokenAlreadyUsed");
            Fails(f, "MFA code malformed", "Get-AwsVaultSession alice -Refresh -Verbose -Debug -MfaToken 12ab56", "MfaTokenInvalid");
            Run(f, "add a key for the mfa_process profile", AddScript("mfa-fail", EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, "-AddConfig:$false"));
            Fails(f, "mfa_process fails after printing a secret", "Get-AwsVaultSession mfa-fail -Refresh -Verbose -Debug", "MfaProcessFailed");
            Fails(f, "role that does not trust the caller", "Get-AwsVaultSession bobonly -Verbose -Debug", "StsAccessDenied");
            Run(f, mallory.Label, AddScript("mallory", EmulatedSts.BobKeyId, mallory.Secret, "-Verbose -Debug"));
            Fails(f, "stored secret that STS rejects", "Get-AwsVaultSession mallory -Verbose -Debug", "StsSignatureDoesNotMatch");
            var gst = (AwsVaultSession)f.Ps.Run("Get-AwsVaultSession alice -Refresh -MfaToken " + Code(f)).ThrowIfErrors().Output.Single().BaseObject;
            f.World.ExpireSession(gst.AccessKeyId);
            Fails(f, "cached session that STS says has expired", "Get-AwsVaultSession admin -Verbose -Debug", "StsExpiredToken");
            f.World.Faults.AlwaysThrottle("GetSessionToken");
            Fails(f, "STS throttles", "Get-AwsVaultSession bob -Refresh -Verbose -Debug", "StsThrottling");
            f.World.Faults.Clear();
            f.World.Faults.Enqueue("GetSessionToken", Fault.ServerError(503), 10);
            Fails(f, "STS 503", "Get-AwsVaultSession bob -Refresh -Verbose -Debug", "StsServiceUnavailable");
            f.World.Faults.Clear();
            f.Env.Set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + StsFaultTests.UnusedPort() + "/");
            Fails(f, "STS unreachable", "Get-AwsVaultSession bob -Refresh -Verbose -Debug", "StsConnectionFailed");
            f.Env.Set("AWS_ENDPOINT_URL_STS", f.Sts.Endpoint);
            Fails(f, "credential_process returns long-lived keys", "Get-AwsVaultSession cp-long -Verbose -Debug", "CredentialProcessFailed");
            Fails(f, "credential_process prints junk", "Get-AwsVaultSession cp-junk -Verbose -Debug", "CredentialProcessFailed");
            Fails(f, "temporary key given to Add", AddScript("temp", "ASIAIOSFODNN7EXAMPLE", carol.Secret, "-Verbose -Debug"), "TemporaryAccessKeyRejected");
            Fails(f, "malformed secret given to Add", AddScript("temp", carol.Id, badSecret, "-Verbose -Debug"), "InvalidSecretAccessKey");
            Fails(f, "malformed key id given to Add", AddScript("temp", "akia" + carol.Id.Substring(4), carol.Secret, "-Verbose -Debug"), "InvalidAccessKeyId");
            Fails(f, "Add to a profile with source_profile", AddScript("admin", carol.Id, carol.Secret, "-Verbose -Debug"), "ProfileHasSourceProfile");
            Fails(f, "unknown profile", "Get-AwsVaultSession nobody -Verbose -Debug", "ProfileNotFound");
            Fails(f, "profile without credentials", "Get-AwsVaultSession empty -Verbose -Debug", "CredentialsMissing");
            // The stored sign-in's token goes to a portal that is not there: the error must not carry it.
            f.Env.Set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:" + StsFaultTests.UnusedPort() + "/");
            Fails(f, "SSO portal unreachable", "Get-AwsVaultSession sso -Verbose -Debug", "SsoCallFailed");
            f.Env.Set("AWS_ENDPOINT_URL_SSO", null);
            Fails(f, "out-of-range duration", "Get-AwsVaultSession bob -Duration ([TimeSpan]::FromHours(37)) -Verbose -Debug", "InvalidDuration");
            Fails(f, "remove what is not stored", "Remove-AwsVaultProfile nobody -Force -Verbose -Debug", "ProfileKeyNotFound");
            Fails(f, "nested session", "Invoke-AwsVault bob { Invoke-AwsVault bob { 'inner' } -Verbose -Debug }", "NestedSessionRefused");
            Fails(f, "export of a long-lived key", "Export-AwsVaultSession bob -NoSession -Format Env -Verbose -Debug", "ExportOfLongLivedKeyRefused");
            Fails(f, "program not found", "Invoke-AwsVault bob -Verbose -Debug -- no-such-program-for-awsvault", "CommandNotFound");

            // A vault item whose plaintext holds a secret, damaged: the error must not show what it could read.
            var store = new FileStore(f.Env.VaultDirectory, new Commands.FixedPassphrase(TestEnvironment.Passphrase));
            string broken = File.ReadAllText(store.PathFor("carol"));
            File.WriteAllText(store.PathFor("carol"), broken.Substring(0, broken.Length - 30));
            Fails(f, "corrupt item", "Get-AwsVaultSession carol -Verbose -Debug", "VaultItemCorrupt");
            Run(f, "remove the corrupt item", "Remove-AwsVaultProfile carol -Force -Verbose -Debug");

            f.Env.Set("AWS_VAULT_FILE_PASSPHRASE", wrongPassphrase);
            Credentials.SessionCacheReset.ForgetMemory();
            Fails(f, "wrong passphrase on read", "Get-AwsVaultSession bob -Verbose -Debug", "VaultPassphraseIncorrect");
            Fails(f, "wrong passphrase on write", AddScript("carol", carol.Id, carol.Secret, "-Verbose -Debug"), "VaultPassphraseIncorrect");
            f.Env.Set("AWS_VAULT_FILE_PASSPHRASE", null);
            f.Env.Set("CI", "true");
            Fails(f, "no passphrase in CI", "Get-AwsVaultSession bob -Verbose -Debug", "FileVaultPassphraseRequired");
            f.Env.Set("CI", null);

            // A user who pasted a secret into the config by mistake: the syntax error names the line, not its text.
            f.Env.WriteConfig(config + "\n[profile pasted]\naws_secret_access_key " + pastedSecret + "\n");
            Fails(f, "secret pasted into the config", "Get-AwsVaultSession bob -Verbose -Debug", "ConfigSyntaxError");
            f.Env.WriteConfig(config);

            // The passphrase typed at the prompt, in a vault of its own so the prompt cannot be skipped.
            f.Env.Set("AWS_VAULT_FILE_DIR", Path.Combine(f.Env.Root, "typed-vault"));
            f.Host.ScriptedUI.Answers.Enqueue(typedPassphrase);
            f.Host.ScriptedUI.Answers.Enqueue(typedPassphrase); // a new vault asks twice
            int secureReads = f.Host.ScriptedUI.SecureReads;
            Run(f, "passphrase typed at the prompt", AddScript("dave", carol.Id, carol.Secret, "-AddConfig:$false -Verbose -Debug"));
            Assert.Equal(secureReads + 2, f.Host.ScriptedUI.SecureReads);
            f.Env.Set("AWS_VAULT_FILE_DIR", f.Env.VaultDirectory);
            f.Env.Set("AWS_VAULT_FILE_PASSPHRASE", TestEnvironment.Passphrase);

            // Separate processes: the console a user sees (pwsh prints verbose and debug on stdout), and
            // Enter-AwsVaultShell, whose hint goes to the process's stderr.
            SeparateProcess(f);

            foreach (var issued in f.World.Sessions)
            {
                _watch.Add("a session secret key issued by STS", issued.SecretAccessKey);
                _watch.Add("a session token issued by STS", issued.SessionToken);
            }
            Assert.True(f.World.Sessions.Count >= 8, "the scenarios issued too few sessions to mean much: " + f.World.Sessions.Count);
            _seen.Add(("the host transcript (prompts, host output)", f.Host.ScriptedUI.Transcript.ToString()));
            foreach (string file in FilesOutsideTheVault(f.Env.Root, f.Env.VaultDirectory, Path.Combine(f.Env.Root, "typed-vault")))
            {
                string text = File.ReadAllText(file);
                // The config holds what this test wrote into it (a credential_process that prints a secret);
                // what the module appended after that is what is scanned.
                if (file == Path.GetFullPath(f.Env.ConfigFile) && text.StartsWith(config, StringComparison.Ordinal)) text = text.Substring(config.Length);
                _seen.Add(("the file " + file, text));
            }

            foreach (var (where, text) in _seen) _watch.AssertAbsent(where, text);
            // The scan can see a secret where one is: Export-AwsVaultSession's own output holds the session's.
            Assert.Throws<Xunit.Sdk.FailException>(() => _watch.AssertAbsent("the intended export output", string.Join("\n", _exported)));
            _output.WriteLine(_seen.Count + " captures scanned for " + _watch.Count + " secrets (" + f.World.Sessions.Count + " STS sessions).");
        }

        private ScriptResult Run(SessionFixture f, string scenario, string script, bool exportOutput = false)
        {
            var r = f.Ps.RunCatching(Loud + script);
            if (r.FirstError != null) Assert.Fail(scenario + " failed: " + ScriptResult.Describe(r.FirstError));
            if (exportOutput) _exported.AddRange(r.Output.Select(o => o.ToString()));
            // Only the intended output of Export-AwsVaultSession may hold credentials; its other streams may not.
            _seen.Add((scenario, Visible.Of(r, includeOutput: !exportOutput)));
            return r;
        }

        private void Fails(SessionFixture f, string scenario, string script, string errorId)
        {
            var r = f.Ps.RunCatching(Loud + script);
            Assert.True(r.Terminating != null, scenario + ": expected " + errorId + ", got " + (r.FirstError == null ? "no error" : ScriptResult.Describe(r.FirstError)));
            Assert.StartsWith(errorId + ",", r.Terminating.FullyQualifiedErrorId);
            _seen.Add((scenario + " (" + errorId + ")", Visible.Of(r)));
        }

        private void SeparateProcess(SessionFixture f)
        {
            var env = new Dictionary<string, string>
            {
                ["HOME"] = f.Env.Home,
                ["AWS_CONFIG_FILE"] = f.Env.ConfigFile,
                ["AWS_VAULT_FILE_DIR"] = f.Env.VaultDirectory,
                ["AWS_VAULT_BACKEND"] = "file",
                ["AWS_VAULT_FILE_PASSPHRASE"] = TestEnvironment.Passphrase,
                ["AWS_ENDPOINT_URL_STS"] = f.Sts.Endpoint,
                ["CI"] = "true",
            };
            // NormalView: pwsh's default ConciseView shows no error ids, and the scan wants every text pwsh can show.
            string script = Loud + "$ErrorView = 'NormalView'; $ErrorActionPreference = 'Continue'; Import-Module " + PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + "; " +
                "Enter-AwsVaultShell bob -Shell /bin/true -Verbose -Debug; " +
                "Invoke-AwsVault bob -Verbose -Debug -- sh -c 'echo child ran'; " +
                "Get-AwsVaultSession readonly -Refresh -Verbose -Debug; " +
                "Get-AwsVaultSession alice -Refresh -Verbose -Debug; " +
                "Get-AwsVaultSession nobody -Verbose -Debug; " +
                "Export-AwsVaultSession bob -NoSession -Format Env -Verbose -Debug; " +
                "'end'";
            var result = PwshHostProcess.RunAsync(env, "-NoProfile", "-NonInteractive", "-Command", script).GetAwaiter().GetResult();
            Assert.False(result.TimedOut, result.ToString());
            Assert.Contains("end", result.StdOut);
            Assert.Contains("child ran", result.StdOut);
            Assert.Contains("VERBOSE: ", result.StdOut);
            Assert.Contains("MfaTokenRequired", result.StdErr);
            Assert.Contains("ProfileNotFound", result.StdErr);
            _seen.Add(("a separate process's stdout", result.StdOut));
            _seen.Add(("a separate process's stderr", result.StdErr));
        }

        /// <summary>Every file under <paramref name="root"/> and the user runtime folder, except those in the vault folders.</summary>
        internal static IEnumerable<string> FilesOutsideTheVault(string root, params string[] vaults)
        {
            var vaultPrefixes = vaults.Select(v => Path.GetFullPath(v) + Path.DirectorySeparatorChar).ToList();
            var roots = new[] { root, Internal.UserRuntimeDirectory.Path };
            foreach (string folder in roots.Where(Directory.Exists))
            {
                foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                {
                    string full = Path.GetFullPath(file);
                    if (vaultPrefixes.Any(v => full.StartsWith(v, StringComparison.Ordinal))) continue;
                    if (new FileInfo(full).Length > 1024 * 1024) continue;
                    // A Unix domain socket of a .NET named pipe (PowerShell's host IPC pipe, which the SDK opens in
                    // $TMPDIR): nothing is stored in it and it cannot be opened as a file.
                    if (Path.GetFileName(full).StartsWith("CoreFxPipe_", StringComparison.Ordinal)) continue;
                    yield return full;
                }
            }
        }

        private (string Id, string Secret, string Label) NewKey(string label)
        {
            var key = (PwshHostProcess.NewAccessKeyId(), PwshHostProcess.NewSecretAccessKey(), label);
            _watch.Add(label, key.Item2);
            return key;
        }

        /// <summary>An unspent code; the scenarios need more than the three a 30 s window holds, so the emulator's
        /// clock moves on a step when they run out (well inside SigV4's 15 minutes of allowed skew).</summary>
        private string Code(SessionFixture f)
        {
            for (int i = 0; ; i++)
            {
                try
                {
                    return f.Code();
                }
                catch (InvalidOperationException) when (i < 3)
                {
                    _clock.Offset += TimeSpan.FromSeconds(30);
                }
            }
        }

        /// <summary>A code no one has sent lately: AwsVault remembers sent codes across processes for 90 s, and a
        /// fixed wrong code would meet that guard instead of STS.</summary>
        private string WrongCode(SessionFixture f)
        {
            string good = Code(f);
            string wrong;
            do wrong = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1_000_000).ToString("000000");
            while (wrong == good);
            return wrong;
        }
    }
}
