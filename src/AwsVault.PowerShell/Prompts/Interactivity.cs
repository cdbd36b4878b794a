using System;
using System.IO;
using System.Management.Automation.Host;

namespace AwsVault.Prompts
{
    /// <summary>
    /// Decides whether a human can answer a prompt. When none can (CI agents, -NonInteractive, a host
    /// without UI), every prompt must fail at once with a message naming the input to supply, because a
    /// prompt nobody answers hangs a pipeline until its timeout.
    /// </summary>
    internal static class Interactivity
    {
        /// <summary>Null when prompting is possible, else why it is not, in words fit for an error message.</summary>
        public static string WhyPromptIsImpossible(PSHost host)
        {
            string mode = Environment.GetEnvironmentVariable("AWS_VAULT_PROMPT");
            if (string.Equals(mode, "none", StringComparison.OrdinalIgnoreCase))
            {
                return "AWS_VAULT_PROMPT is 'none'";
            }
            bool forced = string.Equals(mode, "terminal", StringComparison.OrdinalIgnoreCase);
            if (!forced && IsTrue(Environment.GetEnvironmentVariable("CI")))
            {
                // No parentheses: callers put this reason in parentheses of their own.
                return "CI is set to '" + Environment.GetEnvironmentVariable("CI") + "'; AWS_VAULT_PROMPT=terminal allows prompts anyway";
            }
            if (host == null || host.UI == null || string.Equals(host.Name, "Default Host", StringComparison.Ordinal))
            {
                return "the PowerShell host has no user interface";
            }
            if (!forced && RunsNonInteractive())
            {
                return "PowerShell was started with -NonInteractive";
            }
            return null;
        }

        private static bool IsTrue(string value) =>
            string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";

        // pwsh and powershell.exe accept any unambiguous prefix of -NonInteractive down to -noni.
        private static bool RunsNonInteractive()
        {
            string[] args;
            try
            {
                args = Environment.GetCommandLineArgs();
            }
            catch (NotSupportedException)
            {
                return false;
            }
            if (args.Length == 0) return false;
            string exe = Path.GetFileNameWithoutExtension(args[0]) ?? string.Empty;
            if (!exe.Equals("pwsh", StringComparison.OrdinalIgnoreCase) && !exe.Equals("powershell", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            for (int i = 1; i < args.Length; i++)
            {
                string a = args[i].TrimStart('-', '/');
                if (args[i].Length > 0 && (args[i][0] == '-' || args[i][0] == '/') && a.Length >= 4 &&
                    "noninteractive".StartsWith(a, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
                if (a.Equals("command", StringComparison.OrdinalIgnoreCase) || a.Equals("c", StringComparison.OrdinalIgnoreCase) ||
                    a.Equals("file", StringComparison.OrdinalIgnoreCase) || a.Equals("f", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }
            return false;
        }
    }
}
