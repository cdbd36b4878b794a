using System.Management.Automation;

namespace AwsVault.Commands
{
    [Cmdlet(VerbsCommon.Get, "AwsVaultProfile")]
    public sealed class GetAwsVaultProfileCommand : PSCmdlet
    {
        protected override void ProcessRecord() { }
    }
}
