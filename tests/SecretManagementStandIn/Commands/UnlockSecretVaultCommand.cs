using System.Management.Automation;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Unlock-SecretVault. Unlocks, for this process, a vault registered with Locked = $true when -Password
    /// equals its VaultParameters.Password. A vault with neither Locked nor Password has no unlock function:
    /// the real module's warning.
    /// </summary>
    [Cmdlet(VerbsCommon.Unlock, "SecretVault")]
    public sealed class UnlockSecretVaultCommand : SecretCmdlet
    {
        [Parameter(Position = 0, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Position = 1, Mandatory = true)]
        public SecureString Password { get; set; }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);
        }

        protected override void EndProcessing()
        {
            var vault = GetExtensionVault(Name);
            VaultInvoker.InvokeUnlockSecretVault(vault, Password, this);
        }
    }
}
