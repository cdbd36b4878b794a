using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace AwsVault.Build.Help
{
    /// <summary>One command's help as written in docs/help/&lt;Name&gt;.md.</summary>
    internal sealed class CommandDoc
    {
        public static readonly string[] Sections = { "SYNOPSIS", "DESCRIPTION", "PARAMETERS", "EXAMPLES", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        public string File { get; init; }
        public string Name { get; init; }
        public string Synopsis { get; set; }
        public List<MdBlock> Description { get; } = new List<MdBlock>();
        public List<NamedDoc> Parameters { get; } = new List<NamedDoc>();
        public List<ExampleDoc> Examples { get; } = new List<ExampleDoc>();
        /// <summary>Null when the file has no INPUTS section: they are then derived from the pipeline parameters.</summary>
        public List<NamedDoc> Inputs { get; set; }
        public List<NamedDoc> Outputs { get; } = new List<NamedDoc>();
        public List<MdBlock> Notes { get; } = new List<MdBlock>();
        public List<string> Links { get; } = new List<string>();

        public static CommandDoc Read(string path, Diagnostics d)
        {
            string file = Path.GetFileName(path);
            MdSection root = Markdown.Parse(System.IO.File.ReadAllText(path), file, d);
            MdSection top = Single(root, file, d);
            if (top == null) return null;
            var doc = new CommandDoc { File = file, Name = top.Title };
            if (!string.Equals(top.Title + ".md", file, StringComparison.Ordinal))
            {
                d.Error(file, top.Line, "The title '# " + top.Title + "' must be the command name, which is also the file name.");
            }

            foreach (MdSection section in top.Children)
            {
                switch (section.Title)
                {
                    case "SYNOPSIS":
                        var paragraphs = section.Blocks.OfType<MdParagraph>().ToList();
                        if (paragraphs.Count != 1 || section.Blocks.Count != 1)
                            d.Error(file, section.Line, "SYNOPSIS must be exactly one paragraph: it is the one line Get-Help shows in lists.");
                        doc.Synopsis = paragraphs.Count > 0 ? Markdown.Inline(paragraphs[0].Text) : null;
                        break;
                    case "DESCRIPTION":
                        doc.Description.AddRange(section.Blocks);
                        break;
                    case "PARAMETERS":
                        foreach (MdSection p in section.Children)
                        {
                            if (!p.Title.StartsWith("-", StringComparison.Ordinal) || p.Title.Contains(' '))
                            {
                                d.Error(file, p.Line, "A parameter heading is '### -Name'; '" + p.Title + "' is not.");
                                continue;
                            }
                            if (doc.Parameters.Any(x => string.Equals(x.Name, p.Title.Substring(1), StringComparison.OrdinalIgnoreCase)))
                                d.Error(file, p.Line, "Parameter " + p.Title + " is documented twice.");
                            if (p.Blocks.Count == 0) d.Error(file, p.Line, "Parameter " + p.Title + " has no description.");
                            doc.Parameters.Add(new NamedDoc(p.Title.Substring(1), p.Line, p.Blocks));
                        }
                        break;
                    case "EXAMPLES":
                        foreach (MdSection e in section.Children) doc.Examples.Add(ExampleDoc.Read(e, file, d));
                        break;
                    case "INPUTS":
                        doc.Inputs = Types(section, file, d);
                        break;
                    case "OUTPUTS":
                        doc.Outputs.AddRange(Types(section, file, d));
                        break;
                    case "NOTES":
                        doc.Notes.AddRange(section.Blocks);
                        break;
                    case "RELATED LINKS":
                        foreach (MdBlock b in section.Blocks)
                        {
                            if (b is MdList l) doc.Links.AddRange(l.Items.Select(Markdown.Inline));
                            else d.Error(file, b.Line, "RELATED LINKS is a list of links.");
                        }
                        break;
                    default:
                        d.Error(file, section.Line, "Unknown section '## " + section.Title + "'. The sections are: " + string.Join(", ", Sections) + ".");
                        break;
                }
                if (section.Title != "PARAMETERS" && section.Title != "EXAMPLES" && section.Title != "INPUTS" && section.Title != "OUTPUTS" && section.Children.Count > 0)
                {
                    d.Error(file, section.Children[0].Line, "'## " + section.Title + "' has no subsections.");
                }
            }

            if (string.IsNullOrWhiteSpace(doc.Synopsis)) d.Error(file, top.Line, "The help has no SYNOPSIS.");
            if (doc.Description.Count == 0) d.Error(file, top.Line, "The help has no DESCRIPTION.");
            if (doc.Examples.Count < 2) d.Error(file, top.Line, "The help has " + doc.Examples.Count + " example(s); every command needs at least two.");
            if (doc.Outputs.Count == 0) d.Error(file, top.Line, "The help has no OUTPUTS (write '### None' when the command writes nothing).");
            return doc;
        }

        private static List<NamedDoc> Types(MdSection section, string file, Diagnostics d)
        {
            if (section.Blocks.Count > 0 || section.Children.Count == 0)
                d.Error(file, section.Line, "'## " + section.Title + "' holds one '### TypeName' subsection per type, each with a description.");
            return section.Children.Select(c => new NamedDoc(c.Title, c.Line, c.Blocks)).ToList();
        }

        internal static MdSection Single(MdSection root, string file, Diagnostics d)
        {
            if (root.Blocks.Count > 0) d.Error(file, root.Blocks[0].Line, "Text before the '# Title' line.");
            if (root.Children.Count != 1 || root.Children[0].Level != 1)
            {
                d.Error(file, 1, "A help source has exactly one '# Title' heading, and every section under it is '## SECTION'.");
                return root.Children.FirstOrDefault(c => c.Level == 1);
            }
            return root.Children[0];
        }
    }

    internal sealed class NamedDoc
    {
        public NamedDoc(string name, int line, List<MdBlock> blocks)
        {
            Name = name;
            Line = line;
            Blocks = blocks;
        }

        public string Name { get; }
        public int Line { get; }
        public List<MdBlock> Blocks { get; }
    }

    internal sealed class ExampleDoc
    {
        public string Title { get; init; }
        public string Code { get; init; }
        public List<MdBlock> Remarks { get; init; }

        /// <summary>An example is its code first (one ```powershell fence), then the explanation.</summary>
        public static ExampleDoc Read(MdSection section, string file, Diagnostics d)
        {
            if (!section.Title.StartsWith("Example ", StringComparison.Ordinal))
                d.Error(file, section.Line, "An example heading is '### Example N: what it shows'; '" + section.Title + "' is not.");
            var code = section.Blocks.FirstOrDefault() as MdCode;
            if (code == null || code.Language != "powershell" || code.Code.Trim().Length == 0)
                d.Error(file, section.Line, "An example starts with its code in a ```powershell fence.");
            var remarks = section.Blocks.Skip(code == null ? 0 : 1).ToList();
            if (remarks.Count == 0) d.Error(file, section.Line, "The example says nothing about what it does; add a sentence after the code.");
            return new ExampleDoc { Title = section.Title, Code = code?.Code ?? string.Empty, Remarks = remarks };
        }
    }

    /// <summary>An about_ topic as written in docs/help/about_*.md.</summary>
    internal sealed class AboutDoc
    {
        public string Name { get; init; }
        public string ShortDescription { get; init; }
        public MdSection Root { get; init; }

        public static AboutDoc Read(string path, Diagnostics d)
        {
            string file = Path.GetFileName(path);
            MdSection root = Markdown.Parse(File.ReadAllText(path), file, d);
            MdSection top = CommandDoc.Single(root, file, d);
            if (top == null) return null;
            if (!string.Equals(top.Title + ".md", file, StringComparison.Ordinal))
                d.Error(file, top.Line, "The title '# " + top.Title + "' must be the topic name, which is also the file name.");
            MdSection first = top.Children.FirstOrDefault();
            // Get-Help takes the fifth line of a help.txt file as the topic's synopsis; that is where the one
            // paragraph of SHORT DESCRIPTION lands.
            if (first == null || first.Title != "SHORT DESCRIPTION" || first.Blocks.Count != 1 || !(first.Blocks[0] is MdParagraph))
            {
                d.Error(file, top.Line, "An about topic starts with '## SHORT DESCRIPTION' and one paragraph.");
                return null;
            }
            if (!top.Children.Any(c => c.Title == "LONG DESCRIPTION"))
                d.Error(file, top.Line, "An about topic has a '## LONG DESCRIPTION' section.");
            foreach (MdSection s in top.Children.Where(s => s.Title != s.Title.ToUpperInvariant()))
                d.Error(file, s.Line, "Top-level sections of an about topic are in capitals, as in every about_ topic ('## " + s.Title.ToUpperInvariant() + "').");
            return new AboutDoc { Name = top.Title, ShortDescription = Markdown.Inline(((MdParagraph)first.Blocks[0]).Text), Root = top };
        }
    }
}
