using System;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;

namespace AwsVault.Internal
{
    /// <summary>
    /// Runs a command line from the config (mfa_process, credential_process, web_identity_token_process)
    /// through the platform shell, as the AWS CLI and aws-vault do. Standard output is captured; standard
    /// error is left to the console because such commands often talk to the user there ("touch your key").
    /// </summary>
    internal static class ShellCommand
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

        public sealed class Result
        {
            public int ExitCode { get; set; }
            public string StandardOutput { get; set; }
            public bool TimedOut { get; set; }
        }

        public static Result Run(string commandLine, TimeSpan timeout)
        {
            var psi = new ProcessStartInfo
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardInput = false,
                RedirectStandardError = false,
                CreateNoWindow = true,
                StandardOutputEncoding = new UTF8Encoding(false),
            };
            if (Platform.IsWindows)
            {
                psi.FileName = Environment.GetEnvironmentVariable("ComSpec") ?? "cmd.exe";
                psi.Arguments = "/d /s /c \"" + commandLine + "\"";
            }
            else
            {
                psi.FileName = "/bin/sh";
#if NETFRAMEWORK
                psi.Arguments = "-c " + QuoteForUnixArgv(commandLine);
#else
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(commandLine);
#endif
            }

            using (var process = Process.Start(psi))
            {
                Task<string> stdout = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)))
                {
                    try { process.Kill(); } catch (InvalidOperationException) { }
                    return new Result { ExitCode = -1, StandardOutput = string.Empty, TimedOut = true };
                }
                process.WaitForExit();
                return new Result { ExitCode = process.ExitCode, StandardOutput = stdout.GetAwaiter().GetResult() };
            }
        }

#if NETFRAMEWORK
        // (pwsh 7.2/7.3 on Unix run the net472 build.) .NET splits ProcessStartInfo.Arguments by its own rules
        // on Unix; double quotes with backslash escapes keep the whole command line one argument for sh -c.
        private static string QuoteForUnixArgv(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in s)
            {
                if (c == '"' || c == '\\') sb.Append('\\');
                sb.Append(c);
            }
            return sb.Append('"').ToString();
        }
#endif
    }
}
