using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AwsVault.Build.Help
{
    /// <summary>
    /// Writes an about_ topic in the layout of PowerShell's own about_*.help.txt files: section titles in
    /// capitals at the margin, text indented four spaces and wrapped at 80 columns, code indented eight.
    /// </summary>
    internal static class AboutWriter
    {
        private const int Width = 80;

        public static string Write(AboutDoc doc)
        {
            var sb = new StringBuilder();
            sb.Append("TOPIC\n    ").Append(doc.Name).Append("\n\n");
            // Unwrapped: Get-Help reads the topic's synopsis from this one line (the fifth).
            sb.Append("SHORT DESCRIPTION\n    ").Append(doc.ShortDescription).Append('\n');
            foreach (MdSection section in doc.Root.Children.Skip(1)) Section(sb, section);
            return sb.ToString();
        }

        private static void Section(StringBuilder sb, MdSection section)
        {
            sb.Append('\n');
            if (section.Level == 2) sb.Append(section.Title).Append('\n');
            else sb.Append(new string(' ', section.Level == 3 ? 2 : 4)).Append(Markdown.Inline(section.Title)).Append('\n');
            bool first = true;
            foreach (MdBlock block in section.Blocks)
            {
                if (!first) sb.Append('\n');
                first = false;
                foreach (string line in Lines(block)) sb.Append(line.TrimEnd()).Append('\n');
            }
            foreach (MdSection child in section.Children) Section(sb, child);
        }

        private static IEnumerable<string> Lines(MdBlock block)
        {
            switch (block)
            {
                case MdParagraph p:
                    return Markdown.Wrap(Markdown.Inline(p.Text), Width, "    ", "    ");
                case MdList l:
                    return l.Items.SelectMany((item, i) => Markdown.Wrap(Markdown.Inline(item), Width, "    " + l.Marker(i), new string(' ', 4 + l.Marker(i).Length)));
                case MdCode c:
                    return c.Code.Split('\n').Select(line => "        " + line);
                default:
                    return Enumerable.Empty<string>();
            }
        }
    }
}
