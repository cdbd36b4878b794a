using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using AwsVault.Internal;

namespace AwsVault.Apply
{
    /// <summary>
    /// Starts a program with a session's variables in its own environment block only, the caller's
    /// environment untouched. Standard input, output and error are inherited, so interactive programs and
    /// shells work as if started directly.
    /// </summary>
    internal sealed class ChildProcess : IDisposable
    {
        private static readonly char[] BatchMetacharacters = { '&', '|', '<', '>', '^', '%', '!', '"', '\r', '\n' };

        private readonly Process _process;

        private ChildProcess(Process process)
        {
            _process = process;
        }

        public static ChildProcess Start(string fileName, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> variables)
        {
            var psi = new ProcessStartInfo { UseShellExecute = false };
            string extension = Path.GetExtension(fileName) ?? string.Empty;
            if (Platform.IsWindows && (extension.Equals(".cmd", StringComparison.OrdinalIgnoreCase) || extension.Equals(".bat", StringComparison.OrdinalIgnoreCase)))
            {
                // Batch files run through cmd.exe, which reparses the line: an argument with & | < > ^ % ! or a
                // quote could run a second command, so such arguments are refused rather than half-escaped.
                foreach (string arg in arguments)
                {
                    if (arg.IndexOfAny(BatchMetacharacters) >= 0)
                    {
                        throw new AwsVaultException(ErrorIds.UnsafeBatchArgument, System.Management.Automation.ErrorCategory.InvalidArgument,
                            "'" + Path.GetFileName(fileName) + "' is a batch file, and cmd.exe would interpret one of its arguments (it contains one of & | < > ^ % ! \" or a line break). Run it as cmd /c with your own quoting, or pass the value another way.", fileName);
                    }
                }
                var all = new List<string> { fileName };
                all.AddRange(arguments);
                psi.FileName = System.Environment.GetEnvironmentVariable("ComSpec") ?? "cmd.exe";
                psi.Arguments = "/d /s /c \"" + JoinArguments(all) + "\"";
            }
            else
            {
                psi.FileName = fileName;
#if NETFRAMEWORK
                psi.Arguments = JoinArguments(arguments);
#else
                foreach (string arg in arguments) psi.ArgumentList.Add(arg);
#endif
            }
            foreach (var pair in variables)
            {
                if (pair.Value == null) psi.Environment.Remove(pair.Key);
                else psi.Environment[pair.Key] = pair.Value;
            }
            return new ChildProcess(Process.Start(psi));
        }

        public bool WaitForExit(int milliseconds) => _process.WaitForExit(milliseconds);

        public int ExitCode => _process.ExitCode;

        public void Kill()
        {
            try
            {
                if (!_process.HasExited) _process.Kill();
            }
            catch (InvalidOperationException)
            {
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        public void Dispose() => _process.Dispose();

        /// <summary>
        /// One command line that .NET (on every OS) and the Windows C runtime split back into exactly these
        /// arguments. .NET Framework has no ProcessStartInfo.ArgumentList, and cmd.exe's /s /c line is one string
        /// on every runtime; the net8.0 build passes other programs their arguments through ArgumentList.
        /// </summary>
        internal static string JoinArguments(IEnumerable<string> arguments)
        {
            var sb = new StringBuilder();
            foreach (string arg in arguments)
            {
                if (sb.Length > 0) sb.Append(' ');
                if (arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
                {
                    sb.Append(arg);
                    continue;
                }
                sb.Append('"');
                int backslashes = 0;
                foreach (char c in arg)
                {
                    if (c == '\\')
                    {
                        backslashes++;
                        continue;
                    }
                    if (c == '"')
                    {
                        sb.Append('\\', backslashes * 2 + 1).Append('"');
                    }
                    else
                    {
                        sb.Append('\\', backslashes).Append(c);
                    }
                    backslashes = 0;
                }
                sb.Append('\\', backslashes * 2).Append('"');
            }
            return sb.ToString();
        }
    }
}
