using System.Management.Automation;

namespace AwsVault.Commands
{
    /// <summary>Returns a URL that signs in to the AWS console with a profile's session, like <c>aws-vault login --stdout</c>.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsVaultLoginUrl", HelpUri = HelpLinks.Base + "Get-AwsVaultLoginUrl.md")]
    [OutputType(typeof(string))]
    public sealed class GetAwsVaultLoginUrlCommand : LoginCmdlet
    {
        protected override void Process()
        {
            WriteObject(PlanSignIn().SignIn());
        }
    }
}
