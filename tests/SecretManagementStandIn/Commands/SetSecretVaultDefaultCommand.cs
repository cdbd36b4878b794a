using System;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>Set-SecretVaultDefault.</summary>
    [Cmdlet(VerbsCommon.Set, "SecretVaultDefault", SupportsShouldProcess = true, DefaultParameterSetName = NameParameterSet)]
    public sealed class SetSecretVaultDefaultCommand : PSCmdlet
    {
        private const string NameParameterSet = "NameParameterSet";
        private const string SecretVaultParameterSet = "SecretVaultParameterSet";
        private const string ClearParameterSet = "ClearParameterSet";

        [Parameter(ParameterSetName = NameParameterSet, Position = 0, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(ParameterSetName = SecretVaultParameterSet, Position = 0, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public SecretVaultInfo SecretVault { get; set; }

        [Parameter(ParameterSetName = ClearParameterSet)]
        public SwitchParameter ClearDefault { get; set; }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);
        }

        protected override void EndProcessing()
        {
            if (!ShouldProcess(Name, "Set vault as default"))
            {
                return;
            }

            string vaultName;
            switch (ParameterSetName)
            {
                case NameParameterSet: vaultName = Name; break;
                case SecretVaultParameterSet: vaultName = SecretVault.Name; break;
                default: vaultName = string.Empty; break;
            }

            try
            {
                VaultRegistry.SetDefaultVault(vaultName);
            }
            catch (Exception ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "VaultNotFound", ErrorCategory.ObjectNotFound, this));
            }
        }
    }
}
