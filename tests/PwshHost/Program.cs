using System;

namespace PwshHost
{
    /// <summary>
    /// pwsh's own entry point (src/powershell/Program.cs in PowerShell/PowerShell calls the same method): the
    /// console host parses the command line, runs -Command / -File / interactive input, and decides the exit code.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            return Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
        }
    }
}
