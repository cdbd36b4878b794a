using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;

namespace PwshHost
{
    /// <summary>
    /// The subset of pwsh's command line that tests and credential_process lines use. Switch names match
    /// pwsh's, including its shortest accepted prefixes (-noni, -nop, -c, -f), so a line written for this
    /// host also works with a real pwsh.
    /// </summary>
    internal sealed class CommandLine
    {
        public static readonly string Usage =
            "Usage: pwsh-host [-NoProfile] [-NonInteractive] [-NoLogo] [-Command] <script text...>\n" +
            "       pwsh-host [-NoProfile] [-NonInteractive] [-NoLogo] -File <path> [args...]\n" +
            "Env:   PWSHHOST_IMPORT  module paths (separated by '" + System.IO.Path.PathSeparator + "') imported before the script runs";

        public bool NonInteractive { get; private set; }
        public bool ShowHelp { get; private set; }

        /// <summary>Script text for -Command (the remaining arguments joined with spaces, as pwsh does).</summary>
        public string Command { get; private set; }

        public string File { get; private set; }

        /// <summary>Arguments for -File, converted the way pwsh converts them (named, "-Name:value", positional).</summary>
        public List<CommandParameter> FileArguments { get; } = new List<CommandParameter>();

        public static CommandLine Parse(string[] args)
        {
            var cl = new CommandLine();
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                if (arg.Length < 2 || arg[0] != '-')
                {
                    // pwsh would treat this as -File; the brief for this host makes -Command the default,
                    // like Windows PowerShell, because every caller passes script text.
                    cl.Command = string.Join(" ", args, i, args.Length - i);
                    return cl;
                }
                string name = arg.TrimStart('-');
                if (Matches(name, "command", 1))
                {
                    if (i + 1 >= args.Length) throw new CommandLineException("Missing the script text after " + arg + ".");
                    cl.Command = string.Join(" ", args, i + 1, args.Length - i - 1);
                    return cl;
                }
                if (Matches(name, "file", 1))
                {
                    if (i + 1 >= args.Length) throw new CommandLineException("Missing the script path after " + arg + ".");
                    cl.File = args[i + 1];
                    if (!System.IO.File.Exists(cl.File)) throw new CommandLineException("The argument '" + cl.File + "' is not recognized as the name of a script file.");
                    CollectFileArguments(cl.FileArguments, args, i + 2);
                    return cl;
                }
                if (Matches(name, "noninteractive", 4)) cl.NonInteractive = true;
                else if (Matches(name, "noprofile", 3)) { /* this host never runs profiles */ }
                else if (Matches(name, "nologo", 3)) { /* this host never shows a banner */ }
                else if (Matches(name, "executionpolicy", 2) || name.Equals("ep", StringComparison.OrdinalIgnoreCase))
                {
                    // Accepted so that lines written for Windows work; policy is not enforced off Windows.
                    if (++i >= args.Length) throw new CommandLineException("Missing the value after " + arg + ".");
                }
                else if (name == "?" || Matches(name, "help", 1)) cl.ShowHelp = true;
                else throw new CommandLineException("The argument '" + arg + "' is not recognized.");
            }
            if (!cl.ShowHelp) throw new CommandLineException("Nothing to run: give -Command <script text> or -File <path>.");
            return cl;
        }

        private static bool Matches(string given, string full, int shortest) =>
            given.Length >= shortest && given.Length <= full.Length && full.StartsWith(given, StringComparison.OrdinalIgnoreCase);

        // pwsh's rules (CommandLineParameterParser): "-Name value" and "-Name: value" bind by name, "-Name:value"
        // too with "$true"/"true"/"$false"/"false" made booleans, anything else is positional.
        private static void CollectFileArguments(List<CommandParameter> into, string[] args, int start)
        {
            string pending = null;
            for (int i = start; i < args.Length; i++)
            {
                string arg = args[i];
                if (pending != null)
                {
                    into.Add(new CommandParameter(pending, arg));
                    pending = null;
                }
                else if (arg.Length > 1 && arg[0] == '-')
                {
                    int colon = arg.IndexOf(':');
                    if (colon < 0) into.Add(new CommandParameter(arg));
                    else if (colon == arg.Length - 1) pending = arg.TrimEnd(':');
                    else into.Add(new CommandParameter(arg.Substring(0, colon), ToBoolIfPossible(arg.Substring(colon + 1))));
                }
                else
                {
                    into.Add(new CommandParameter(null, arg));
                }
            }
            if (pending != null) into.Add(new CommandParameter(pending));
        }

        private static object ToBoolIfPossible(string value) =>
            value.Length > 0 && bool.TryParse(value.Substring(value[0] == '$' ? 1 : 0), out bool b) ? b : (object)value;
    }

    internal sealed class CommandLineException : Exception
    {
        public CommandLineException(string message) : base(message) { }
    }
}
