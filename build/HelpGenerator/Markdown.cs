using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsVault.Build.Help
{
    /// <summary>
    /// The small part of Markdown the help sources use (see docs/help/README.md): ATX headings, paragraphs,
    /// "-" / "*" / "1." lists, and fenced code. Anything richer (tables, nested blocks in lists) has no faithful
    /// form in MAML or a help.txt file, so it is reported instead of being passed through half-rendered.
    /// </summary>
    internal sealed class MdSection
    {
        public int Level { get; init; }
        public string Title { get; init; }
        public int Line { get; init; }
        public MdSection Parent { get; init; }
        public List<MdBlock> Blocks { get; } = new List<MdBlock>();
        public List<MdSection> Children { get; } = new List<MdSection>();
    }

    internal abstract class MdBlock
    {
        public int Line { get; init; }
    }

    internal sealed class MdParagraph : MdBlock
    {
        public string Text { get; init; }
    }

    internal sealed class MdList : MdBlock
    {
        public bool Ordered { get; init; }
        public List<string> Items { get; } = new List<string>();

        /// <summary>The marker of the item at <paramref name="index"/>: "- ", or "1. " for a numbered list.</summary>
        public string Marker(int index) => Ordered ? (index + 1) + ". " : "- ";
    }

    internal sealed class MdCode : MdBlock
    {
        public string Language { get; init; }
        public string Code { get; init; }
    }

    internal static class Markdown
    {
        private static readonly Regex Heading = new Regex(@"^(#{1,6})\s+(.*?)\s*#*\s*$");
        private static readonly Regex ListItem = new Regex(@"^ {0,3}([-*]|\d+\.)\s+(.*)$");
        private static readonly Regex Link = new Regex(@"\[([^\]]+)\]\(([^)\s]+)\)");

        /// <summary>The document as a tree of sections; the root (level 0) holds what precedes the first heading.</summary>
        public static MdSection Parse(string text, string file, Diagnostics diagnostics)
        {
            var root = new MdSection { Level = 0, Title = string.Empty, Line = 1 };
            MdSection current = root;
            string[] lines = text.Replace("\r\n", "\n").Split('\n');
            var paragraph = new List<string>();
            int paragraphLine = 0;
            MdList list = null;
            bool blankSinceList = false;

            void FlushParagraph()
            {
                if (paragraph.Count == 0) return;
                current.Blocks.Add(new MdParagraph { Line = paragraphLine, Text = string.Join(" ", paragraph) });
                paragraph.Clear();
            }

            void EndList()
            {
                list = null;
                blankSinceList = false;
            }

            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd();
                int lineNumber = i + 1;

                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    FlushParagraph();
                    EndList();
                    int indent = line.Length - line.TrimStart().Length;
                    string language = line.TrimStart().Substring(3).Trim();
                    var code = new List<string>();
                    int j = i + 1;
                    for (; j < lines.Length && !lines[j].TrimStart().StartsWith("```", StringComparison.Ordinal); j++)
                    {
                        string raw = lines[j].TrimEnd();
                        code.Add(raw.Length >= indent && raw.Substring(0, indent).Trim().Length == 0 ? raw.Substring(indent) : raw.TrimStart());
                    }
                    if (j == lines.Length) diagnostics.Error(file, lineNumber, "This code fence is never closed.");
                    current.Blocks.Add(new MdCode { Line = lineNumber, Language = language, Code = string.Join("\n", code) });
                    i = j;
                    continue;
                }

                Match heading = Heading.Match(line);
                if (heading.Success)
                {
                    FlushParagraph();
                    EndList();
                    int level = heading.Groups[1].Value.Length;
                    MdSection parent = current;
                    while (parent.Level >= level) parent = parent.Parent;
                    var section = new MdSection { Level = level, Title = heading.Groups[2].Value, Line = lineNumber, Parent = parent };
                    parent.Children.Add(section);
                    current = section;
                    continue;
                }

                if (line.Trim().Length == 0)
                {
                    FlushParagraph();
                    if (list != null) blankSinceList = true;
                    continue;
                }

                if (line.TrimStart().StartsWith("|", StringComparison.Ordinal))
                {
                    diagnostics.Error(file, lineNumber, "Tables have no plain-text form in PowerShell help; write a list or paragraphs instead.");
                    continue;
                }

                Match item = ListItem.Match(line);
                if (item.Success)
                {
                    FlushParagraph();
                    if (list == null)
                    {
                        list = new MdList { Line = lineNumber, Ordered = char.IsDigit(item.Groups[1].Value[0]) };
                        current.Blocks.Add(list);
                    }
                    list.Items.Add(item.Groups[2].Value.Trim());
                    blankSinceList = false;
                    continue;
                }

                if (list != null && !blankSinceList)
                {
                    list.Items[list.Items.Count - 1] += " " + line.Trim();
                    continue;
                }
                if (list != null && line.StartsWith("  ", StringComparison.Ordinal))
                {
                    diagnostics.Error(file, lineNumber, "A list item has a second paragraph; PowerShell help has no nested blocks. Join it to the item or end the list.");
                    continue;
                }

                EndList();
                if (paragraph.Count == 0) paragraphLine = lineNumber;
                paragraph.Add(line.Trim());
            }
            FlushParagraph();
            return root;
        }

        /// <summary>Inline markup as plain text: links keep their text (and an absolute address in parentheses),
        /// emphasis loses its markers. Backticks stay: in plain text they still mark names and code.</summary>
        public static string Inline(string text)
        {
            string result = Link.Replace(text, m =>
                m.Groups[2].Value.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                    ? m.Groups[1].Value + " (" + m.Groups[2].Value + ")"
                    : m.Groups[1].Value);
            return result.Replace("**", string.Empty);
        }

        /// <summary>Text wrapped to <paramref name="width"/> columns, each line prefixed with <paramref name="indent"/>
        /// (<paramref name="firstIndent"/> for the first).</summary>
        public static IEnumerable<string> Wrap(string text, int width, string firstIndent, string indent)
        {
            var line = new StringBuilder(firstIndent);
            bool empty = true;
            foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > width)
                {
                    yield return line.ToString();
                    line.Clear().Append(indent);
                    empty = true;
                }
                if (!empty) line.Append(' ');
                line.Append(word);
                empty = false;
            }
            if (!empty) yield return line.ToString();
        }
    }
}
