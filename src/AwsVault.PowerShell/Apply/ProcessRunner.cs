using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Management.Automation;

namespace AwsVault.Apply
{
    /// <summary>Runs a child to completion for a cmdlet and turns start failures into clear errors.</summary>
    internal static class ProcessRunner
    {
        public static int Run(PSCmdlet cmdlet, string filePath, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> variables, Action<ChildProcess> started, Action waiting = null)
        {
            string resolved = Resolve(cmdlet, filePath);
            ChildProcess child;
            try
            {
                child = ChildProcess.Start(resolved, arguments, variables);
            }
            catch (Win32Exception ex)
            {
                throw new AwsVaultException(ErrorIds.ProcessStartFailed, ErrorCategory.InvalidOperation,
                    "'" + filePath + "' could not be started: " + ex.Message, filePath, ex);
            }
            using (child)
            {
                started(child);
                // Polling keeps the pipeline thread free to notice a stop request between waits.
                while (!child.WaitForExit(100))
                {
                    waiting?.Invoke();
                }
                child.WaitForExit(-1);
                return child.ExitCode;
            }
        }

        /// <summary>Finds a program the way PowerShell does for a native command, so "aws" finds aws.exe or aws.cmd.</summary>
        public static string Resolve(PSCmdlet cmdlet, string filePath)
        {
            if (filePath.IndexOf('/') >= 0 || filePath.IndexOf('\\') >= 0)
            {
                string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(filePath);
                if (System.IO.File.Exists(path)) return path;
                throw new AwsVaultException(ErrorIds.CommandNotFound, ErrorCategory.ObjectNotFound,
                    "'" + filePath + "' does not exist. Check the path, or give a program name found on the PATH.", filePath);
            }
            if (!Internal.Platform.IsWindows && UnixPathSearch.Find(filePath) is string found) return found;
            CommandInfo command = cmdlet.InvokeCommand.GetCommand(filePath, CommandTypes.Application);
            if (command is ApplicationInfo app) return app.Path;
            throw new AwsVaultException(ErrorIds.CommandNotFound, ErrorCategory.ObjectNotFound,
                "'" + filePath + "' is not a program on the PATH. Check the name, or give its full path.", filePath);
        }
    }
}
