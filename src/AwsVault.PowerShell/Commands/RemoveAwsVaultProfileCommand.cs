using System.Linq;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Prompts;

namespace AwsVault.Commands
{
    /// <summary>Removes a profile's stored key and its cached sessions. The config file is left alone, as
    /// aws-vault does: the profile may still be used through a source_profile or SSO.</summary>
    [Cmdlet(VerbsCommon.Remove, "AwsVaultProfile", HelpUri = HelpLinks.Base + "Remove-AwsVaultProfile.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveAwsVaultProfileCommand : StoreCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; }

        /// <summary>Remove without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process()
        {
            var store = OpenStore();
            bool hasKey = store.HasKey(ProfileName);
            var sessions = store.ListSessions().Where(s => s.ProfileName == ProfileName).ToList();
            string where = AddAwsVaultProfileCommand.Describe(store);
            if (!hasKey && sessions.Count == 0)
            {
                var close = Config.ProfileNameSuggestions.Find(ProfileName, store.ListProfilesWithKeys());
                var missing = new AwsVaultException(ErrorIds.ProfileKeyNotFound, ErrorCategory.ObjectNotFound,
                    "No key or session is stored for profile '" + ProfileName + "' in " + where + "." +
                    (close.Count > 0 ? " Did you mean '" + string.Join("', '", close) + "'?" : string.Empty) +
                    " Get-AwsVaultProfile lists the profiles that have one.", ProfileName);
                missing = CommandHost.KeyMissingHere(missing, store, ProfileName);
                // Like Remove-Item: from the pipeline (Get-AwsVaultProfile | Remove-AwsVaultProfile) a profile with
                // nothing stored is reported and the rest are still removed; named directly, it stops the command.
                if (!MyInvocation.ExpectingInput) throw missing;
                WriteError(missing.ToErrorRecord());
                return;
            }

            if (!Confirmed("profile '" + ProfileName + "' in " + where, hasKey ? "Remove stored key and " + sessions.Count + " cached session(s)" : "Remove " + sessions.Count + " cached session(s)"))
            {
                return;
            }

            bool removedKey = hasKey && store.RemoveKey(ProfileName);
            int removedSessions = sessions.Count(store.RemoveSession);
            WriteVerbose("Removed " + (removedKey ? "the stored key and " : string.Empty) + removedSessions + " cached session(s) of profile '" + ProfileName + "' from " + where + ".");
        }

        // -Force skips the High-impact confirmation but not -WhatIf; in a session that cannot prompt, a
        // missing -Force is an error that says so instead of a hang or a generic host failure.
        private bool Confirmed(string target, string action)
        {
            bool explicitConfirm = MyInvocation.BoundParameters.ContainsKey("Confirm");
            bool whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
            if (Force && !explicitConfirm && !whatIf) return true;
            string why = Interactivity.WhyPromptIsImpossible(Host);
            if (why != null && !whatIf && WouldAskForConfirmation(explicitConfirm))
            {
                throw ConfirmationRequired(" (" + why + ")");
            }
            try
            {
                return ShouldProcess(target, action);
            }
            catch (System.Management.Automation.Host.HostException)
            {
                throw ConfirmationRequired(string.Empty);
            }
        }

        private bool WouldAskForConfirmation(bool explicitConfirm)
        {
            if (explicitConfirm) return ((SwitchParameter)MyInvocation.BoundParameters["Confirm"]).IsPresent;
            object preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            return !(preference is ConfirmImpact level) || (level != ConfirmImpact.None && level <= ConfirmImpact.High);
        }

        private AwsVaultException ConfirmationRequired(string why) =>
            new AwsVaultException(ErrorIds.ConfirmationRequired, ErrorCategory.InvalidOperation,
                "Removing profile '" + ProfileName + "' needs confirmation, but this session cannot prompt" + why +
                ". Add -Force (or -Confirm:$false) to remove it without asking.", ProfileName);
    }
}
