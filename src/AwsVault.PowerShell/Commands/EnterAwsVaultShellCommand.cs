using System;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Apply;
using AwsVault.Internal;

namespace AwsVault.Commands
{
    /// <summary>Starts an interactive shell whose environment holds a session, like aws-vault exec without a command.</summary>
    [Cmdlet(VerbsCommon.Enter, "AwsVaultShell", HelpUri = HelpLinks.Base + "Enter-AwsVaultShell.md")]
    [OutputType(typeof(void))]
    public sealed class EnterAwsVaultShellCommand : SessionCmdlet
    {
        private ChildProcess _child;

        /// <summary>The profile; $env:AWS_PROFILE when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>The shell to start. By default the PowerShell that is running, else $SHELL (or COMSPEC on Windows).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Shell { get; set; }

        protected override void Process()
        {
            if (NestedSession.IsActive) ThrowTerminatingError(NestedSession.Refusal());
            var session = IssueSession(ProfileName);
            // Found before the hint is printed: a shell that does not exist must not be announced as starting.
            string shell = ProcessRunner.Resolve(this, Shell ?? DefaultShell());
            if (System.Environment.GetEnvironmentVariable("AWS_VAULT_DISABLE_HELP_MESSAGE") != "1")
            {
                Console.Error.WriteLine("Starting " + Path.GetFileName(shell) + " with the credentials of profile '" + session.ProfileName + "'" +
                    (session.Expiration.HasValue ? " (they expire " + session.Expiration.Value.ToString("u") + ")" : string.Empty) + "; type 'exit' to leave it.");
            }
            int exitCode = ProcessRunner.Run(this, shell, new string[0], SessionVariables.For(session), child => _child = child);
            SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);
        }

        protected override void StopProcessing() => _child?.Kill();

        private static string DefaultShell()
        {
            try
            {
                string self = System.Diagnostics.Process.GetCurrentProcess().MainModule?.FileName;
                string name = Path.GetFileNameWithoutExtension(self ?? string.Empty);
                if (name.Equals("pwsh", StringComparison.OrdinalIgnoreCase) || name.Equals("powershell", StringComparison.OrdinalIgnoreCase)) return self;
            }
            catch (InvalidOperationException)
            {
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
            string fallback = Platform.IsWindows ? System.Environment.GetEnvironmentVariable("COMSPEC") : System.Environment.GetEnvironmentVariable("SHELL");
            if (!string.IsNullOrEmpty(fallback)) return fallback;
            return Platform.IsWindows ? "cmd.exe" : "/bin/sh";
        }
    }
}
