using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace AwsVault.Tests.MultiProcess
{
    /// <summary>
    /// Starts out/PwshHost/pwsh-host (tests/PwshHost: pwsh 7.6 built from Microsoft.PowerShell.SDK) as a real
    /// child process. Everything a child needs goes into its own environment block: the test process's
    /// environment is never changed, because the in-process tests share it and because many children run at
    /// once with different settings.
    /// </summary>
    internal static class PwshHostProcess
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

        public static string HostPath { get; } =
            Path.Combine(ModuleAssembly.RepoRoot, "out", "PwshHost", OperatingSystem.IsWindows() ? "pwsh-host.exe" : "pwsh-host");

        /// <summary>The variable that names modules to import before a -Command script runs: see <see cref="StartInfo"/>.</summary>
        public const string ImportVariable = "PWSHHOST_IMPORT";

        /// <summary>
        /// A start description for the host with <paramref name="arguments"/> as its command line. The child
        /// inherits PATH and the .NET variables, but none of the variables that steer AwsVault (AWS_*, CI,
        /// AWS_VAULT_PROMPT) or PowerShell module loading, since a CI agent sets CI=true and the in-process
        /// tests leave PSModulePath behind; <paramref name="environment"/> then sets what the test wants.
        /// pwsh's telemetry and update check are off (the machine has no network, and neither may touch what
        /// a test reads from stdout), and so are its colours (NO_COLOR).
        /// <para>
        /// PWSHHOST_IMPORT in <paramref name="environment"/> (module paths separated by the OS path separator)
        /// is kept from the earlier stand-in host, which imported those modules before the script: real pwsh
        /// has no such variable, so the imports become the first statements of the -Command text
        /// (with -ErrorAction Stop, so a failed import fails the process with exit 1 as before).
        /// </para>
        /// </summary>
        public static ProcessStartInfo StartInfo(IDictionary<string, string> environment, params string[] arguments)
        {
            if (!File.Exists(HostPath))
            {
                throw new InvalidOperationException("The PowerShell test host is not built: " + HostPath + " is missing (dotnet build lays it out).");
            }
            var psi = new ProcessStartInfo(HostPath)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            string imports = null;
            if (environment != null && environment.TryGetValue(ImportVariable, out string modules))
            {
                imports = ImportStatements(modules);
            }
            bool commandSeen = false;
            foreach (string a in arguments)
            {
                if (imports != null && commandSeen)
                {
                    psi.ArgumentList.Add(imports + a);
                    imports = null;
                    continue;
                }
                psi.ArgumentList.Add(a);
                commandSeen = IsCommandSwitch(a);
            }
            if (imports != null)
            {
                throw new NotSupportedException(ImportVariable + " needs a -Command argument to put the Import-Module statements in; got: " + string.Join(" ", arguments));
            }

            foreach (string name in new List<string>(psi.Environment.Keys))
            {
                if (name.StartsWith("AWS_", StringComparison.Ordinal) || name == "CI" || name == "PSModulePath" || name == ImportVariable)
                {
                    psi.Environment.Remove(name);
                }
            }
            psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            // pwsh colours warnings and errors with ANSI sequences even when they are redirected; tests read text.
            psi.Environment["NO_COLOR"] = "1";
            if (environment != null)
            {
                foreach (var pair in environment)
                {
                    if (pair.Key != ImportVariable) psi.Environment[pair.Key] = pair.Value;
                }
            }
            return psi;
        }

        // pwsh accepts any unambiguous prefix of -Command (-c, -co, ...), case-insensitively, and /Command on Windows.
        private static bool IsCommandSwitch(string argument)
        {
            if (argument.Length < 2 || (argument[0] != '-' && argument[0] != '/')) return false;
            string name = argument.Substring(1).ToLowerInvariant();
            return "command".StartsWith(name, StringComparison.Ordinal);
        }

        private static string ImportStatements(string modules)
        {
            var text = new System.Text.StringBuilder();
            foreach (string module in modules.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                text.Append("Import-Module ").Append(Quote(module)).Append(" -ErrorAction Stop; ");
            }
            return text.Length == 0 ? null : text.ToString();
        }

        /// <summary>Starts the child with stdin closed at once (or fed <paramref name="stdin"/> and then closed), so a
        /// prompt can never wait for a human, and collects both output streams while it runs.</summary>
        public static RunningHost Start(ProcessStartInfo psi, string stdin = null)
        {
            var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + psi.FileName);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                if (stdin != null) process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child exited before reading its input; its exit code and output tell why.
            }
            return new RunningHost(process, stdout, stderr);
        }

        public static Task<HostResult> RunAsync(IDictionary<string, string> environment, params string[] arguments) =>
            Start(StartInfo(environment, arguments)).WaitAsync(DefaultTimeout);

        /// <summary>A test key id: 20 characters A-Z0-9 starting with AKIA, like a real long-lived key.</summary>
        public static string NewAccessKeyId() => "AKIA" + RandomString(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");

        /// <summary>A test secret: 40 characters of the base64 alphabet, like a real secret access key.</summary>
        public static string NewSecretAccessKey() =>
            RandomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

        private static string RandomString(int length, string alphabet)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }

        /// <summary>A PowerShell single-quoted string literal.</summary>
        public static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
    }

    internal sealed class RunningHost
    {
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public RunningHost(Process process, Task<string> stdout, Task<string> stderr)
        {
            Process = process;
            _stdout = stdout;
            _stderr = stderr;
        }

        public Process Process { get; }

        /// <summary>Waits for the exit; a child still running after <paramref name="timeout"/> is killed and reported as hung.</summary>
        public async Task<HostResult> WaitAsync(TimeSpan timeout)
        {
            bool timedOut = false;
            using (var cts = new CancellationTokenSource(timeout))
            {
                try
                {
                    await Process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    timedOut = true;
                    try { Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                    Process.WaitForExit();
                }
            }
            var result = new HostResult
            {
                ExitCode = Process.ExitCode,
                TimedOut = timedOut,
                StdOut = await _stdout.ConfigureAwait(false),
                StdErr = await _stderr.ConfigureAwait(false),
                Elapsed = _clock.Elapsed,
            };
            Process.Dispose();
            return result;
        }
    }

    internal sealed class HostResult
    {
        public int ExitCode { get; set; }
        public bool TimedOut { get; set; }
        public string StdOut { get; set; }
        public string StdErr { get; set; }
        public TimeSpan Elapsed { get; set; }

        /// <summary>Everything needed to see why a child failed, for assertion messages.</summary>
        public override string ToString() =>
            (TimedOut ? "TIMED OUT (killed) after " : "exit " + ExitCode + " after ") + Elapsed.TotalSeconds.ToString("0.0") + " s" +
            "\n--- stdout ---\n" + StdOut + "\n--- stderr ---\n" + StdErr;
    }

    /// <summary>A private HOME, config file and file vault for child processes, described as environment
    /// variables for their environment blocks only.</summary>
    internal sealed class ChildSandbox : IDisposable
    {
        public const string Passphrase = "correct horse battery staple";

        public ChildSandbox()
        {
            Root = Path.Combine(Path.GetTempPath(), "awsvault-mp-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Home = Path.Combine(Root, "home");
            Directory.CreateDirectory(Path.Combine(Home, ".aws"));
            ConfigFile = Path.Combine(Home, ".aws", "config");
            VaultDirectory = Path.Combine(Root, "vault");
        }

        public string Root { get; }
        public string Home { get; }
        public string ConfigFile { get; }
        public string VaultDirectory { get; }

        /// <summary>The file vault unlocked by AWS_VAULT_FILE_PASSPHRASE, with CI=true so that nothing can prompt.</summary>
        public Dictionary<string, string> Environment(bool ci = true)
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["HOME"] = Home,
                ["AWS_CONFIG_FILE"] = ConfigFile,
                ["AWS_VAULT_FILE_DIR"] = VaultDirectory,
                ["AWS_VAULT_BACKEND"] = "file",
                ["AWS_VAULT_FILE_PASSPHRASE"] = Passphrase,
            };
            if (ci) env["CI"] = "true";
            return env;
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
