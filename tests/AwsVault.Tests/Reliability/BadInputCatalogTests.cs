using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// The bad inputs of docs/RELIABILITY.md's catalog that no other test proved, each through the cmdlets as a
    /// user meets it: the error id, the category, and a message that says where the problem is. The last test
    /// keeps the catalog honest: every row must name a test that exists and that asserts the row's id and
    /// category, and the category must be the one the product raises.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class BadInputCatalogTests
    {
        [Fact]
        public void AnIncludeProfileNamingNoProfileSaysWhichLine()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile team]\nregion = eu-west-1\ninclude_profile = shared-settings\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession team");
            AssertError(r, "ConfigIncludeProfileNotFound", ErrorCategory.ObjectNotFound);
            Assert.StartsWith(f.Env.ConfigFile + " line 19: ", r.Terminating.Exception.Message);
            Assert.Contains("'shared-settings'", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void ASourceProfileNamingNothingSaysWhichLine()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile deploy]\nsource_profile = ghost\nrole_arn = " + EmulatedSts.ReadOnlyArn + "\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession deploy");
            AssertError(r, "ConfigSourceProfileNotFound", ErrorCategory.ObjectNotFound);
            Assert.StartsWith(f.Env.ConfigFile + " line 18: ", r.Terminating.Exception.Message);
            Assert.Contains("'ghost'", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Theory]
        [InlineData("duration_seconds = soon", "duration_seconds")]
        [InlineData("duration_seconds = -5", "duration_seconds")]
        [InlineData("session_tags = team=ops,=orphan", "session_tags")]
        [InlineData("session_tags = team=ops,Team=dev", "session_tags")]
        public void ABadValueInTheConfigIsInvalidDataNamingTheLine(string line, string key)
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + line + "\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession readonly");
            AssertError(r, "ConfigInvalidValue", ErrorCategory.InvalidData);
            Assert.StartsWith(f.Env.ConfigFile + " line 16: " + key, r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void AConfigPathThatIsAFolderIsAReadError()
        {
            using var env = new TestEnvironment();
            env.Set("AWS_CONFIG_FILE", env.Home);
            using var ps = new PowerShellSession();
            var r = ps.RunCatching("Get-AwsVaultProfile");
            AssertError(r, "ConfigReadError", ErrorCategory.ReadError);
            Assert.Contains(env.Home, r.Terminating.Exception.Message);
            Assert.Contains("AWS_CONFIG_FILE", r.Terminating.Exception.Message);
        }

        [Theory]
        [InlineData("12ab56")]
        [InlineData("12345")]
        [InlineData("1234567")]
        public void AnMfaCodeThatIsNotSixDigitsIsRejectedBeforeAnyStsCall(string code)
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Get-AwsVaultSession alice -MfaToken '" + code + "'");
            AssertError(r, "MfaTokenInvalid", ErrorCategory.InvalidArgument);
            Assert.Contains("six digits", r.Terminating.Exception.Message);
            Assert.DoesNotContain(code, r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void ACancelledMfaPromptIsOperationStopped()
        {
            using var f = new SessionFixture();
            f.Host.ScriptedUI.Answers.Enqueue(null);
            var r = f.Ps.RunCatching("Get-AwsVaultSession alice");
            AssertError(r, "PromptCancelled", ErrorCategory.OperationStopped);
            Assert.Contains("-MfaToken", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void AProgramThatIsNotOnThePathIsNamed()
        {
            using var f = new SessionFixture();
            var before = EnvironmentSnapshot.Take();
            var r = f.Ps.RunCatching("Invoke-AwsVault bob -- no-such-program-for-awsvault --version");
            AssertError(r, "CommandNotFound", ErrorCategory.ObjectNotFound);
            Assert.Contains("'no-such-program-for-awsvault'", r.Terminating.Exception.Message);
            Assert.Equal(before, EnvironmentSnapshot.Take());
        }

        [Fact]
        public void AnSsoProfileWithoutARegionNamesTheKeyToAdd()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile sso-dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession sso-dev");
            AssertError(r, "ConfigSsoSettingMissing", ErrorCategory.InvalidData);
            Assert.Contains("sso_region", r.Terminating.Exception.Message);
            Assert.Contains("[sso-session corp]", r.Terminating.Exception.Message);
        }

        [Fact]
        public void AWebIdentityTokenFileThatIsMissingOrEmptyIsNamed()
        {
            using var f = new SessionFixture();
            string missing = Path.Combine(f.Env.Root, "no-such-token.jwt");
            string empty = Path.Combine(f.Env.Root, "empty-token.jwt");
            File.WriteAllText(empty, "\n  \n");
            f.Env.WriteConfig(f.DefaultConfig +
                "\n[profile ci-missing]\nrole_arn = " + EmulatedSts.WebArn + "\nweb_identity_token_file = " + missing + "\n" +
                "\n[profile ci-empty]\nrole_arn = " + EmulatedSts.WebArn + "\nweb_identity_token_file = " + empty + "\n");
            var unreadable = f.Ps.RunCatching("Get-AwsVaultSession ci-missing");
            AssertError(unreadable, "WebIdentityTokenUnreadable", ErrorCategory.ReadError);
            Assert.Contains(missing, unreadable.Terminating.Exception.Message);
            var blank = f.Ps.RunCatching("Get-AwsVaultSession ci-empty");
            AssertError(blank, "WebIdentityTokenEmpty", ErrorCategory.InvalidData);
            Assert.Contains("'ci-empty'", blank.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Theory]
        [InlineData("AWS_SESSION_TOKEN_TTL", "forever")]
        [InlineData("AWS_MIN_TTL", "5 minutes")]
        public void ADurationVariableThatIsNotADurationIsNamed(string variable, string value)
        {
            using var f = new SessionFixture();
            f.Env.Set(variable, value);
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, "InvalidDuration", ErrorCategory.InvalidArgument);
            Assert.Contains("$env:" + variable, r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void SessionTagsFromTheEnvironmentWithoutValuesAreRejected()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_SESSION_TAGS", "team=ops,orphan");
            var r = f.Ps.RunCatching("Get-AwsVaultSession readonly");
            AssertError(r, "InvalidSessionTags", ErrorCategory.InvalidArgument);
            Assert.Contains("AWS_SESSION_TAGS", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Theory]
        [InlineData(" leading-space")]
        [InlineData("has[bracket]")]
        public void AProfileNameThatCannotBeWrittenToTheConfigIsRejected(string name)
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var r = ps.RunCatching(AddScript(name.Replace("'", "''")));
            AssertError(r, "InvalidProfileName", ErrorCategory.InvalidArgument);
            Assert.False(Directory.Exists(env.VaultDirectory) && Directory.GetFiles(env.VaultDirectory).Length > 0);
        }

        [Fact]
        public void AVaultPathThatIsAFileIsAWriteErrorNamingIt()
        {
            using var env = new TestEnvironment();
            File.WriteAllText(env.VaultDirectory, "not a folder");
            using var ps = new PowerShellSession();
            var r = ps.RunCatching(AddScript("dev"));
            AssertError(r, "VaultIoFailed", ErrorCategory.WriteError);
            Assert.Contains(env.VaultDirectory, r.Terminating.Exception.Message);
        }

        [Theory]
        [InlineData(403, "RegionDisabledException", "StsRegionDisabledException", ErrorCategory.PermissionDenied)]
        [InlineData(400, "ValidationError", "StsValidationError", ErrorCategory.InvalidArgument)]
        [InlineData(403, "ExpiredToken", "StsExpiredToken", ErrorCategory.AuthenticationError)]
        [InlineData(403, "InvalidClientTokenId", "StsInvalidClientTokenId", ErrorCategory.AuthenticationError)]
        public void AnStsErrorCodeBecomesAnIdAndCategoryOfItsOwn(int status, string code, string errorId, ErrorCategory category)
        {
            using var f = new SessionFixture();
            f.World.Faults.Enqueue("GetSessionToken", Fault.Error(status, code, "The emulator says no."));
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, errorId, category);
            Assert.Contains("'bob'", r.Terminating.Exception.Message);
            Assert.Contains(code + ": The emulator says no", r.Terminating.Exception.Message);
        }

        [Fact]
        public void ACachedSessionThatStsCallsExpiredIsAnAuthenticationErrorSayingHowToRefresh()
        {
            using var f = new SessionFixture();
            var gst = (AwsVaultSession)f.Ps.Run("Get-AwsVaultSession alice -MfaToken " + f.Code()).ThrowIfErrors().Output.Single().BaseObject;
            f.World.ExpireSession(gst.AccessKeyId);
            var r = f.Ps.RunCatching("Get-AwsVaultSession admin");
            AssertError(r, "StsExpiredToken", ErrorCategory.AuthenticationError);
            Assert.Contains("Clear-AwsVaultSession", r.Terminating.Exception.Message);
            Assert.Equal("AssumeRole", f.World.Calls.Last().Action);
        }

        // ---- the catalog itself ----------------------------------------------------------------------------

        internal static string CatalogPath => Path.Combine(ModuleAssembly.RepoRoot, "docs", "RELIABILITY.md");

        /// <summary>Each row: the test exists (reflection), is a test, and its source asserts the row's id and
        /// category; the category is the one the product's source raises for that id.</summary>
        [Fact]
        public void EveryCatalogRowNamesAnExistingTestThatAssertsItsIdAndCategory()
        {
            var rows = ReadCatalog();
            Assert.True(rows.Count >= 30, "the catalog has " + rows.Count + " rows; it promises at least 30");
            // Numbered from 1, ascending and unique; a block may be left free for work on another branch (92-99 were
            // kept for the console sign-in's rows while key rotation took 100 up).
            Assert.Equal(1, rows[0].Number);
            Assert.Equal(rows.Select(r => r.Number).Distinct().OrderBy(n => n), rows.Select(r => r.Number));

            var testTypes = typeof(BadInputCatalogTests).Assembly.GetTypes().Where(t => t.IsClass && t.IsPublic).ToList();
            string testsRoot = Path.Combine(ModuleAssembly.RepoRoot, "tests", "AwsVault.Tests");
            var sources = Directory.GetFiles(testsRoot, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .ToDictionary(p => p, File.ReadAllText);
            string productSource = string.Join("\n", Directory.GetFiles(Path.Combine(ModuleAssembly.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));

            foreach (var row in rows)
            {
                string where = "row " + row.Number + " (" + row.ErrorId + ", " + row.Test + ")";
                Assert.True(Enum.TryParse(row.Category, out ErrorCategory category), where + ": '" + row.Category + "' is not an ErrorCategory");
                string[] parts = row.Test.Split('.');
                Assert.True(parts.Length == 2, where + ": the test must be written Class.Method");

                var types = testTypes.Where(t => t.Name == parts[0]).ToList();
                Assert.True(types.Count == 1, where + ": " + types.Count + " test classes are named " + parts[0]);
                var method = types[0].GetMethod(parts[1], BindingFlags.Public | BindingFlags.Instance);
                Assert.True(method != null, where + ": " + parts[0] + " has no public method " + parts[1]);
                Assert.True(method.GetCustomAttributes<FactAttribute>().Any(), where + ": " + row.Test + " is not a [Fact] or [Theory]");

                string body = MethodSource(sources, parts[0], parts[1]);
                Assert.True(body != null, where + ": the source of " + row.Test + " was not found");
                Assert.True(body.Contains("\"" + row.ErrorId + "\""), where + ": " + row.Test + " does not assert the id " + row.ErrorId);
                Assert.True(body.Contains("ErrorCategory." + category), where + ": " + row.Test + " does not assert the category " + category);

                // Ids the product spells out must be raised with the category the row gives.
                var raised = Regex.Matches(productSource, @"\bErrorIds\." + Regex.Escape(row.ErrorId) + @",\s*ErrorCategory\.(\w+)").Select(m => m.Groups[1].Value).Distinct().ToList();
                if (raised.Count > 0) Assert.True(raised.Contains(category.ToString()), where + ": the product raises " + row.ErrorId + " as " + string.Join("/", raised) + ", not " + category);
            }
        }

        internal sealed class CatalogRow
        {
            public int Number { get; set; }
            public string Input { get; set; }
            public string ErrorId { get; set; }
            public string Category { get; set; }
            public string Test { get; set; }
        }

        /// <summary>The table under "## Bad-input catalog": | # | input | error id | category | test |.</summary>
        internal static List<CatalogRow> ReadCatalog()
        {
            Assert.True(File.Exists(CatalogPath), CatalogPath + " is missing");
            var rows = new List<CatalogRow>();
            bool inCatalog = false;
            foreach (string line in File.ReadAllLines(CatalogPath))
            {
                if (line.StartsWith("## ", StringComparison.Ordinal)) inCatalog = line.StartsWith("## Bad-input catalog", StringComparison.Ordinal);
                if (!inCatalog || !Regex.IsMatch(line, @"^\|\s*\d+\s*\|")) continue;
                string[] cells = line.Split('|').Skip(1).Select(c => c.Trim()).ToArray();
                Assert.True(cells.Length >= 5, "a catalog row needs five cells: " + line);
                rows.Add(new CatalogRow
                {
                    Number = int.Parse(cells[0]),
                    Input = cells[1],
                    ErrorId = cells[2].Trim('`'),
                    Category = cells[3].Trim('`'),
                    Test = cells[4].Trim('`'),
                });
            }
            return rows;
        }

        /// <summary>The text of a test method with the attributes above it (a theory's InlineData carries ids),
        /// up to the next test in the file.</summary>
        private static string MethodSource(Dictionary<string, string> sources, string className, string methodName)
        {
            foreach (string text in sources.Values.Where(t => Regex.IsMatch(t, @"\bclass\s+" + Regex.Escape(className) + @"\b")))
            {
                var signature = Regex.Match(text, @"\b(void|Task)\s+" + Regex.Escape(methodName) + @"\s*\(");
                if (!signature.Success) continue;
                int start = text.LastIndexOf("\n\n", signature.Index, StringComparison.Ordinal);
                int next = Regex.Match(text.Substring(signature.Index), @"\n\s*\[(Fact|Theory)").Index;
                int end = next > 0 ? signature.Index + next : text.Length;
                return text.Substring(start < 0 ? 0 : start, end - (start < 0 ? 0 : start));
            }
            return null;
        }
    }
}
