using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Config;
using AwsVault.Iam;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>
    /// Rotates a profile's stored access key (aws-vault rotate): a new IAM key is created, proven with STS, stored,
    /// and the old one deleted; then the sessions made with the old key are removed. ConfirmImpact is Medium, as
    /// for Add-AwsVaultProfile: the command replaces what it says it replaces and never leaves the vault without a
    /// working key, so it does not ask by default (a scheduled rotation must not stop at a prompt); -Confirm asks and
    /// -WhatIf shows the plan without a single call.
    /// </summary>
    [Cmdlet(VerbsData.Update, "AwsVaultAccessKey", HelpUri = HelpLinks.Base + "Update-AwsVaultAccessKey.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RotatedAccessKey))]
    public sealed class UpdateAwsVaultAccessKeyCommand : StoreCmdlet
    {
        private const int ProgressId = 14;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; }

        /// <summary>Call IAM with the stored key itself, without an MFA session (like aws-vault rotate --no-session).</summary>
        [Parameter]
        public SwitchParameter NoSession { get; set; }

        /// <summary>The current MFA code for the session that calls IAM, instead of mfa_process or a prompt.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string MfaToken { get; set; }

        protected override void Process()
        {
            string profile = CommandHost.ProfileOrDefault(ProfileName);
            var profiles = ProfileConfigLoader.Load(LoadConfig(), EnvironmentSnapshot.Capture());
            var store = OpenStore();
            string activity = "Rotating the access key of profile '" + profile + "'";
            var report = new RotationReporter
            {
                Verbose = Verbose,
                Warn = WriteWarning,
                ShowProgress = (status, percent) => WriteProgress(new ProgressRecord(ProgressId, activity, status) { PercentComplete = percent }),
                ProgressDone = () => WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed }),
                Stopping = () => Stopping,
            };
            var rotation = new AccessKeyRotation(CommandHost.Engine, profiles, store, Prompter, report);
            RotationPlan plan = rotation.Plan(profile);
            if (plan.KeyProfileName != profile)
            {
                // A warning, not verbose: the key that changes is another profile's, shared by every profile sourced from it.
                WriteWarning("Profile '" + profile + "' gets its credentials from profile '" + plan.KeyProfileName +
                             "' (source_profile): rotating the key stored for '" + plan.KeyProfileName + "', which every profile sourced from it uses.");
            }
            if (!ShouldProcess("the access key of profile '" + plan.KeyProfileName + "' in " + AddAwsVaultProfileCommand.Describe(store),
                    "Create a new IAM access key, store it in place of the old one, and delete the old one in IAM"))
            {
                return;
            }
            if (MfaToken != null && (NoSession || plan.MfaSerial == null))
            {
                WriteWarning("-MfaToken was ignored: " + (NoSession ? "-NoSession calls IAM with the stored key itself" : "profile '" + plan.KeyProfileName + "' has no mfa_serial") + ", so no MFA code is sent.");
            }
            WriteObject(rotation.Rotate(plan, NoSession, MfaToken));
        }
    }
}
