using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace AwsVault.Apply
{
    /// <summary>
    /// Finds a program on $PATH the way a Unix shell does: the first directory holding an executable file of that
    /// name. PowerShell's command discovery does the same on Unix (there is no PATHEXT), but it cost 3.6 ms per
    /// `Invoke-AwsVault dev -- true`, three quarters of the whole call (bench/, ChildProcessBenchmarks).
    /// </summary>
    internal static class UnixPathSearch
    {
        private const int ExecuteOk = 1; // X_OK

        /// <summary>The full path, or null when no directory of $PATH has an executable of that name.</summary>
        public static string Find(string name)
        {
            string path = System.Environment.GetEnvironmentVariable("PATH");
            if (string.IsNullOrEmpty(path)) return null;
            foreach (string directory in path.Split(':'))
            {
                // An empty entry means the current directory to a shell; PowerShell never runs programs from it
                // implicitly, and neither does this.
                if (directory.Length == 0 || !Path.IsPathRooted(directory)) continue;
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
            }
            return null;
        }

        private static bool IsExecutable(string file)
        {
            try
            {
                return access(Encoding.UTF8.GetBytes(file + "\0"), ExecuteOk) == 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return true; // no libc to ask: let the start itself report a file that cannot run
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int access(byte[] path, int mode);
    }
}
