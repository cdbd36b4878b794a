using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using AwsVault.Storage;
using AwsVault.Tests.Harness;
using Xunit;
using AwsVault.Output;

namespace AwsVault.Tests.Commands
{
    /// <summary>Add-, Get- and Remove-AwsVaultProfile on the file vault, driven through PowerShell as a user would.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class ProfileCommandsTests
    {
        internal const string KeyId = "AKIAIOSFODNN7EXAMPLE";
        internal const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        internal const string OtherKeyId = "AKIAI44QH8DHBEXAMPLE";
        internal const string OtherSecret = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

        internal static string AddScript(string profile, string keyId = KeyId, string secret = Secret, string extra = "") =>
            "$s = [System.Net.NetworkCredential]::new('', '" + secret + "').SecurePassword; " +
            "Add-AwsVaultProfile '" + profile + "' -AccessKeyId '" + keyId + "' -SecretAccessKey $s " + extra;

        /// <summary>The script must have failed with a terminating error (one try/catch sees) of this id and category.</summary>
        internal static void AssertError(ScriptResult r, string id, ErrorCategory category)
        {
            Assert.True(r.Terminating != null, "expected a terminating error " + id + ", got " + (r.FirstError == null ? "none" : ScriptResult.Describe(r.FirstError)));
            Assert.StartsWith(id + ",", r.Terminating.FullyQualifiedErrorId);
            Assert.Equal(category, r.Terminating.CategoryInfo.Category);
            Assert.DoesNotContain(Secret, r.AllText());
            Assert.DoesNotContain(TestEnvironment.Passphrase, r.AllText());
        }

        [Fact]
        public void AddStoresOneOwnerOnlyJweFileThatAnIndependentDecoderOpens()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var r = ps.RunCatching(AddScript("dev", extra: "-Verbose")).ThrowIfErrors();
            Assert.DoesNotContain(Secret, r.AllText());

            var files = Directory.GetFiles(env.VaultDirectory);
            string file = Assert.Single(files);
            Assert.Equal("dev", Path.GetFileName(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(env.VaultDirectory));

            string token = File.ReadAllText(file);
            Assert.DoesNotContain(Secret, token);
            Assert.Equal(5, token.Split('.').Length);
            var header = JsonDocument.Parse(Base64Url(token.Split('.')[0])).RootElement;
            Assert.Equal("PBES2-HS256+A128KW", header.GetProperty("alg").GetString());
            Assert.Equal("A256GCM", header.GetProperty("enc").GetString());

            // jose-jwt is not used by the product: it checks the format from outside.
            string payload = Jose.JWT.Decode(token, TestEnvironment.Passphrase);
            var item = JsonDocument.Parse(payload).RootElement;
            Assert.Equal("dev", item.GetProperty("Key").GetString());
            Assert.Equal("aws-vault (dev)", item.GetProperty("Label").GetString());
            var data = JsonDocument.Parse(Convert.FromBase64String(item.GetProperty("Data").GetString())).RootElement;
            Assert.Equal(KeyId, data.GetProperty("AccessKeyID").GetString());
            Assert.Equal(Secret, data.GetProperty("SecretAccessKey").GetString());
        }

        [Fact]
        public void GetListsStoredKeysAndEveryConfigProfile()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[default]\nregion = us-east-1\n\n[profile ops]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::111122223333:mfa/ops\n\n[profile admin]\nsource_profile = ops\nrole_arn = arn:aws:iam::111122223333:role/Admin\n");
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            var r = ps.RunCatching("Get-AwsVaultProfile").ThrowIfErrors();
            var profiles = r.Output.Select(o => (ProfileInfo)o.BaseObject).ToDictionary(p => p.ProfileName);
            Assert.Equal(new[] { "default", "ops", "admin", "dev" }, r.Output.Select(o => ((ProfileInfo)o.BaseObject).ProfileName).ToArray());
            Assert.True(profiles["dev"].HasStoredKey);
            Assert.False(profiles["ops"].HasStoredKey);
            Assert.Equal("eu-west-1", profiles["ops"].Region);
            Assert.Equal("arn:aws:iam::111122223333:mfa/ops", profiles["ops"].MfaSerial);
            Assert.Equal("ops", profiles["admin"].SourceProfile);
            Assert.Equal("arn:aws:iam::111122223333:role/Admin", profiles["admin"].RoleArn);
            Assert.Equal("us-east-1", profiles["admin"].Region);
            Assert.Equal("file", profiles["dev"].Backend);
            Assert.Contains("AwsVault.Output.ProfileInfo", r.Output[0].TypeNames);
        }

        [Fact]
        public void GetFiltersWithWildcardsAndRejectsAnUnknownName()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile prod-a]\n[profile prod-b]\n[profile dev]\n");
            using var ps = new PowerShellSession();
            var r = ps.RunCatching("Get-AwsVaultProfile 'prod*' | ForEach-Object { $_.ProfileName }").ThrowIfErrors();
            Assert.Equal(new[] { "prod-a", "prod-b" }, r.Output.Select(o => o.ToString()).ToArray());

            // Like Get-Item: a missing name is a non-terminating error (ProfileListingTests covers the mix).
            var missing = ps.RunCatching("Get-AwsVaultProfile 'staging'");
            Assert.Null(missing.Terminating);
            var error = Assert.Single(missing.Errors);
            Assert.StartsWith("ProfileNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("staging", error.Exception.Message);
        }

        [Fact]
        public void AddWithAWrongPassphraseFailsAndWritesNothing()
        {
            using var env = new TestEnvironment();
            using (var ps = new PowerShellSession())
            {
                ps.Run(AddScript("dev")).ThrowIfErrors();
            }
            var before = Snapshot(env.VaultDirectory);
            string configBefore = File.ReadAllText(env.ConfigFile);

            env.Set("AWS_VAULT_FILE_PASSPHRASE", "wrong passphrase");
            using (var ps = new PowerShellSession())
            {
                var r = ps.RunCatching(AddScript("qa", OtherKeyId, OtherSecret));
                AssertError(r, "VaultPassphraseIncorrect", ErrorCategory.AuthenticationError);
                Assert.Contains(env.VaultDirectory, r.FirstError.Exception.Message);
                Assert.DoesNotContain("wrong passphrase", r.AllText());
                Assert.DoesNotContain(OtherSecret, r.AllText());
            }
            Assert.Equal(before, Snapshot(env.VaultDirectory));
            Assert.Equal(configBefore, File.ReadAllText(env.ConfigFile));
        }

        [Fact]
        public void GetWorksWithoutAPassphraseInANonInteractiveSession()
        {
            using var env = new TestEnvironment();
            using (var ps = new PowerShellSession())
            {
                ps.Run(AddScript("dev")).ThrowIfErrors();
            }
            env.Set("AWS_VAULT_FILE_PASSPHRASE", null);
            env.Set("CI", "true");
            using (var ps = new PowerShellSession(new ScriptedHost(interactive: false)))
            {
                var r = ps.RunCatching("Get-AwsVaultProfile dev").ThrowIfErrors();
                Assert.True(((ProfileInfo)r.Output.Single().BaseObject).HasStoredKey);
                Assert.Empty(ps.Host.ScriptedUI.Prompts);
            }
        }

        [Fact]
        public void AddWithoutAPassphraseInANonInteractiveSessionFailsAtOnceNamingTheVariable()
        {
            using var env = new TestEnvironment(setPassphrase: false);
            env.Set("CI", "true");
            using var ps = new PowerShellSession(new ScriptedHost());
            var r = ps.RunCatching(AddScript("dev"));
            AssertError(r, "FileVaultPassphraseRequired", ErrorCategory.InvalidOperation);
            Assert.Contains("AWS_VAULT_FILE_PASSPHRASE", r.FirstError.Exception.Message);
            Assert.Contains("CI", r.FirstError.Exception.Message);
            Assert.Empty(ps.Host.ScriptedUI.Prompts);
            Assert.False(Directory.Exists(env.VaultDirectory) && Directory.GetFiles(env.VaultDirectory).Length > 0);
        }

        [Fact]
        public void ThePassphraseIsConfirmedOnceMaskedAndRemembered()
        {
            using var env = new TestEnvironment(setPassphrase: false);
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue("typed passphrase");
            host.ScriptedUI.Answers.Enqueue("typed passphrase");
            using var ps = new PowerShellSession(host);
            ps.Run(AddScript("dev")).ThrowIfErrors();
            ps.Run(AddScript("qa", OtherKeyId, OtherSecret)).ThrowIfErrors();
            Assert.Equal(2, host.ScriptedUI.SecureReads); // typed twice to create the vault, then remembered
            Assert.Contains(env.VaultDirectory, host.ScriptedUI.Transcript.ToString());
            Assert.DoesNotContain("typed passphrase", host.ScriptedUI.Transcript.ToString());
            Assert.Equal(2, Directory.GetFiles(env.VaultDirectory).Length);
            foreach (var f in Directory.GetFiles(env.VaultDirectory)) Jose.JWT.Decode(File.ReadAllText(f), "typed passphrase");
        }

        [Fact]
        public void AddTakesACredentialObject()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            ps.Run("$c = [pscredential]::new('" + KeyId + "', [System.Net.NetworkCredential]::new('', '" + Secret + "').SecurePassword); Add-AwsVaultProfile dev -Credential $c").ThrowIfErrors();
            Assert.Equal(KeyId, ReadStoredKey(env, "dev").AccessKeyId);
        }

        [Fact]
        public void AddReadsTheKeyFromTheEnvironment()
        {
            using var env = new TestEnvironment();
            env.Set("AWS_ACCESS_KEY_ID", KeyId);
            env.Set("AWS_SECRET_ACCESS_KEY", Secret);
            using var ps = new PowerShellSession();
            ps.Run("Add-AwsVaultProfile dev -FromEnvironment").ThrowIfErrors();
            var key = ReadStoredKey(env, "dev");
            Assert.Equal(KeyId, key.AccessKeyId);
            Assert.Equal(Secret, key.SecretAccessKey);
        }

        [Fact]
        public void AddFromAnEmptyEnvironmentNamesTheMissingVariable()
        {
            using var env = new TestEnvironment();
            env.Set("AWS_ACCESS_KEY_ID", KeyId);
            using var ps = new PowerShellSession();
            var r = ps.RunCatching("Add-AwsVaultProfile dev -FromEnvironment");
            AssertError(r, "EnvironmentKeyMissing", ErrorCategory.InvalidArgument);
            Assert.Contains("AWS_SECRET_ACCESS_KEY", r.FirstError.Exception.Message);
        }

        [Fact]
        public void AddPromptsForTheKeyAndReadsTheSecretMasked()
        {
            using var env = new TestEnvironment();
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue(KeyId);
            host.ScriptedUI.Answers.Enqueue(Secret);
            using var ps = new PowerShellSession(host);
            ps.Run("Add-AwsVaultProfile dev").ThrowIfErrors();
            Assert.Equal(new[] { "(ReadLine)", "(ReadLineAsSecureString)" }, host.ScriptedUI.Prompts.ToArray());
            Assert.Contains("Enter Access Key ID", host.ScriptedUI.Transcript.ToString());
            Assert.Contains("Enter Secret Access Key", host.ScriptedUI.Transcript.ToString());
            Assert.Equal(Secret, ReadStoredKey(env, "dev").SecretAccessKey);
        }

        [Fact]
        public void AddWithoutAKeyInANonInteractiveSessionSaysHowToPassIt()
        {
            using var env = new TestEnvironment();
            env.Set("AWS_VAULT_PROMPT", "none");
            using var ps = new PowerShellSession(new ScriptedHost());
            var r = ps.RunCatching("Add-AwsVaultProfile dev");
            AssertError(r, "AccessKeyRequired", ErrorCategory.InvalidOperation);
            Assert.Contains("-AccessKeyId", r.FirstError.Exception.Message);
            Assert.Contains("-FromEnvironment", r.FirstError.Exception.Message);
            Assert.Contains("AWS_VAULT_PROMPT", r.FirstError.Exception.Message);
            Assert.Empty(ps.Host.ScriptedUI.Prompts);
        }

        [Theory]
        [InlineData("ASIAIOSFODNN7EXAMPLE", Secret, "TemporaryAccessKeyRejected", "ASIA")]
        [InlineData("akiaiosfodnn7example", Secret, "InvalidAccessKeyId", "upper-case")]
        [InlineData("AKIA123", Secret, "InvalidAccessKeyId", "16 to 128")]
        [InlineData(KeyId, "tooShort/Secret", "InvalidSecretAccessKey", "40 characters")]
        [InlineData(KeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE!", "InvalidSecretAccessKey", "40 characters")]
        public void AddRejectsKeysThatCannotWork(string keyId, string secret, string errorId, string hint)
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var r = ps.RunCatching(AddScript("dev", keyId, secret));
            AssertError(r, errorId, ErrorCategory.InvalidArgument);
            Assert.Contains(hint, r.FirstError.Exception.Message);
            Assert.DoesNotContain(secret, r.AllText());
            Assert.False(Directory.Exists(env.VaultDirectory) && Directory.GetFiles(env.VaultDirectory).Length > 0);
        }

        [Fact]
        public void AddRefusesAProfileThatHasASourceProfile()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile base]\n[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::111122223333:role/Admin\n");
            using var ps = new PowerShellSession();
            var r = ps.RunCatching(AddScript("admin"));
            AssertError(r, "ProfileHasSourceProfile", ErrorCategory.InvalidOperation);
            Assert.Contains("'base'", r.FirstError.Exception.Message);
            Assert.False(Directory.Exists(env.VaultDirectory) && Directory.GetFiles(env.VaultDirectory).Length > 0);
        }

        [Fact]
        public void AddAppendsTheProfileToTheConfigUnlessToldNotTo()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile ops]\nregion = eu-west-1");
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            ps.Run(AddScript("ops", OtherKeyId, OtherSecret)).ThrowIfErrors();
            ps.Run(AddScript("qa", extra: "-AddConfig:$false")).ThrowIfErrors();
            string config = File.ReadAllText(env.ConfigFile);
            Assert.StartsWith("[profile ops]\nregion = eu-west-1", config);
            Assert.Contains("[profile dev]", config);
            Assert.DoesNotContain("[profile qa]", config);
            Assert.Equal(2, config.Split("[profile ops]").Length);
            Assert.Equal(3, Directory.GetFiles(env.VaultDirectory).Length);
        }

        [Fact]
        public void AddCreatesTheConfigFileWhenThereIsNone()
        {
            using var env = new TestEnvironment();
            File.Delete(env.ConfigFile);
            using var ps = new PowerShellSession();
            ps.Run(AddScript("default")).ThrowIfErrors();
            Assert.Contains("[default]", File.ReadAllText(env.ConfigFile));
        }

        [Fact]
        public void AddOverwritesAStoredKeyOnlyWithForceOrConfirmation()
        {
            using var env = new TestEnvironment();
            var host = new ScriptedHost();
            using var ps = new PowerShellSession(host);
            ps.Run(AddScript("dev")).ThrowIfErrors();

            host.ScriptedUI.Choices.Enqueue(1); // No
            ps.Run(AddScript("dev", OtherKeyId, OtherSecret)).ThrowIfErrors();
            Assert.Equal(KeyId, ReadStoredKey(env, "dev").AccessKeyId);
            Assert.Contains(host.ScriptedUI.Prompts, p => p.Contains("already stored"));

            host.ScriptedUI.Choices.Enqueue(0); // Yes
            ps.Run(AddScript("dev", OtherKeyId, OtherSecret)).ThrowIfErrors();
            Assert.Equal(OtherKeyId, ReadStoredKey(env, "dev").AccessKeyId);

            int prompts = host.ScriptedUI.Prompts.Count;
            ps.Run(AddScript("dev", extra: "-Force")).ThrowIfErrors();
            Assert.Equal(KeyId, ReadStoredKey(env, "dev").AccessKeyId);
            Assert.Equal(prompts, host.ScriptedUI.Prompts.Count);
        }

        [Fact]
        public void AddOverAStoredKeyInANonInteractiveSessionNeedsForce()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            env.Set("CI", "true");
            var r = ps.RunCatching(AddScript("dev", OtherKeyId, OtherSecret));
            AssertError(r, "ProfileKeyExists", ErrorCategory.ResourceExists);
            Assert.Contains("-Force", r.FirstError.Exception.Message);
            Assert.Equal(KeyId, ReadStoredKey(env, "dev").AccessKeyId);
        }

        [Fact]
        public void AddWhatIfStoresNothing()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev", extra: "-WhatIf")).ThrowIfErrors();
            Assert.False(Directory.Exists(env.VaultDirectory) && Directory.GetFiles(env.VaultDirectory).Length > 0);
            Assert.DoesNotContain("[profile dev]", File.Exists(env.ConfigFile) ? File.ReadAllText(env.ConfigFile) : "");
        }

        [Fact]
        public void AddAndRemoveDeleteTheProfilesCachedSessions()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            ps.Run(AddScript("ops", OtherKeyId, OtherSecret)).ThrowIfErrors();
            var store = new FileStore(env.VaultDirectory, new FixedPassphrase(TestEnvironment.Passphrase));
            var expiry = DateTimeOffset.UtcNow.AddHours(1);
            store.SetSession(new SessionKey(SessionKey.GetSessionTokenType, "dev", "arn:aws:iam::111122223333:mfa/dev", expiry), "{}");
            store.SetSession(new SessionKey(SessionKey.GetSessionTokenType, "ops", "", expiry), "{}");

            var listed = ps.Run("(Get-AwsVaultProfile dev).Sessions").ThrowIfErrors();
            var session = (CachedSessionInfo)Assert.Single(listed.Output).BaseObject;
            Assert.Equal("sts.GetSessionToken", session.Type);
            Assert.Equal(expiry.ToUnixTimeSeconds(), new DateTimeOffset(session.Expiration).ToUnixTimeSeconds());

            ps.Run(AddScript("dev", extra: "-Force")).ThrowIfErrors();
            Assert.DoesNotContain(store.ListSessions(), s => s.ProfileName == "dev");
            Assert.Contains(store.ListSessions(), s => s.ProfileName == "ops");

            ps.Run("Remove-AwsVaultProfile ops -Force").ThrowIfErrors();
            Assert.Empty(store.ListSessions());
            Assert.False(store.HasKey("ops"));
            Assert.True(store.HasKey("dev"));
        }

        [Fact]
        public void RemoveDeletesTheKeyAndLeavesTheConfig()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();
            string config = File.ReadAllText(env.ConfigFile);
            ps.Run("Remove-AwsVaultProfile dev -Force").ThrowIfErrors();
            Assert.Empty(Directory.GetFiles(env.VaultDirectory));
            Assert.Equal(config, File.ReadAllText(env.ConfigFile));
            var r = ps.RunCatching("(Get-AwsVaultProfile dev).HasStoredKey").ThrowIfErrors();
            Assert.False((bool)r.Output.Single().BaseObject);
        }

        [Fact]
        public void RemoveAsksForConfirmationAndHonoursWhatIf()
        {
            using var env = new TestEnvironment();
            var host = new ScriptedHost();
            using var ps = new PowerShellSession(host);
            ps.Run(AddScript("dev")).ThrowIfErrors();

            ps.Run("Remove-AwsVaultProfile dev -WhatIf").ThrowIfErrors();
            ps.Run("Remove-AwsVaultProfile dev -Force -WhatIf").ThrowIfErrors();
            Assert.Single(Directory.GetFiles(env.VaultDirectory));

            host.ScriptedUI.Choices.Enqueue(2); // No
            ps.Run("Remove-AwsVaultProfile dev").ThrowIfErrors();
            Assert.Single(Directory.GetFiles(env.VaultDirectory));

            host.ScriptedUI.Choices.Enqueue(0); // Yes
            ps.Run("Remove-AwsVaultProfile dev").ThrowIfErrors();
            Assert.Empty(Directory.GetFiles(env.VaultDirectory));
        }

        [Fact]
        public void RemoveInANonInteractiveSessionNeedsForce()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession(new ScriptedHost());
            ps.Run(AddScript("dev")).ThrowIfErrors();
            env.Set("CI", "true");
            var r = ps.RunCatching("Remove-AwsVaultProfile dev");
            AssertError(r, "ConfirmationRequired", ErrorCategory.InvalidOperation);
            Assert.Contains("-Force", r.FirstError.Exception.Message);
            Assert.Single(Directory.GetFiles(env.VaultDirectory));
            Assert.Empty(ps.Host.ScriptedUI.Prompts);
        }

        [Fact]
        public void RemoveOfAProfileWithNothingStoredIsAnError()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var r = ps.RunCatching("Remove-AwsVaultProfile nosuch -Force");
            AssertError(r, "ProfileKeyNotFound", ErrorCategory.ObjectNotFound);
            Assert.Contains("nosuch", r.FirstError.Exception.Message);
        }

        [Fact]
        public void AMalformedConfigIsATerminatingErrorNamingFileAndLine()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile ok]\nregion = us-east-1\n[profile broken\n");
            using var ps = new PowerShellSession();
            var r = ps.RunCatching("Get-AwsVaultProfile");
            Assert.NotNull(r.Terminating);
            AssertError(r, "ConfigSyntaxError", ErrorCategory.ParserError);
            Assert.Contains(env.ConfigFile, r.FirstError.Exception.Message);
            Assert.Contains("3", r.FirstError.Exception.Message);
        }

        [Fact]
        public void AnIncludeProfileLoopIsNamed()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = a\n");
            using var ps = new PowerShellSession();
            var r = ps.RunCatching("Get-AwsVaultProfile");
            AssertError(r, "ConfigProfileLoop", ErrorCategory.InvalidData);
            Assert.Contains(env.ConfigFile, r.FirstError.Exception.Message);
        }

        [Fact]
        public void AnUnknownBackendIsRejected()
        {
            using var env = new TestEnvironment(backend: "keychain");
            using var ps = new PowerShellSession();
            var r = ps.RunCatching("Get-AwsVaultProfile");
            AssertError(r, "InvalidBackend", ErrorCategory.InvalidArgument);
            Assert.Contains("AWS_VAULT_BACKEND", r.FirstError.Exception.Message);
        }

        [Fact]
        public void WithNoBackendChosenAndNoSecretManagementTheFileVaultIsUsed()
        {
            using var env = new TestEnvironment(backend: null);
            using var ps = new PowerShellSession();
            var r = ps.RunCatching(AddScript("dev", extra: "-Verbose")).ThrowIfErrors();
            Assert.Contains(r.Verbose, v => v.Contains("file vault") && v.Contains("no SecretManagement vault is registered"));
            Assert.Single(Directory.GetFiles(env.VaultDirectory));
        }

        [Fact]
        public void NoStreamShowsASecretOrThePassphrase()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var all = new StringBuilder();
            all.Append(ps.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'").AllText());
            all.Append(ps.Run(AddScript("dev", extra: "-Verbose -Debug")).ThrowIfErrors().AllText());
            all.Append(ps.Run(AddScript("dev", extra: "-Verbose -Debug -Force -PassThru")).ThrowIfErrors().AllText());
            all.Append(ps.Run("Get-AwsVaultProfile -Verbose -Debug").ThrowIfErrors().AllText());
            all.Append(ps.Run(AddScript("bad", "ASIAIOSFODNN7EXAMPLE", Secret, "-Verbose -Debug")).AllText());
            all.Append(ps.Run("Remove-AwsVaultProfile dev -Force -Verbose -Debug").ThrowIfErrors().AllText());
            string text = all.ToString();
            Assert.Contains("AKIAIOSFODNN7EXAMPLE", text);
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain(TestEnvironment.Passphrase, text);
        }

        [Fact]
        public void TheManifestPassesTestModuleManifest()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession(importModule: false);
            var r = ps.RunCatching("$m = Test-ModuleManifest '" + ModuleAssembly.ManifestPath + "' -ErrorAction Stop; $m.Name; $m.RootModule; [string]::Join(',', [string[]]$m.ExportedCmdlets.Keys); [string]::Join(',', $m.CompatiblePSEditions); $m.PowerShellVersion.ToString()").ThrowIfErrors();
            Assert.Equal("AwsVault", r.Output[0].ToString());
            Assert.Equal("AwsVault.psm1", r.Output[1].ToString());
            Assert.Contains("Add-AwsVaultProfile", r.Output[2].ToString());
            Assert.Equal("Desktop,Core", r.Output[3].ToString());
            Assert.Equal("5.1", r.Output[4].ToString());

            var imported = ps.Run("Import-Module '" + ModuleAssembly.ManifestPath + "' -PassThru | ForEach-Object { $_.ExportedCommands.Keys }").ThrowIfErrors();
            Assert.Equal(new[] { "Add-AwsVaultProfile", "Clear-AwsVaultSession", "Connect-AwsVaultSso", "Disconnect-AwsVaultSso", "Enter-AwsVaultShell", "Export-AwsVaultSession", "Get-AwsVaultCredentialServer", "Get-AwsVaultLoginUrl", "Get-AwsVaultProfile", "Get-AwsVaultSession", "Get-AwsVaultSsoRole", "Invoke-AwsVault", "Open-AwsVaultConsole", "Remove-AwsVaultProfile", "Start-AwsVaultCredentialServer", "Stop-AwsVaultCredentialServer", "Update-AwsVaultAccessKey" }, imported.Output.Select(o => o.ToString()).OrderBy(s => s).ToArray());
        }

        internal static AccessKey ReadStoredKey(TestEnvironment env, string profile) =>
            new FileStore(env.VaultDirectory, new FixedPassphrase(TestEnvironment.Passphrase)).GetKey(profile);

        private static string Snapshot(string dir) =>
            string.Join("\n", Directory.GetFiles(dir).OrderBy(f => f).Select(f => Path.GetFileName(f) + ":" + Convert.ToBase64String(File.ReadAllBytes(f))));

        private static byte[] Base64Url(string s)
        {
            s = s.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
        }
    }

    internal sealed class FixedPassphrase : IPassphraseSource
    {
        private readonly string _passphrase;
        public FixedPassphrase(string passphrase) { _passphrase = passphrase; }
        public string GetPassphrase(string vaultDirectory) => _passphrase;
        public void Forget(string vaultDirectory) { }
    }
}
