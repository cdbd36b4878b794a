using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using AwsVault.Apply;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Tests.Harness;
using Xunit;
using AwsVault.Output;

namespace AwsVault.Tests.Help
{
    /// <summary>
    /// What Get-Help shows for the built module, read the way a user reads it: from out/AwsVault, imported into a
    /// runspace. The build already refuses help sources that miss a parameter; these tests check the result that
    /// PowerShell actually finds and renders, so a MAML file Get-Help cannot read, or one it never looks for,
    /// fails here.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class HelpTests
    {
        private static string HelpSourceDirectory => Path.Combine(ModuleAssembly.RepoRoot, "docs", "help");

        [Fact]
        public void EveryExportedCommandHasFullHelp()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var names = ps.Run("(Get-Module AwsVault).ExportedCommands.Keys").ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
            Assert.Contains("Invoke-AwsVault", names);
            Assert.Contains("Get-AwsVaultSession", names);

            var problems = new List<string>();
            foreach (string name in names)
            {
                PSObject help = ps.Run("Get-Help '" + name + "' -Full").ThrowIfErrors().Output.Single();

                string synopsis = Str(Prop(help, "Synopsis")).Trim();
                // Without help, Get-Help makes the synopsis from the syntax ("Name [-Param] <type> ... [<CommonParameters>]").
                if (synopsis.Length == 0 || synopsis.StartsWith(name + " ", StringComparison.Ordinal) || synopsis.Contains("<CommonParameters>", StringComparison.Ordinal) || synopsis == name)
                {
                    problems.Add(name + ": the synopsis is missing or is the syntax placeholder: '" + synopsis + "'");
                }
                if (Text(Prop(help, "description")).Length == 0) problems.Add(name + ": no description");

                var documented = Many(Prop(Prop(help, "parameters"), "parameter"))
                    .ToDictionary(p => Str(Prop(p, "name")), p => Text(Prop(p, "description")), StringComparer.OrdinalIgnoreCase);
                foreach (string parameter in ActualParameters(ps, name))
                {
                    if (!documented.TryGetValue(parameter, out string description)) problems.Add(name + ": -" + parameter + " is not in the help");
                    else if (description.Length == 0) problems.Add(name + ": -" + parameter + " has no description");
                }

                var examples = Many(Prop(Prop(help, "examples"), "example")).ToList();
                if (examples.Count < 2) problems.Add(name + ": " + examples.Count + " example(s), fewer than two");
                foreach (var (example, index) in examples.Select((e, i) => (e, i + 1)))
                {
                    string code = Str(Prop(example, "code"));
                    if (code.Trim().Length == 0) problems.Add(name + ": example " + index + " has no code");
                    else if (ParseErrors(code) is string errors) problems.Add(name + ": example " + index + " does not parse: " + errors);
                }
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void TheAboutTopicIsFoundAndCoversBackendsConfigKeysAndVariables()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var r = ps.Run("Get-Help about_AwsVault").ThrowIfErrors();
            string text = string.Join("\n", r.Output.Select(o => o?.ToString()));
            Assert.StartsWith("TOPIC", text.TrimStart());
            Assert.Contains("about_AwsVault", text);
            string synopsis = ps.Run("(Get-Help about_AwsVault).Synopsis").Output.SingleOrDefault()?.ToString();
            Assert.False(string.IsNullOrWhiteSpace(synopsis), "Get-Help lists about_AwsVault without a synopsis (the fifth line of the file).");

            var missing = new List<string>();
            foreach (string backend in new[] { "file vault", "SecretManagement", "secretmanagement", "AWS_VAULT_FILE_DIR" })
            {
                if (!text.Contains(backend, StringComparison.Ordinal)) missing.Add("backend: " + backend);
            }
            foreach (string key in ConfigKeysRead())
            {
                if (!Regex.IsMatch(text, @"(?<![\w])" + Regex.Escape(key) + @"(?![\w])")) missing.Add("config key: " + key);
            }
            foreach (string variable in EnvironmentVariablesRead().Concat(SessionVariableNames()))
            {
                if (!Regex.IsMatch(text, @"(?<![\w])" + Regex.Escape(variable) + @"(?![\w])")) missing.Add("variable: " + variable);
            }
            Assert.True(missing.Count == 0, "about_AwsVault does not mention:" + Environment.NewLine + string.Join(Environment.NewLine, missing));
        }

        [Fact]
        public void EveryPowerShellBlockInTheHelpSourcesParses()
        {
            var files = Directory.GetFiles(HelpSourceDirectory, "*.md");
            Assert.NotEmpty(files);
            var problems = new List<string>();
            int blocks = 0;
            foreach (string file in files)
            {
                var fence = new Regex(@"^[ \t]*```powershell[ \t]*\r?\n(.*?)^[ \t]*```", RegexOptions.Multiline | RegexOptions.Singleline);
                foreach (Match m in fence.Matches(File.ReadAllText(file)))
                {
                    blocks++;
                    if (ParseErrors(m.Groups[1].Value) is string errors) problems.Add(Path.GetFileName(file) + ": " + errors + Environment.NewLine + m.Groups[1].Value);
                }
            }
            Assert.True(blocks >= 16, "expected the examples of every command, found " + blocks + " powershell blocks");
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        /// <summary>The parameters a user can pass, minus those whose help is PowerShell's own.</summary>
        private static IEnumerable<string> ActualParameters(PowerShellSession ps, string command)
        {
            var r = ps.Run(
                "$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters; " +
                "(Get-Command '" + command + "').Parameters.Keys | Where-Object { $common -notcontains $_ }").ThrowIfErrors();
            return r.Output.Select(o => o.ToString());
        }

        // Every key spelled in ConfigKeys, plus the ones the chain builder reads by name.
        private static IEnumerable<string> ConfigKeysRead() =>
            typeof(ConfigKeys).GetFields()
                .Where(f => f.IsLiteral && f.Name != nameof(ConfigKeys.DefaultProfile))
                .Select(f => (string)f.GetRawConstantValue())
                .Concat(new[] { "services" });

        // Read from the source rather than listed here, so a variable added to the code without a word in the
        // about topic fails this test.
        private static IEnumerable<string> EnvironmentVariablesRead()
        {
            // Env(...) and FromEnvironment(...) are the older forms; .Get("AWS_...") reads an EnvironmentSnapshot.
            var read = new Regex(@"(?:GetEnvironmentVariable|\bEnv|FromEnvironment|\.Get)\(\s*""((?:AWS_)?[A-Z][A-Z0-9_]*)""|Variable\s*=\s*""([A-Z][A-Z0-9_]*)""");
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string file in Directory.GetFiles(Path.Combine(ModuleAssembly.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match m in read.Matches(File.ReadAllText(file))) names.Add(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
            }
            // The snapshot's list is what the profile graph reads, whatever form the code reading it takes.
            names.UnionWith(AwsVault.Config.EnvironmentSnapshot.Names);
            Assert.Contains("AWS_VAULT_FILE_PASSPHRASE", names);
            Assert.Contains("AWS_SESSION_TAGS", names);
            return names;
        }

        private static IEnumerable<string> SessionVariableNames()
        {
            var session = new AwsVaultSession("p", new AwsCredentials("ASIAEXAMPLE", "secret", "token", DateTimeOffset.UtcNow.AddHours(1)), "eu-west-1", "test");
            return SessionVariables.For(session).Select(v => v.Key).Distinct();
        }

        private static string ParseErrors(string code)
        {
            Parser.ParseInput(code, out _, out ParseError[] errors);
            return errors.Length == 0 ? null : string.Join("; ", errors.Select(e => e.Extent.StartLineNumber + ":" + e.Extent.StartColumnNumber + " " + e.Message));
        }

        private static object Prop(object o, string name) => o is PSObject p ? p.Properties[name]?.Value : null;

        private static string Str(object o) => (o is PSObject p ? p.BaseObject : o) as string ?? string.Empty;

        /// <summary>Help objects hold one item or an array of them under the same name.</summary>
        private static IEnumerable<object> Many(object o)
        {
            object value = o is PSObject p ? p.BaseObject : o;
            if (value == null) return Enumerable.Empty<object>();
            if (value is IEnumerable items && !(value is string)) return items.Cast<object>();
            return new[] { o };
        }

        /// <summary>The text of MAML paragraphs (objects with a Text property), joined.</summary>
        private static string Text(object paragraphs) =>
            string.Join("\n", Many(paragraphs).Select(x => Str(Prop(x, "Text")))).Trim();
    }
}
