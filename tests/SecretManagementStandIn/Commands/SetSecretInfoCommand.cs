using System.Collections;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>Set-SecretInfo: replaces a secret's metadata. A vault with SupportsMetadata = $false cannot.</summary>
    [Cmdlet(VerbsCommon.Set, "SecretInfo", SupportsShouldProcess = true, DefaultParameterSetName = NameParameterSet)]
    public sealed class SetSecretInfoCommand : SecretCmdlet
    {
        private const string NameParameterSet = "NameParameterSet";
        private const string InfoParameterSet = "InfoParameterSet";

        [Parameter(Position = 0, Mandatory = true, ParameterSetName = NameParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = NameParameterSet)]
        [Parameter(Position = 0, Mandatory = true, ParameterSetName = InfoParameterSet)]
        public Hashtable Metadata { get; set; }

        [Parameter(Position = 2, ParameterSetName = NameParameterSet)]
        public string Vault { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InfoParameterSet)]
        public SecretInformation InputObject { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Utils.CheckForRegisteredVaults(this);
        }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);

            if (!ShouldProcess(Vault, "Write secret metadata to vault and override any existing metadata associated with the secret"))
            {
                return;
            }

            if (ParameterSetName == InfoParameterSet)
            {
                Name = InputObject.Name;
                Vault = InputObject.VaultName;
            }

            if (!string.IsNullOrEmpty(Vault))
            {
                VaultInvoker.InvokeSetSecretMetadata(GetExtensionVault(Vault), Name, Metadata, this);
                return;
            }

            var defaultVaultName = VaultRegistry.DefaultVaultName;
            if (!string.IsNullOrEmpty(defaultVaultName))
            {
                VaultInvoker.InvokeSetSecretMetadata(GetExtensionVault(defaultVaultName), Name, Metadata, this);
                return;
            }

            ThrowTerminatingError(
                new ErrorRecord(
                    new PSInvalidOperationException("Unable to set secret metadata because no vault was provided and there is no default vault designated."),
                    "SetSecretInfoCommandFailNoVault",
                    ErrorCategory.InvalidOperation,
                    this));
        }
    }
}
