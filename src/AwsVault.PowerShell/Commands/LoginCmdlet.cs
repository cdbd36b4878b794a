using System.Management.Automation;
using AwsVault.Completion;

namespace AwsVault.Commands
{
    /// <summary>The parameters Get-AwsVaultLoginUrl and Open-AwsVaultConsole share: the session's, plus where the console opens.</summary>
    public abstract class LoginCmdlet : SessionCmdlet
    {
        /// <summary>The profile; $env:AWS_PROFILE when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        /// <summary>Where the console opens: a path on the console (/s3) or an https URL; the console home by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <summary>The sign-in for this record: the chain, the endpoints and the destination, decided without a call.</summary>
        internal ConsoleSignIn PlanSignIn()
        {
            ChooseStore(out string backend, out string vault);
            return ConsoleSignIn.Plan(CommandHost, Request(ProfileName), backend, vault, Destination);
        }
    }
}
