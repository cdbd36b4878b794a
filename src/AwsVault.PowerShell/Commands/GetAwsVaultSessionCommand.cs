using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>Issues short-lived credentials for a profile from its stored key and its config: GetSessionToken,
    /// AssumeRole and role chains, with MFA, reusing cached sessions.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsVaultSession", HelpUri = HelpLinks.Base + "Get-AwsVaultSession.md")]
    [OutputType(typeof(AwsVaultSession))]
    public sealed class GetAwsVaultSessionCommand : SessionCmdlet
    {
        /// <summary>The profile; $env:AWS_PROFILE when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        protected override void Process()
        {
            WriteObject(IssueSession(ProfileName));
        }
    }
}
