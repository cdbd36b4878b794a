using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Remove-Secret: -Vault is mandatory. A missing secret is the vault's own non-terminating error; the
    /// stand-in's is SecretStore's (SecretStoreRemoveSecretFailed). A locked vault throws PasswordRequiredException.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "Secret", SupportsShouldProcess = true)]
    public sealed class RemoveSecretCommand : SecretCmdlet
    {
        private const string NameParameterSet = "NameParameterSet";
        private const string InfoParameterSet = "InfoParameterSet";

        [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = NameParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Position = 1, Mandatory = true, ParameterSetName = NameParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = InfoParameterSet)]
        public SecretInformation InputObject { get; set; }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);

            if (!ShouldProcess(Vault, "Remove secret by name from vault"))
            {
                return;
            }

            if (ParameterSetName == InfoParameterSet)
            {
                Name = InputObject.Name;
                Vault = InputObject.VaultName;
            }

            VaultInvoker.InvokeRemoveSecret(GetExtensionVault(Vault), Name, this);
        }
    }
}
