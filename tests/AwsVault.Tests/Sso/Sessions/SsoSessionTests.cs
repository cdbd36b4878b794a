using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AwsVault.Output;
using AwsVault.Storage;
using AwsVault.Tests.Harness;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.SsoEmulator;
using AwsVault.Tests.Sts.Sso;
using Xunit;

namespace AwsVault.Tests.Sso.Sessions
{
    /// <summary>
    /// SSO profiles through the commands a user runs, against the emulator: the sign-in (browser with PKCE, device
    /// code, refresh, the AWS CLI's cache), role credentials cached like other sessions across processes, chains
    /// through an SSO profile, and the non-interactive failure.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class SsoSessionTests
    {
        private static string Cli => AwsVault.Tests.StsEmulator.ChildProcess.AwsCli;

        private static async Task<HostResult> Pwsh(SsoFixture f, string script, bool ci = false)
        {
            var psi = PwshHostProcess.StartInfo(f.ChildEnvironment(ci), "-NoProfile", "-Command", "$ErrorView = 'NormalView'; " + script);
            return await PwshHostProcess.Start(psi).WaitAsync(TimeSpan.FromSeconds(120));
        }


        [Fact]
        public async Task ABrowserSignInWithConnectServesTheNextProcessWithoutOidcAndTheThirdMakesNoCallAtAll()
        {
            using var f = new SsoFixture(openRunspace: false);

            var first = await Pwsh(f, "Connect-AwsVaultSso -ProfileName dev");
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Equal(1, f.BrowserOpenings);
            Assert.Equal(new[] { "RegisterClient", "Authorize", "CreateToken" }, f.World.Calls.Where(c => c.Service == SsoCall.OidcService).Select(c => c.Action).ToArray());
            Assert.Equal("authorization_code", f.World.CallsTo("CreateToken").Single().GrantType);
            Assert.Equal(0, f.RoleCredentialCalls);
            f.World.ClearCalls();

            var second = await Pwsh(f, "(Get-AwsVaultSession dev).AccessKeyId");
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Equal(0, f.OidcCalls);
            var grc = f.World.CallsTo("GetRoleCredentials").Single();
            Assert.Equal((EmulatedSso.Dev, "ReadOnly"), (grc.AccountId, grc.RoleName));
            Assert.Equal(grc.IssuedAccessKeyId, second.StdOut.Trim());

            var third = await Pwsh(f, "(Get-AwsVaultSession dev).AccessKeyId");
            Assert.True(third.ExitCode == 0, third.ToString());
            Assert.Equal(second.StdOut.Trim(), third.StdOut.Trim());
            Assert.Single(f.World.Calls);
            Assert.Equal(1, f.BrowserOpenings);
        }

        [Fact]
        public void TheDeviceCodeSignInShowsTheUserCodeAndWaitsOutTwoPendingPolls()
        {
            using var f = new SsoFixture();
            f.Env.Set("BROWSER", "none");
            f.World.PendingPolls = 2;

            var r = f.Ps.Run("Get-AwsVaultSession dev").ThrowIfErrors();

            var session = (AwsVaultSession)r.Output.Single().BaseObject;
            var device = f.World.DeviceAuthorizations.Single();
            string transcript = f.Host.ScriptedUI.Transcript.ToString();
            Assert.Contains(device.UserCode, transcript);
            Assert.Contains(f.Sso.Endpoint.TrimEnd('/') + "/device", transcript);
            var polls = f.World.CallsTo("CreateToken");
            Assert.Equal(new[] { "AuthorizationPendingException", "AuthorizationPendingException", null }, polls.Select(c => c.ErrorCode).ToArray());
            Assert.All(polls, c => Assert.Equal(SsoWorld.DeviceCodeGrant, c.GrantType));
            Assert.Equal(f.World.CallsTo("GetRoleCredentials").Single().IssuedAccessKeyId, session.AccessKeyId);
            Assert.Equal(0, f.BrowserOpenings);
        }

        [Fact]
        public void AnAccessTokenNearItsExpiryIsRefreshedWithoutABrowser()
        {
            using var f = new SsoFixture();
            // Inside the 5-minute margin at once: the next command must refresh it.
            f.World.AccessTokenLifetime = TimeSpan.FromMinutes(4);
            f.Ps.Run("Get-AwsVaultSession dev").ThrowIfErrors();
            Assert.Equal(1, f.BrowserOpenings);
            f.World.ClearCalls();

            f.Ps.Run("Get-AwsVaultSession dev-admin").ThrowIfErrors();

            Assert.Equal(1, f.BrowserOpenings);
            Assert.Equal(new[] { "sso-oauth CreateToken refresh_token -> 200" }, f.World.Calls.Where(c => c.Service == SsoCall.OidcService).Select(c => c.ToString()).ToArray());
            Assert.Equal("Admin", f.World.CallsTo("GetRoleCredentials").Single().RoleName);
        }

        [Fact]
        public void ATokenRevokedAtThePortalIsSetAsideAndRefreshed()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Get-AwsVaultSession dev").ThrowIfErrors();
            string token = f.World.Tokens.Single().AccessToken;
            f.World.ExpireAccessToken(token);
            f.World.ClearCalls();

            var r = f.Ps.Run("Get-AwsVaultSession dev-admin -Verbose").ThrowIfErrors();

            Assert.Equal(new[] { "GetRoleCredentials -> 401 UnauthorizedException", "CreateToken refresh_token -> 200", "GetRoleCredentials -> 200" },
                f.World.Calls.Select(c => c.Action + (c.GrantType != null ? " " + c.GrantType : "") + " -> " + c.HttpStatus + (c.ErrorCode != null ? " " + c.ErrorCode : "")).ToArray());
            Assert.Equal(1, f.BrowserOpenings);
            Assert.Contains(r.Verbose, v => v.Contains("refused the access token"));
        }

        [Fact]
        public void ATokenTheAwsCliCachedIsUsedAndNothingIsWrittenThere()
        {
            using var f = new SsoFixture();
            var signedIn = f.Sso.SignIn().GetAwaiter().GetResult();
            var client = f.World.Clients.Last();
            string dir = Path.Combine(f.Env.Home, ".aws", "sso", "cache");
            Directory.CreateDirectory(dir);
            string file = Path.Combine(dir, Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(SsoFixture.Session))).ToLowerInvariant() + ".json");
            // What `aws sso login --sso-session corp` writes (botocore's SSOTokenFetcher with an sso-session).
            File.WriteAllText(file, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["startUrl"] = EmulatedSso.StartUrl,
                ["region"] = "us-east-1",
                ["accessToken"] = signedIn.AccessToken,
                ["expiresAt"] = DateTime.UtcNow.AddSeconds(signedIn.ExpiresIn ?? 3600).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["refreshToken"] = signedIn.RefreshToken,
                ["clientId"] = client.ClientId,
                ["clientSecret"] = client.ClientSecret,
                ["registrationExpiresAt"] = DateTime.UtcNow.AddDays(90).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            }));
            byte[] before = File.ReadAllBytes(file);
            DateTime modified = File.GetLastWriteTimeUtc(file);
            f.World.ClearCalls();

            var r = f.Ps.Run("Get-AwsVaultSession dev -Verbose").ThrowIfErrors();

            Assert.Equal(0, f.OidcCalls);
            Assert.Equal(0, f.BrowserOpenings);
            Assert.Equal(1, f.RoleCredentialCalls);
            Assert.Contains(r.Verbose, v => v.Contains("AWS CLI's cached IAM Identity Center token"));
            Assert.Equal(new[] { file }, Directory.GetFiles(dir));
            Assert.Equal(before, File.ReadAllBytes(file));
            Assert.Equal(modified, File.GetLastWriteTimeUtc(file));
            var vault = new FileStore(f.Env.VaultDirectory, new AwsVault.Tests.Storage.FixedPassphrase(TestEnvironment.Passphrase));
            Assert.Empty(vault.ListSsoTokens());
        }

        [Fact]
        public void AnSsoProfileUnderTwoRolesMakesOneGetRoleCredentialsAndTwoAssumeRolesAndTheAwsCliSeesTheLastRole()
        {
            using var f = new SsoFixture();
            var r = f.Ps.Run("Invoke-AwsVault deploy { & '" + Cli + "' sts get-caller-identity --endpoint-url " + f.Sso.Endpoint.TrimEnd('/') + " --output json }").ThrowIfErrors();

            string arn = JsonDocument.Parse(string.Join("\n", r.Output)).RootElement.GetProperty("Arn").GetString();
            Assert.StartsWith("arn:aws:sts::444455556666:assumed-role/Deploy/", arn);
            Assert.Equal(1, f.RoleCredentialCalls);
            var assumes = f.World.Sts.CallsTo("AssumeRole");
            Assert.Equal(new[] { SsoFixture.OpsRoleArn, SsoFixture.DeployRoleArn }, assumes.Select(c => c.Parameters["RoleArn"]).ToArray());
            Assert.Contains("AWSReservedSSO_ReadOnly_", assumes[0].CallerArn);
            Assert.StartsWith("arn:aws:sts::444455556666:assumed-role/Ops/", assumes[1].CallerArn);
            Assert.Equal(arn, f.World.Sts.CallsTo("GetCallerIdentity").Single().CallerArn);
            Assert.Null(Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"));
        }

        [Fact]
        public async Task EightParallelCredentialProcessCallsOnAColdCacheMakeOneGetRoleCredentials()
        {
            using var f = new SsoFixture();
            // A valid sign-in in the vault; dev's role credentials not fetched yet.
            f.Ps.Run("Get-AwsVaultSession dev-admin").ThrowIfErrors();
            string import = "Import-Module " + PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + "; ";
            f.Env.WriteConfig(SsoFixture.Config + "\n[profile via-awsvault]\nregion = us-east-1\ncredential_process = " + PwshHostProcess.HostPath +
                              " -NoProfile -NonInteractive -Command \"" + import + "Export-AwsVaultSession dev -Format CredentialProcess\"\n");
            f.World.ClearCalls();

            var env = f.ChildEnvironment(ci: true);
            env.Remove(PwshHostProcess.ImportVariable);
            env["AWS_PROFILE"] = "via-awsvault";
            env["AWS_EC2_METADATA_DISABLED"] = "true";
            env["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(f.Env.Root, "no-credentials");
            env["AWS_MAX_ATTEMPTS"] = "1";
            env.Remove("AWS_ENDPOINT_URL_STS");
            var runs = Enumerable.Range(0, 8).Select(_ => Task.Run(() => AwsCli(env, "sts", "get-caller-identity", "--endpoint-url", f.Sso.Endpoint.TrimEnd('/'), "--output", "text", "--query", "Arn"))).ToArray();
            var results = await Task.WhenAll(runs);

            foreach (var (exit, stdout, stderr) in results)
            {
                Assert.True(exit == 0, stderr);
                Assert.Contains(":assumed-role/AWSReservedSSO_ReadOnly_", stdout);
            }
            Assert.Equal(1, f.RoleCredentialCalls);
            Assert.Equal(0, f.OidcCalls);
            Assert.Equal(8, f.World.Sts.CallsTo("GetCallerIdentity").Count);
        }

        [Fact]
        public async Task WithoutATokenANonInteractiveCommandFailsAtOnceNamingConnectAwsVaultSso()
        {
            using var f = new SsoFixture(openRunspace: false);
            var r = await Pwsh(f,
                "$watch = [Diagnostics.Stopwatch]::StartNew(); " +
                "try { Get-AwsVaultSession dev -ErrorAction Stop; 'no error' } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category; $_.Exception.Message }; " +
                "'seconds=' + $watch.Elapsed.TotalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture)", ci: true);

            var lines = r.StdOut.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            Assert.True(lines.Count >= 4, r.ToString());
            Assert.StartsWith("SsoSignInRequired,", lines[0]);
            Assert.Equal("AuthenticationError", lines[1]);
            Assert.Contains("Connect-AwsVaultSso -SessionName corp", lines[2]);
            Assert.Contains("CI is set", lines[2]);
            double seconds = double.Parse(lines.Last().Substring("seconds=".Length), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(seconds < 2, "took " + seconds + " s");
            Assert.Empty(f.World.Calls);
            Assert.Equal(0, f.BrowserOpenings);
        }

        [Fact]
        public void PromptNoneInThisProcessAlsoFailsAtOnceForTheLegacyForm()
        {
            using var f = new SsoFixture();
            f.Env.Set("AWS_VAULT_PROMPT", "none");
            var r = f.Ps.RunCatching("Get-AwsVaultSession legacy");
            Assert.NotNull(r.Terminating);
            Assert.Equal("SsoSignInRequired", r.Terminating.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.AuthenticationError, r.Terminating.CategoryInfo.Category);
            Assert.Contains("Connect-AwsVaultSso -ProfileName legacy", r.Terminating.Exception.Message);
            Assert.Contains("AWS_VAULT_PROMPT is 'none'", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void ARoleTheUserIsNotAssignedIsAccessDeniedNamingAccountAndRole()
        {
            using var f = new SsoFixture();
            f.Env.WriteConfig(SsoFixture.Config + "\n[profile prod-admin]\nsso_session = corp\nsso_account_id = " + EmulatedSso.Prod + "\nsso_role_name = Admin\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession prod-admin");
            Assert.NotNull(r.Terminating);
            Assert.Equal("SsoAccessDenied", r.Terminating.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.PermissionDenied, r.Terminating.CategoryInfo.Category);
            Assert.Contains(EmulatedSso.Prod, r.Terminating.Exception.Message);
            Assert.Contains("'Admin'", r.Terminating.Exception.Message);
            Assert.Contains("Get-AwsVaultSsoRole -SessionName corp", r.Terminating.Exception.Message);
        }

        [Fact]
        public void RoleCredentialsAreCachedInTheVaultUnderAwsVaultsSessionType()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Get-AwsVaultSession legacy").ThrowIfErrors();
            var vault = new FileStore(f.Env.VaultDirectory, new AwsVault.Tests.Storage.FixedPassphrase(TestEnvironment.Passphrase));
            var key = vault.ListSessions().Single();
            Assert.Equal(("sso.GetRoleCredentials", "legacy", ""), (key.Type, key.ProfileName, key.MfaSerial));
            Assert.Equal(new[] { EmulatedSso.StartUrl }, vault.ListSsoTokens());
        }

        private static (int, string, string) AwsCli(Dictionary<string, string> env, params string[] args)
        {
            var psi = new System.Diagnostics.ProcessStartInfo(Cli) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            foreach (string name in psi.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k == "CI" || k == "PSModulePath" || k == "BROWSER").ToList()) psi.Environment.Remove(name);
            foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            using var p = System.Diagnostics.Process.Start(psi);
            p.StandardInput.Close();
            var o = p.StandardOutput.ReadToEndAsync();
            var e = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(180_000)) { p.Kill(true); throw new TimeoutException("aws did not finish"); }
            return (p.ExitCode, o.Result, e.Result);
        }
    }
}
