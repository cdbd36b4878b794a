using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>Runs out/PwshHost/pwsh-host (the pwsh stand-in) as a fresh process with an environment block of
    /// its own: nothing of this process's AWS settings or module path leaks in.</summary>
    public static class ChildHost
    {
        public static ProcessStartInfo StartInfo(IDictionary<string, string> environment, string script)
        {
            var psi = new ProcessStartInfo(Repo.PwshHost)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in new[] { "-NoProfile", "-NonInteractive", "-Command", script }) psi.ArgumentList.Add(a);
            foreach (string name in new List<string>(psi.Environment.Keys))
            {
                if (name.StartsWith("AWS_", StringComparison.Ordinal) || name == "CI" || name == "PSModulePath" || name == "PWSHHOST_IMPORT") psi.Environment.Remove(name);
            }
            if (environment != null)
            {
                foreach (var pair in environment) psi.Environment[pair.Key] = pair.Value;
            }
            return psi;
        }

        public static (int ExitCode, string StdOut, string StdErr) Run(ProcessStartInfo psi)
        {
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + psi.FileName);
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException(psi.FileName + " did not finish in 2 minutes.");
            }
            return (p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }

        public static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
    }
}
