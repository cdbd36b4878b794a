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
    /// Starts out/PwshHost/pwsh-host (tests/PwshHost) as a real child process. Everything a child needs goes
    /// into its own environment block: the test process's environment is never changed, because the
    /// in-process tests share it and because many children run at once with different settings.
    /// </summary>
    internal static class PwshHostProcess
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

        public static string HostPath { get; } =
            Path.Combine(ModuleAssembly.RepoRoot, "out", "PwshHost", OperatingSystem.IsWindows() ? "pwsh-host.exe" : "pwsh-host");

        /// <summary>
        /// A start description for the host with <paramref name="arguments"/> as its command line. The child
        /// inherits PATH and the .NET variables, but none of the variables that steer AwsVault (AWS_*, CI,
        /// AWS_VAULT_PROMPT) or PowerShell module loading, since a CI agent sets CI=true and the in-process
        /// tests leave PSModulePath behind; <paramref name="environment"/> then sets what the test wants.
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
            foreach (string a in arguments) psi.ArgumentList.Add(a);

            foreach (string name in new List<string>(psi.Environment.Keys))
            {
                if (name.StartsWith("AWS_", StringComparison.Ordinal) || name == "CI" || name == "PSModulePath" || name == "PWSHHOST_IMPORT")
                {
                    psi.Environment.Remove(name);
                }
            }
            if (environment != null)
            {
                foreach (var pair in environment) psi.Environment[pair.Key] = pair.Value;
            }
            return psi;
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
