using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>Signs in to IAM Identity Center for an sso-session or an SSO profile and keeps the token in the vault,
    /// like <c>aws sso login</c>: always a new sign-in, reusing the stored client registration.</summary>
    [Cmdlet(VerbsCommunications.Connect, "AwsVaultSso", DefaultParameterSetName = ProfileSet, HelpUri = HelpLinks.Base + "Connect-AwsVaultSso.md",
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SsoSignInInfo))]
    public sealed class ConnectAwsVaultSsoCommand : StoreCmdlet
    {
        internal const string ProfileSet = "Profile";
        internal const string SessionSet = "Session";

        [Parameter(ParameterSetName = ProfileSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; }

        [Parameter(ParameterSetName = SessionSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SsoSessionNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string SessionName { get; set; }

        [Parameter]
        public SwitchParameter UseDeviceCode { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            var sso = SsoTarget.Resolve(CommandHost, ProfileName, SessionName);
            if (!ShouldProcess(SsoTarget.Describe(sso), "Sign in" + (UseDeviceCode ? " with a device code" : string.Empty))) return;
            var tokens = SsoTarget.TokenSource(CommandHost, OpenStore());
            tokens.UseDeviceCode = UseDeviceCode;
            var token = tokens.Get(sso, forceSignIn: true);
            if (PassThru) WriteObject(new SsoSignInInfo(sso.SessionName, sso.StartUrl, sso.Region, token.ExpiresAt));
        }
    }
}
