using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AwsVault.Tests.Harness;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.SsoEmulator;
using Xunit;

namespace AwsVault.Tests.Sso.Commands
{
    /// <summary>Connect-AwsVaultSso, Disconnect-AwsVaultSso and Get-AwsVaultSsoRole through PowerShell against the SSO
    /// emulator, with the calls each makes asserted from the emulator's record and every secret it handed out
    /// searched for in the streams and the vault's files.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class SsoCommandTests
    {
        [Fact]
        public void ConnectSignsInThroughTheBrowserOnceAndKeepsTheTokenOnlyEncrypted()
        {
            using var f = new SsoFixture();
            var r = f.Ps.Run("Connect-AwsVaultSso -SessionName corp -PassThru -Verbose").ThrowIfErrors();

            Assert.Single(f.World.CallsTo("RegisterClient"));
            Assert.Single(f.World.CallsTo("CreateToken"));
            Assert.Equal(1, f.BrowserOpenings);
            var info = Assert.Single(r.Output).BaseObject as AwsVault.Output.SsoSignInInfo;
            Assert.NotNull(info);
            Assert.Equal("corp", info.SessionName);
            Assert.Equal(EmulatedSso.StartUrl, info.StartUrl);
            Assert.True(info.ExpiresAt > DateTime.UtcNow.AddHours(1));
            AssertNoSecretAnywhere(f, r.AllText() + f.Ps.Run("$x = Connect-AwsVaultSso -SessionName corp -WhatIf; Get-AwsVaultSsoRole corp | Out-String").AllText());
        }

        [Fact]
        public void ConnectAlwaysSignsInAnewButReusesTheRegistration()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Connect-AwsVaultSso -SessionName corp").ThrowIfErrors();
            f.Ps.Run("Connect-AwsVaultSso -SessionName corp").ThrowIfErrors();
            Assert.Single(f.World.CallsTo("RegisterClient"));
            Assert.Equal(2, f.World.CallsTo("CreateToken").Count);
            Assert.Equal(2, f.BrowserOpenings);
        }

        [Fact]
        public void ConnectWithADeviceCodeShowsTheUserCodeAndWaitsForTheApproval()
        {
            using var f = new SsoFixture();
            f.World.PendingPolls = 2;
            // No browser here (as over SSH): the user enters the code elsewhere, and the polls wait for it.
            f.Env.Set("BROWSER", null);
            f.Env.Set("DISPLAY", null);
            f.Env.Set("WAYLAND_DISPLAY", null);
            var r = f.Ps.Run("Connect-AwsVaultSso dev -UseDeviceCode -PassThru").ThrowIfErrors();
            var device = Assert.Single(f.World.DeviceAuthorizations);
            Assert.Contains(device.UserCode, f.Host.ScriptedUI.Transcript.ToString());
            Assert.True(device.Polls >= 3, "polls: " + device.Polls);
            Assert.Single(r.Output);
            Assert.Equal(0, f.BrowserOpenings);
            AssertNoSecretAnywhere(f, r.AllText());
        }

        [Fact]
        public void ConnectForALegacyProfileKeepsTheTokenUnderTheStartUrl()
        {
            using var f = new SsoFixture();
            var r = f.Ps.Run("Connect-AwsVaultSso -ProfileName legacy -PassThru").ThrowIfErrors();
            var info = (AwsVault.Output.SsoSignInInfo)r.Output[0].BaseObject;
            Assert.Null(info.SessionName);
            Assert.Equal(EmulatedSso.StartUrl, info.StartUrl);
            // The legacy sign-in is its own: the sso-session's listing still needs one.
            f.Env.Set("AWS_VAULT_PROMPT", "none");
            var roles = f.Ps.Run("Get-AwsVaultSsoRole -ProfileName legacy").ThrowIfErrors();
            Assert.Equal(3, roles.Output.Count);
            var corp = f.Ps.RunCatching("Get-AwsVaultSsoRole -SessionName corp");
            Assert.Equal("SsoSignInRequired", corp.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        }

        [Fact]
        public void ConnectWhatIfMakesNoCallAndOpensNoBrowser()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Connect-AwsVaultSso -SessionName corp -WhatIf; Connect-AwsVaultSso dev -WhatIf").ThrowIfErrors();
            Assert.Empty(f.World.Calls);
            Assert.Equal(0, f.BrowserOpenings);
        }

        [Fact]
        public void ANonSsoProfileAndAnUnknownSessionAreClearErrors()
        {
            using var f = new SsoFixture();
            File.AppendAllText(f.Env.ConfigFile, "\n[profile keyed]\nregion = eu-west-1\n");
            var notSso = f.Ps.RunCatching("Connect-AwsVaultSso keyed");
            Assert.Equal("ProfileNotSso", notSso.Terminating.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, notSso.Terminating.CategoryInfo.Category);
            Assert.Contains("sso_session", notSso.Terminating.Exception.Message);

            var unknown = f.Ps.RunCatching("Connect-AwsVaultSso -SessionName crop");
            Assert.Equal("ConfigSsoSessionNotFound", unknown.Terminating.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, unknown.Terminating.CategoryInfo.Category);
            Assert.Contains("corp", unknown.Terminating.Exception.Message);
            Assert.Contains(f.Env.ConfigFile, unknown.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);

            // A role profile on top of an SSO profile means that profile's sign-in.
            f.Ps.Run("Connect-AwsVaultSso ops").ThrowIfErrors();
            Assert.Single(f.World.CallsTo("CreateToken"));
        }

        [Fact]
        public void WithoutANameTheOnlySsoSessionIsUsedAndSeveralAreNamed()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Connect-AwsVaultSso -WhatIf").ThrowIfErrors();
            File.AppendAllText(f.Env.ConfigFile, "\n[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSsoRole");
            Assert.Equal("SsoSessionNameRequired", r.Terminating.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, r.Terminating.CategoryInfo.Category);
            Assert.Contains("corp, other", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void GetSsoRoleListsExactlyTheAssignedRolesAndPipesIntoNewProfiles()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Connect-AwsVaultSso -SessionName corp").ThrowIfErrors();
            var r = f.Ps.Run("Get-AwsVaultSsoRole corp | ForEach-Object { Add-Content -Path $env:AWS_CONFIG_FILE -Value \"`n[profile $($_.ProfileName)]`nsso_session = $($_.SessionName)`nsso_account_id = $($_.AccountId)`nsso_role_name = $($_.RoleName)\"; $_ }").ThrowIfErrors();
            var roles = r.Output.Select(o => (AwsVault.Output.SsoRoleInfo)o.BaseObject).ToList();
            Assert.Equal(new[] { "Dev/Admin", "Dev/ReadOnly", "Prod/ReadOnly" },
                roles.Select(x => x.AccountName + "/" + x.RoleName).OrderBy(s => s, StringComparer.Ordinal).ToArray());
            Assert.All(roles, x => Assert.Equal("corp", x.SessionName));
            Assert.Contains(roles, x => x.ProfileName == "dev-admin" && x.AccountId == EmulatedSso.Dev && x.EmailAddress == "dev@example.com");
            Assert.DoesNotContain(f.World.CallsTo("ListAccountRoles"), c => c.AccountId == EmulatedSso.Empty && c.HttpStatus != 200);
            Assert.Single(f.World.CallsTo("CreateToken"));

            var written = f.Ps.Run("(Get-AwsVaultProfile prod-readonly).ProfileName").ThrowIfErrors();
            Assert.Equal("prod-readonly", Assert.Single(written.Output).ToString());
            var table = f.Ps.Run("Get-AwsVaultSsoRole -AccountId " + EmulatedSso.Prod + " | Out-String").ThrowIfErrors();
            Assert.Contains("ReadOnly", table.Output[0].ToString());
            Assert.DoesNotContain("Admin", table.Output[0].ToString());
        }

        [Fact]
        public void NonInteractiveWithoutATokenFailsAtOnceNamingConnect()
        {
            using var f = new SsoFixture();
            f.Env.Set("AWS_VAULT_PROMPT", null);
            f.Env.Set("CI", "true");
            try
            {
                var watch = Stopwatch.StartNew();
                var r = f.Ps.RunCatching("Get-AwsVaultSsoRole -SessionName corp");
                watch.Stop();
                Assert.Equal("SsoSignInRequired", r.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
                Assert.Contains("Connect-AwsVaultSso -SessionName corp", r.Terminating.Exception.Message);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), "took " + watch.Elapsed);
                Assert.Equal(0, f.OidcCalls);
                Assert.Equal(0, f.BrowserOpenings);

                var connect = f.Ps.RunCatching("Connect-AwsVaultSso dev");
                Assert.Equal("SsoSignInRequired", connect.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
                Assert.Equal(0, f.OidcCalls);
            }
            finally
            {
                f.Env.Set("CI", null);
            }
        }

        [Fact]
        public async Task DisconnectLogsOutDeletesTheTokenAndItsRoleSessions()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Connect-AwsVaultSso -SessionName corp; $null = Get-AwsVaultSession dev; $null = Get-AwsVaultSession dev-admin").ThrowIfErrors();
            Assert.Equal(2, f.RoleCredentialCalls);
            string access = f.World.Tokens.Last().AccessToken;

            var r = f.Ps.Run("Disconnect-AwsVaultSso -SessionName corp -Verbose").ThrowIfErrors();
            Assert.Single(f.World.CallsTo("Logout"));
            Assert.True(f.World.Token(access).LoggedOut);
            Assert.Empty(r.Warnings);
            Assert.Contains(r.Verbose, v => v.Contains("Removed 2 cached GetRoleCredentials sessions"));
            Assert.DoesNotContain(access, r.AllText());

            // The role credentials are gone from memory too: the next session needs a sign-in.
            f.Env.Set("AWS_VAULT_PROMPT", "none");
            var again = f.Ps.RunCatching("Get-AwsVaultSession dev");
            Assert.Equal("SsoSignInRequired", again.Terminating?.FullyQualifiedErrorId.Split(',')[0]);

            int oidcBefore = f.OidcCalls;
            var child = await PwshHostProcess.RunAsync(f.ChildEnvironment(ci: true), "-NoProfile", "-Command",
                "try { Get-AwsVaultSsoRole -SessionName corp; exit 0 } catch { [Console]::Error.WriteLine($_.FullyQualifiedErrorId + ': ' + $_.Exception.Message); exit 3 }");
            Assert.Equal(3, child.ExitCode);
            Assert.Contains("SsoSignInRequired", child.StdErr);
            Assert.Contains("Connect-AwsVaultSso", child.StdErr);
            Assert.Equal(oidcBefore, f.OidcCalls);

            var nothing = f.Ps.Run("Disconnect-AwsVaultSso -SessionName corp").ThrowIfErrors();
            Assert.Single(nothing.Warnings);
            Assert.Single(f.World.CallsTo("Logout"));
        }

        [Fact]
        public void AFailedLogoutIsAWarningAndTheTokenIsDeletedAnyway()
        {
            using var f = new SsoFixture();
            f.Ps.Run("Connect-AwsVaultSso -SessionName corp").ThrowIfErrors();
            f.World.ExpireAccessToken(f.World.Tokens.Last().AccessToken);
            // Expired at AWS but not in the vault's eyes: Logout is tried and refused.
            var r = f.Ps.Run("Disconnect-AwsVaultSso -SessionName corp -Confirm:$false").ThrowIfErrors();
            Assert.Single(r.Warnings);
            Assert.Contains("deleted from the vault anyway", r.Warnings[0]);
            f.Env.Set("AWS_VAULT_PROMPT", "none");
            var after = f.Ps.RunCatching("Get-AwsVaultSsoRole corp");
            Assert.Equal("SsoSignInRequired", after.Terminating?.FullyQualifiedErrorId.Split(',')[0]);
        }

        [Fact]
        public void SessionAndProfileNamesComplete()
        {
            using var f = new SsoFixture();
            File.AppendAllText(f.Env.ConfigFile, "\n[sso-session core]\nsso_start_url = https://core.awsapps.com/start\nsso_region = eu-west-1\n");
            Assert.Equal(new[] { "core", "corp" }, Complete(f.Ps, "Connect-AwsVaultSso -SessionName co"));
            Assert.Equal(new[] { "corp" }, Complete(f.Ps, "Get-AwsVaultSsoRole corp"));
            Assert.Equal(new[] { "dev", "dev-admin" }, Complete(f.Ps, "Disconnect-AwsVaultSso dev"));
        }

        private static string[] Complete(PowerShellSession ps, string input) =>
            ps.Run("(TabExpansion2 -inputScript '" + input.Replace("'", "''") + "' -cursorColumn " + input.Length + ").CompletionMatches | ForEach-Object { $_.CompletionText }")
              .ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();

        private static void AssertNoSecretAnywhere(SsoFixture f, string streams)
        {
            var secrets = f.World.Tokens.SelectMany(t => new[] { t.AccessToken, t.RefreshToken })
                .Concat(f.World.Clients.Select(c => c.ClientSecret))
                .Where(s => !string.IsNullOrEmpty(s)).ToList();
            Assert.NotEmpty(secrets);
            string transcript = f.Host.ScriptedUI.Transcript.ToString();
            var files = Directory.GetFiles(f.Env.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
            Assert.NotEmpty(Directory.GetFiles(f.Env.VaultDirectory));
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, streams);
                Assert.DoesNotContain(secret, transcript);
                Assert.All(files, text => Assert.DoesNotContain(secret, text));
            }
        }
    }
}
