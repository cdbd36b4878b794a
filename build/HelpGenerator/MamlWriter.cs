using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace AwsVault.Build.Help
{
    /// <summary>
    /// Writes command help in the MAML dialect Get-Help reads (the one platyPS and PowerShell's own help use):
    /// details with the synopsis, description, one syntax item per parameter set, parameters with their
    /// binding facts, inputs, outputs, notes, examples and links.
    /// </summary>
    internal static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        // Get-Help's stock wording for the ShouldProcess parameters, used unless a help file words them itself.
        private static readonly Dictionary<string, string> ShouldProcessText = new Dictionary<string, string>
        {
            ["WhatIf"] = "Shows what would happen if the command runs. The command does not run.",
            ["Confirm"] = "Prompts you for confirmation before running the command.",
        };

        public static XDocument Write(IEnumerable<(CommandModel Model, CommandDoc Doc)> commands)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev));
            foreach (var (model, doc) in commands) root.Add(CommandElement(model, doc));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        private static XElement CommandElement(CommandModel model, CommandDoc doc)
        {
            var descriptions = doc.Parameters.ToDictionary(p => p.Name, p => p.Blocks, System.StringComparer.OrdinalIgnoreCase);
            IEnumerable<string> DescriptionOf(ParameterModel p) =>
                descriptions.TryGetValue(p.Name, out var blocks) ? Paragraphs(blocks) : new[] { ShouldProcessText[p.Name] };

            // Documented order first (the author's reading order), then WhatIf/Confirm when left to the defaults.
            var ordered = doc.Parameters.Select(d => model.Parameters.First(p => string.Equals(p.Name, d.Name, System.StringComparison.OrdinalIgnoreCase)))
                .Concat(model.Parameters.Where(p => !descriptions.ContainsKey(p.Name) && ModuleCommands.IsShouldProcess(p.Name)))
                .ToList();

            return new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", model.Name),
                    new XElement(Command + "verb", model.Verb),
                    new XElement(Command + "noun", model.Noun),
                    Description(new[] { doc.Synopsis })),
                Description(Paragraphs(doc.Description)),
                new XElement(Command + "syntax",
                    model.Sets.Select(set => new XElement(Command + "syntaxItem",
                        new XElement(Maml + "name", model.Name),
                        SyntaxOrder(set).Select(sp => Parameter(sp.Parameter, new[] { sp }, null, syntax: true))))),
                new XElement(Command + "parameters",
                    ordered.Select(p => Parameter(p, p.InSets, DescriptionOf(p), syntax: false))),
                new XElement(Command + "inputTypes", Inputs(model, doc).Select(t =>
                    new XElement(Command + "inputType", TypeElement(t.Name), Description(t.Paragraphs)))),
                new XElement(Command + "returnValues", doc.Outputs.Select(t =>
                    new XElement(Command + "returnValue", TypeElement(t.Name), Description(Paragraphs(t.Blocks))))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(doc.Notes).Select(Para))),
                new XElement(Command + "examples", doc.Examples.Select(e =>
                    new XElement(Command + "example",
                        new XElement(Maml + "title", "---------- " + e.Title + " ----------"),
                        new XElement(Dev + "code", e.Code),
                        new XElement(Dev + "remarks", Paragraphs(e.Remarks).Append(string.Empty).Select(Para))))),
                new XElement(Command + "relatedLinks", doc.Links.Select(link =>
                    new XElement(Maml + "navigationLink",
                        new XElement(Maml + "linkText", link),
                        new XElement(Maml + "uri", string.Empty)))));
        }

        // Positional parameters by position, then mandatory named ones, then the rest: how PowerShell itself
        // orders a syntax line, so it reads as a command line.
        private static IEnumerable<SetParameterModel> SyntaxOrder(ParameterSetModel set) =>
            set.Parameters.Where(p => p.Position.HasValue).OrderBy(p => p.Position)
                .Concat(set.Parameters.Where(p => !p.Position.HasValue && p.Mandatory))
                .Concat(set.Parameters.Where(p => !p.Position.HasValue && !p.Mandatory));

        /// <summary>A parameter in a syntax item (one set) or in the parameter list (all its sets: required only
        /// when every set requires it, a position only when every set agrees on it).</summary>
        private static XElement Parameter(ParameterModel p, IReadOnlyList<SetParameterModel> sets, IEnumerable<string> description, bool syntax)
        {
            bool required = sets.All(s => s.Mandatory);
            var positions = sets.Select(s => s.Position).Distinct().ToList();
            string position = positions.Count == 1 && positions[0].HasValue ? positions[0].Value.ToString() : "named";
            bool byValue = sets.Any(s => s.ByValue);
            bool byName = sets.Any(s => s.ByPropertyName);
            string pipeline = byValue && byName ? "True (ByPropertyName, ByValue)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
            bool isArray = p.Type.IsArray;

            var element = new XElement(Command + "parameter",
                new XAttribute("required", required ? "true" : "false"),
                new XAttribute("variableLength", isArray ? "true" : "false"),
                new XAttribute("globbing", p.Globbing ? "true" : "false"),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", position),
                new XAttribute("aliases", p.Aliases.Length == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name));
            if (description != null) element.Add(Description(description));
            if (p.Values != null)
            {
                element.Add(new XElement(Command + "parameterValueGroup", p.Values.Select(v =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
            }
            // A switch takes no value on the command line, so its syntax shows none; the parameter list still names its type.
            if (!(syntax && p.IsSwitch) && !(syntax && p.Values != null))
            {
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", p.IsSwitch ? "false" : "true"),
                    new XAttribute("variableLength", isArray ? "true" : "false"), ShortName(p.Type)));
            }
            element.Add(TypeElement(p.Type.FullName));
            element.Add(new XElement(Dev + "defaultValue", p.DefaultValue));
            return element;
        }

        private static IEnumerable<(string Name, IEnumerable<string> Paragraphs)> Inputs(CommandModel model, CommandDoc doc)
        {
            if (doc.Inputs != null) return doc.Inputs.Select(i => (i.Name, Paragraphs(i.Blocks)));
            var piped = model.Parameters.Where(p => p.InSets.Any(s => s.ByValue || s.ByPropertyName)).ToList();
            if (piped.Count == 0) return new[] { ("None", (IEnumerable<string>)new[] { "You cannot pipe objects to this command." }) };
            return piped.Select(p =>
            {
                bool byValue = p.InSets.Any(s => s.ByValue), byName = p.InSets.Any(s => s.ByPropertyName);
                string text = byValue && byName ? "You can pipe a value of this type to -" + p.Name + ", or objects with a " + p.Name + " property."
                            : byValue ? "You can pipe a value of this type to -" + p.Name + "."
                            : "You can pipe objects whose " + p.Name + " property is of this type; it binds to -" + p.Name + ".";
                return (p.Type.FullName, (IEnumerable<string>)new[] { text });
            });
        }

        private static string ShortName(System.Type type) => type.IsArray ? type.GetElementType().Name + "[]" : type.Name;

        private static XElement TypeElement(string name) =>
            new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri", string.Empty));

        private static XElement Description(IEnumerable<string> paragraphs) =>
            new XElement(Maml + "description", paragraphs.Select(Para));

        private static XElement Para(string text) => new XElement(Maml + "para", text);

        /// <summary>Blocks as MAML paragraphs: a paragraph each, one per list item, and one per code block.</summary>
        internal static IEnumerable<string> Paragraphs(IEnumerable<MdBlock> blocks)
        {
            foreach (MdBlock block in blocks)
            {
                switch (block)
                {
                    case MdParagraph p:
                        yield return Markdown.Inline(p.Text);
                        break;
                    case MdList l:
                        for (int i = 0; i < l.Items.Count; i++) yield return l.Marker(i) + Markdown.Inline(l.Items[i]);
                        break;
                    case MdCode c:
                        // Get-Help trims a paragraph's first line, so code keeps only its relative indentation.
                        yield return c.Code;
                        break;
                }
            }
        }
    }
}
