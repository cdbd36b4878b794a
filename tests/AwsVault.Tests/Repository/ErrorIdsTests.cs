using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.Repository
{
    /// <summary>
    /// The error ids a script can match on live in one public class, about_AwsVault lists exactly those, and the
    /// product raises no id that is not in the class: a new id written as a literal somewhere would be missing
    /// from the help and from [AwsVault.ErrorIds].
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class ErrorIdsTests
    {
        private static string[] ClassIds() =>
            typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && !IsPrefix(f))
                .Select(f => (string)f.GetRawConstantValue())
                .OrderBy(s => s, StringComparer.Ordinal).ToArray();

        // StsPrefix and IamPrefix start the ids made from a service's error code; they are no id themselves.
        private static bool IsPrefix(FieldInfo f) => f.Name == nameof(ErrorIds.StsPrefix) || f.Name == nameof(ErrorIds.IamPrefix);

        private static string[] HelpIds()
        {
            string about = File.ReadAllText(Path.Combine(ModuleAssembly.RepoRoot, "docs", "help", "about_AwsVault.md"));
            Match section = Regex.Match(about, @"## ERROR IDS\n(.*?)\n## ", RegexOptions.Singleline);
            Assert.True(section.Success, "about_AwsVault.md has no ERROR IDS section");
            return Regex.Matches(section.Groups[1].Value, @"^(?!#)(.+)\.$", RegexOptions.Multiline)
                .SelectMany(m => m.Groups[1].Value.Split(", "))
                .Where(s => Regex.IsMatch(s, @"^[A-Z][A-Za-z]+$"))
                .OrderBy(s => s, StringComparer.Ordinal).ToArray();
        }

        [Fact]
        public void EveryIdInTheClassIsInTheHelpAndNoOther()
        {
            string[] ids = ClassIds();
            Assert.Contains("ProfileNotFound", ids);
            Assert.Equal(ids, HelpIds());
            foreach (var field in typeof(ErrorIds).GetFields().Where(f => !IsPrefix(f)))
            {
                Assert.Equal(field.Name, field.GetRawConstantValue());
            }
        }

        [Fact]
        public void TheProductWritesNoErrorIdAsALiteral()
        {
            string src = Path.Combine(ModuleAssembly.RepoRoot, "src", "AwsVault.PowerShell");
            var literal = new Regex(@"AwsVaultException\(\s*""|new ErrorRecord\([^;]*?,\s*""\w+"",\s*ErrorCategory|ErrorId\s*[!=]=\s*""|""\w+"",\s*ErrorCategory\.");
            var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && Path.GetFileName(f) != "ErrorIds.cs")
                .SelectMany(f => literal.Matches(File.ReadAllText(f)).Select(m => Path.GetFileName(f) + ": " + m.Value))
                .ToList();
            Assert.Empty(offenders);
            // Every id the source names through the class is one the class declares (the compiler checks the rest).
            var used = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bErrorIds\.(\w+)").Select(m => m.Groups[1].Value))
                .Distinct().ToList();
            Assert.Contains("CredentialsMissing", used);
        }

        [Fact]
        public void AScriptCanMatchAnErrorAgainstTheClass()
        {
            using var env = new TestEnvironment();
            env.WriteConfig("[profile dev]\nregion = eu-west-1\n");
            using var ps = new PowerShellSession();
            var r = ps.Run(
                "try { Get-AwsVaultSession nosuchprofile -ErrorAction Stop; 'no error' } " +
                "catch { $_.FullyQualifiedErrorId -like ([AwsVault.ErrorIds]::ProfileNotFound + ',*') }");
            Assert.Equal(true, r.Output.Single().BaseObject);
        }
    }
}
