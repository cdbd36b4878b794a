using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using Xunit;

namespace AwsVault.Tests.Repository
{
    /// <summary>
    /// Every PowerShell file in the repository parses. build.ps1 and tests/Pester need pwsh and Pester, which the
    /// build machines do not have, so a syntax error there would otherwise go unnoticed until someone runs them.
    /// </summary>
    public class ScriptParseTests
    {
        private static readonly string[] Extensions = { ".ps1", ".psm1", ".psd1" };

        // Build output and copies of checked-in files; .git and tool folders hold nothing of ours.
        private static readonly HashSet<string> SkippedDirectories = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "bin", "obj", "out", ".git", ".vs", "node_modules", "TestResults", "BenchmarkDotNet.Artifacts",
        };

        private static string Relative(string path) => Path.GetRelativePath(ModuleAssembly.RepoRoot, path).Replace('\\', '/');

        internal static List<string> ScriptFiles()
        {
            var found = new List<string>();
            var pending = new Stack<string>();
            pending.Push(ModuleAssembly.RepoRoot);
            while (pending.Count > 0)
            {
                string dir = pending.Pop();
                foreach (string sub in Directory.GetDirectories(dir))
                {
                    if (!SkippedDirectories.Contains(Path.GetFileName(sub))) pending.Push(sub);
                }
                found.AddRange(Directory.GetFiles(dir).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)));
            }
            found.Sort(StringComparer.Ordinal);
            return found;
        }

        [Fact]
        public void TheScriptsThatOnlyPwshRunsAreAmongTheFilesChecked()
        {
            var files = ScriptFiles().Select(Relative).ToList();
            Assert.Contains("build.ps1", files);
            Assert.Contains("AwsVault.psd1", files);
            Assert.Contains("src/AwsVault.PowerShell/AwsVault.psm1", files);
            Assert.Contains("tests/Pester/TestHelpers.psm1", files);
            string[] pester = Directory.GetFiles(Path.Combine(ModuleAssembly.RepoRoot, "tests", "Pester"), "*.ps1").Select(Relative).ToArray();
            Assert.Contains("tests/Pester/AwsVault.Profile.Tests.ps1", pester);
            Assert.True(pester.Length >= 4, "tests/Pester has only " + string.Join(", ", pester));
            Assert.All(pester, p => Assert.Contains(p, files));
            Assert.DoesNotContain(files, f => f.StartsWith("out/", StringComparison.Ordinal) || f.Contains("/bin/") || f.Contains("/obj/"));
        }

        [Fact]
        public void EveryPowerShellFileParses()
        {
            var problems = new List<string>();
            foreach (string file in ScriptFiles())
            {
                ScriptBlockAst ast = Parser.ParseFile(file, out _, out ParseError[] errors);
                foreach (ParseError e in errors)
                {
                    problems.Add(Relative(file) + ":" + e.Extent.StartLineNumber + ":" + e.Extent.StartColumnNumber + ": " + e.ErrorId + ": " + e.Message);
                }
                if (errors.Length == 0 && file.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
                {
                    string why = DataFileProblem(ast);
                    if (why != null) problems.Add(Relative(file) + ": " + why);
                }
            }
            Assert.True(problems.Count == 0, "PowerShell files that do not parse:\n" + string.Join("\n", problems));
        }

        // Import-PowerShellDataFile and Import-Module read a .psd1 as one hashtable of constants; a file that parses
        // as a script but is not that fails only when someone imports it.
        private static string DataFileProblem(ScriptBlockAst ast)
        {
            var statements = ast.EndBlock?.Statements;
            if (statements == null || statements.Count != 1 ||
                !(statements[0] is PipelineAst pipeline) || !(pipeline.GetPureExpression() is HashtableAst hashtable))
            {
                return "a data file must hold exactly one hashtable";
            }
            try
            {
                hashtable.SafeGetValue();
                return null;
            }
            catch (InvalidOperationException e)
            {
                return "not a constant hashtable: " + e.Message;
            }
        }
    }
}
