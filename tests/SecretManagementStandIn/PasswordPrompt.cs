using System;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// What a vault registered with Interaction = 'Prompt' does when it is locked, modelled on SecretStore at its
    /// defaults (-Authentication Password -Interaction Prompt): its extension functions catch the
    /// PasswordRequiredException, ask on the host (LocalSecretStore.PromptAndUnlockVault, Utils.PromptForPassword:
    /// "Vault X requires a password." then "Enter password:" and ReadLineAsSecureString) and try once more. What
    /// users observed with SecretStore 1.0.6 in pwsh 7.6 is reproduced: the right password unlocks the vault for
    /// the process; a wrong one ends the call with PasswordRequiredException; a host that cannot prompt
    /// (-NonInteractive) gives the locked error; three unanswered prompts end the call with no error record at all
    /// while PowerShell.HadErrors is true.
    /// </summary>
    internal static class PasswordPrompt
    {
        private const int Attempts = 3;

        /// <summary>True when the vault is unlocked now; false when every prompt went unanswered (the call is then
        /// marked failed, silently, and must write nothing more).</summary>
        public static bool TryUnlock(RegisteredVault vault, PSCmdlet cmdlet)
        {
            PSHostUserInterface ui = cmdlet.Host?.UI;
            if (ui == null) throw new PasswordRequiredException(StandInVault.PasswordRequiredMessage);
            ui.WriteLine(string.Format(CultureInfo.InvariantCulture, "Vault {0} requires a password.", vault.Name));
            for (int i = 0; i < Attempts; i++)
            {
                ui.WriteLine("Enter password:");
                SecureString answer;
                try
                {
                    answer = ui.ReadLineAsSecureString();
                }
                catch (Exception ex) when (ex is HostException || ex is PSInvalidOperationException || ex is NotImplementedException)
                {
                    // The host cannot prompt (pwsh -NonInteractive): SecretStore's call fails as locked.
                    throw new PasswordRequiredException(StandInVault.PasswordRequiredMessage);
                }
                if (answer == null || answer.Length == 0)
                {
                    ui.WriteLine("\nThe entered password cannot be empty.  Please re-enter the password.\n");
                    continue;
                }
                if (vault.Password != null && Codec.Plain(answer) == vault.Password)
                {
                    StandIn.MarkUnlocked(vault.Name);
                    return true;
                }
                throw new PasswordRequiredException("Unable to unlock Microsoft.PowerShell.SecretStore vault. Password is invalid.");
            }
            MarkFailedSilently(cmdlet);
            return false;
        }

        /// <summary>
        /// Sets the failure flag of the pipeline the cmdlet runs in without writing an error record: what
        /// PowerShell.HadErrors reports, and what the abandoned SecretStore prompt leaves behind. PowerShell has no
        /// public way to do this, so the stand-in (test code only) sets PipelineProcessor.ExecutionFailed.
        /// </summary>
        internal static void MarkFailedSilently(PSCmdlet cmdlet)
        {
            const BindingFlags Flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            object runtime = cmdlet.CommandRuntime;
            object processor = runtime.GetType().GetProperty("PipelineProcessor", Flags)?.GetValue(runtime);
            var failed = processor?.GetType().GetProperty("ExecutionFailed", Flags);
            if (failed == null) throw new InvalidOperationException("The stand-in cannot mark the pipeline failed in this PowerShell version.");
            failed.SetValue(processor, true);
            StandIn.MarkAbandoned(cmdlet);
        }
    }
}
