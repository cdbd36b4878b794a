using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AwsVault.Tests.Harness;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.Sso;
using AwsVault.Tests.SsoEmulator;
using AwsVault.Tests.Sts;
using AwsVault.Tests.Sts.Sso;
using Xunit;
using Xunit.Abstractions;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// The leak scan of <see cref="LeakScanTests"/> over what IAM Identity Center adds: every sign-in (browser, device
    /// code, refresh, a revoked token set aside), role credentials and chains through them, exports, the failures,
    /// and a separate process. No access token, refresh token, client secret, device code or role credential may
    /// appear in any stream, error, host text or file outside the vault; Export-AwsVaultSession's output is the one
    /// place role credentials belong.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class SsoLeakScanTests
    {
        private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'; ";

        private readonly ITestOutputHelper _output;
        private readonly List<(string Where, string Text)> _seen = new List<(string, string)>();
        private readonly List<string> _exported = new List<string>();

        public SsoLeakScanTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void NoSsoScenarioShowsATokenClientSecretOrRoleCredential()
        {
            using var f = new SsoFixture();
            f.Env.WriteConfig(SsoFixture.Config +
                "\n[sso-session device]\nsso_start_url = " + EmulatedSso.StartUrl + "\nsso_region = us-east-1\n" +
                "\n[profile by-device]\nsso_session = device\nsso_account_id = " + EmulatedSso.Prod + "\nsso_role_name = ReadOnly\n" +
                "\n[profile prod-admin]\nsso_session = corp\nsso_account_id = " + EmulatedSso.Prod + "\nsso_role_name = Admin\n" +
                "\n[sso-session nobody]\nsso_start_url = " + EmulatedSso.StartUrl + "\nsso_region = us-east-1\n" +
                "\n[profile unsigned]\nsso_session = nobody\nsso_account_id = " + EmulatedSso.Dev + "\nsso_role_name = ReadOnly\n");

            // Successes, every stream on.
            Run(f, "browser sign-in and role credentials", "Get-AwsVaultSession dev -Verbose -Debug | ForEach-Object { $_; $_.ToString(); \"$_\"; $_.PSObject.Properties | ForEach-Object { $_.Name + '=' + $_.Value } }");
            Run(f, "cached role credentials", "Get-AwsVaultSession dev -Verbose -Debug");
            Run(f, "a chain through the SSO profile", "Invoke-AwsVault deploy { 'inside'; $env:AWS_VAULT } -Verbose -Debug");
            Run(f, "child process", "Invoke-AwsVault dev -Verbose -Debug -- sh -c 'echo child ran'; $LASTEXITCODE");
            foreach (string format in new[] { "CredentialProcess", "Env", "ExportEnv", "Ini", "PowerShell" })
            {
                Run(f, "export " + format, "Export-AwsVaultSession ops -Format " + format + " -Verbose -Debug", exportOutput: true);
            }
            f.Env.Set("BROWSER", "none");
            f.World.PendingPolls = 2;
            Run(f, "device-code sign-in", "Get-AwsVaultSession by-device -Verbose -Debug");
            f.Env.Set("BROWSER", f.BrowserScript);
            f.World.ExpireAccessToken(f.World.Tokens.First().AccessToken);
            Run(f, "a revoked token set aside and refreshed", "Get-AwsVaultSession dev-admin -Verbose -Debug");
            Run(f, "clear SSO sessions", "Clear-AwsVaultSession -Verbose -Debug");

            // Failures.
            Fails(f, "a role the user is not assigned", "Get-AwsVaultSession prod-admin -Verbose -Debug", "SsoAccessDenied");
            f.World.Faults.Enqueue("GetRoleCredentials", Sts.Fault.ServerError(), 10);
            Fails(f, "the portal fails", "Get-AwsVaultSession legacy -Verbose -Debug", "SsoCallFailed");
            f.World.Faults.Clear();
            f.World.Decision = SsoUserDecision.Deny;
            Fails(f, "the user denies the sign-in", "Get-AwsVaultSession unsigned -Verbose -Debug", "SsoSignInDenied");
            f.World.Decision = SsoUserDecision.Approve;
            f.Env.Set("AWS_VAULT_PROMPT", "none");
            Fails(f, "nobody can sign in", "Get-AwsVaultSession unsigned -Verbose -Debug", "SsoSignInRequired");
            f.Env.Set("AWS_VAULT_PROMPT", "terminal");

            SeparateProcess(f);

            var watch = new SecretWatch();
            foreach (var token in f.World.Tokens)
            {
                watch.Add("an SSO access token", token.AccessToken);
                if (!string.IsNullOrEmpty(token.RefreshToken)) watch.Add("an SSO refresh token", token.RefreshToken);
            }
            foreach (var client in f.World.Clients) watch.Add("an OIDC client secret", client.ClientSecret);
            foreach (var device in f.World.DeviceAuthorizations) watch.Add("a device code", device.DeviceCode);
            foreach (var issued in f.World.Sts.Sessions)
            {
                watch.Add("a role secret key", issued.SecretAccessKey);
                watch.Add("a role session token", issued.SessionToken);
            }
            Assert.True(f.World.Tokens.Count >= 3, "too few SSO tokens issued to mean much: " + f.World.Tokens.Count);
            Assert.True(f.World.Sts.Sessions.Count >= 6, "too few role sessions issued to mean much: " + f.World.Sts.Sessions.Count);

            _seen.Add(("the host transcript", f.Host.ScriptedUI.Transcript.ToString()));
            foreach (string file in LeakScanTests.FilesOutsideTheVault(f.Env.Root, f.Env.VaultDirectory))
            {
                _seen.Add(("the file " + file, File.ReadAllText(file)));
            }
            foreach (var (where, text) in _seen) watch.AssertAbsent(where, text);
            // The scan can see a secret where one is.
            Assert.Throws<Xunit.Sdk.FailException>(() => watch.AssertAbsent("the intended export output", string.Join("\n", _exported)));
            _output.WriteLine(_seen.Count + " captures scanned for " + watch.Count + " secrets.");
        }

        private void Run(SsoFixture f, string scenario, string script, bool exportOutput = false)
        {
            var r = f.Ps.RunCatching(Loud + script);
            if (r.FirstError != null) Assert.Fail(scenario + " failed: " + ScriptResult.Describe(r.FirstError));
            if (exportOutput) _exported.AddRange(r.Output.Select(o => o.ToString()));
            _seen.Add((scenario, Visible.Of(r, includeOutput: !exportOutput)));
        }

        private void Fails(SsoFixture f, string scenario, string script, string errorId)
        {
            var r = f.Ps.RunCatching(Loud + script);
            Assert.True(r.Terminating != null, scenario + ": expected " + errorId + ", got " + (r.FirstError == null ? "no error" : ScriptResult.Describe(r.FirstError)));
            Assert.StartsWith(errorId + ",", r.Terminating.FullyQualifiedErrorId);
            _seen.Add((scenario + " (" + errorId + ")", Visible.Of(r)));
        }

        private void SeparateProcess(SsoFixture f)
        {
            string script = Loud + "$ErrorView = 'NormalView'; $ErrorActionPreference = 'Continue'; " +
                "Get-AwsVaultSession dev -Refresh -Verbose -Debug; " +
                "Invoke-AwsVault dev -Verbose -Debug -- sh -c 'echo child ran'; " +
                "Enter-AwsVaultShell dev -Shell /bin/true -Verbose -Debug; " +
                "Get-AwsVaultSession unsigned -Verbose -Debug; " +
                "'end'";
            var result = PwshHostProcess.RunAsync(f.ChildEnvironment(ci: true), "-NoProfile", "-NonInteractive", "-Command", script).GetAwaiter().GetResult();
            Assert.False(result.TimedOut, result.ToString());
            Assert.Contains("end", result.StdOut);
            Assert.Contains("child ran", result.StdOut);
            Assert.Contains("SsoSignInRequired", result.StdErr);
            _seen.Add(("a separate process's stdout", result.StdOut));
            _seen.Add(("a separate process's stderr", result.StdErr));
        }
    }
}
