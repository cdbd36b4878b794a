using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace AwsVault.Build.Help
{
    /// <summary>
    /// HelpGenerator --module out/AwsVault/AwsVault.psd1 --source docs/help --out out/AwsVault/en-US
    ///
    /// Every exported command needs docs/help/&lt;Name&gt;.md documenting exactly the parameters it has;
    /// about_*.md files become about_*.help.txt. Problems are printed as MSBuild errors (file(line): error ...)
    /// and make the exit code 1, so the build fails and names the line to fix.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
            if (!options.TryGetValue("module", out string manifest) || !options.TryGetValue("source", out string source) || !options.TryGetValue("out", out string output))
            {
                Console.Error.WriteLine("usage: HelpGenerator --module <AwsVault.psd1> --source <docs/help> --out <module>/en-US");
                return 2;
            }
            source = Path.GetFullPath(source);
            var d = new Diagnostics(source);

            List<CommandModel> commands;
            try
            {
                commands = ModuleCommands.Load(Path.GetFullPath(manifest));
            }
            catch (Exception ex) when (ex is System.Management.Automation.RuntimeException || ex is IOException)
            {
                Console.WriteLine(Path.GetFullPath(manifest) + ": error AVHELP: The module could not be imported to read its commands: " + ex.Message);
                return 1;
            }
            var files = Directory.GetFiles(source, "*.md").Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToList();
            var commandFiles = files.Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase)).ToList();

            var documented = new List<(CommandModel Model, CommandDoc Doc)>();
            foreach (CommandModel command in commands)
            {
                string path = Path.Combine(source, command.Name + ".md");
                if (!File.Exists(path))
                {
                    d.Error(command.Name + ".md", 0, command.Name + " is exported by the module but has no help source. Write docs/help/" + command.Name + ".md (see docs/help/README.md).");
                    continue;
                }
                CommandDoc doc = CommandDoc.Read(path, d);
                if (doc == null) continue;
                Check(command, doc, d);
                documented.Add((command, doc));
            }
            foreach (string file in commandFiles)
            {
                string name = Path.GetFileNameWithoutExtension(file);
                if (!commands.Any(c => c.Name == name)) d.Error(Path.GetFileName(file), 1, "'" + name + "' is not a command the module exports. Remove the file, or export the command.");
            }
            var abouts = files.Where(f => Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase)).Select(f => AboutDoc.Read(f, d)).ToList();

            if (d.Count > 0) return 1;

            Directory.CreateDirectory(output);
            var utf8 = new UTF8Encoding(false);
            foreach (var group in documented.GroupBy(c => c.Model.HelpFile))
            {
                string path = Path.Combine(output, group.Key);
                using (var writer = new StreamWriter(path, false, utf8)) MamlWriter.Write(group).Save(writer);
                Console.WriteLine("HelpGenerator: " + path + " (" + string.Join(", ", group.Select(c => c.Model.Name)) + ")");
            }
            foreach (AboutDoc about in abouts)
            {
                string path = Path.Combine(output, about.Name + ".help.txt");
                File.WriteAllText(path, AboutWriter.Write(about), utf8);
                Console.WriteLine("HelpGenerator: " + path);
            }
            return 0;
        }

        /// <summary>The help must document every parameter the command has (but the common ones), and no other.</summary>
        private static void Check(CommandModel command, CommandDoc doc, Diagnostics d)
        {
            if (string.IsNullOrEmpty(command.HelpFile))
            {
                d.Error(doc.File, 1, command.Name + " names no help file, so Get-Help would never read the generated one. " +
                        "Put '# .ExternalHelp <Module>.psm1-help.xml' at the top of the function body.");
            }
            foreach (ParameterModel p in command.Parameters)
            {
                if (ModuleCommands.IsShouldProcess(p.Name)) continue;
                if (!doc.Parameters.Any(x => string.Equals(x.Name, p.Name, StringComparison.OrdinalIgnoreCase)))
                    d.Error(doc.File, 1, command.Name + " has the parameter -" + p.Name + ", which the help does not describe. Add '### -" + p.Name + "' under '## PARAMETERS'.");
            }
            foreach (NamedDoc p in doc.Parameters)
            {
                ParameterModel actual = command.Parameters.FirstOrDefault(x => string.Equals(x.Name, p.Name, StringComparison.OrdinalIgnoreCase));
                if (actual == null)
                    d.Error(doc.File, p.Line, command.Name + " has no parameter -" + p.Name + ". Remove it from the help, or correct its name.");
                else if (actual.Name != p.Name)
                    d.Error(doc.File, p.Line, "The parameter is spelled -" + actual.Name + ".");
            }
            foreach (string type in command.OutputTypes)
            {
                if (!doc.Outputs.Any(o => o.Name == type || o.Name.EndsWith("." + type, StringComparison.Ordinal) || type.EndsWith("." + o.Name, StringComparison.Ordinal)))
                    d.Error(doc.File, 1, command.Name + " declares the output type " + type + ", which '## OUTPUTS' does not describe.");
            }
        }
    }

    /// <summary>Problems in the help sources, printed in MSBuild's canonical error format as they are found.</summary>
    internal sealed class Diagnostics
    {
        private readonly string _directory;

        public Diagnostics(string directory)
        {
            _directory = directory;
        }

        public int Count { get; private set; }

        public void Error(string file, int line, string message)
        {
            Count++;
            string path = Path.Combine(_directory, file);
            Console.WriteLine(path + (line > 0 ? "(" + line + ")" : string.Empty) + ": error AVHELP: " + message);
        }
    }
}
