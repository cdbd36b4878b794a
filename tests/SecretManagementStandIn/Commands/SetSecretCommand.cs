using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Set-Secret with 1.1.x's three parameter sets (SecureStringParameterSet is the default, as in the real
    /// module), its no-vault and -NoClobber errors, and its -Metadata pitfall on vaults without metadata.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = SecureStringParameterSet)]
    public sealed class SetSecretCommand : SecretCmdlet
    {
        private const string SecureStringParameterSet = "SecureStringParameterSet";
        private const string ObjectParameterSet = "ObjectParameterSet";
        private const string SecretInfoParameterSet = "SecretInfoParameterSet";
        private const string SecretExistsError = "A secret with name {0} already exists in vault {1}.";

        [Parameter(ParameterSetName = ObjectParameterSet, Position = 0, Mandatory = true)]
        [Parameter(ParameterSetName = SecureStringParameterSet, Position = 0, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectParameterSet)]
        public object Secret { get; set; }

        [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = SecureStringParameterSet)]
        public SecureString SecureStringSecret { get; set; }

        [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = SecretInfoParameterSet)]
        public SecretInformation SecretInfo { get; set; }

        [Parameter(Position = 2, ParameterSetName = ObjectParameterSet)]
        [Parameter(Position = 2, ParameterSetName = SecureStringParameterSet)]
        [Parameter(ParameterSetName = SecretInfoParameterSet, Mandatory = true)]
        public string Vault { get; set; }

        [Parameter(Position = 3, ParameterSetName = ObjectParameterSet)]
        [Parameter(Position = 3, ParameterSetName = SecureStringParameterSet)]
        public Hashtable Metadata { get; set; }

        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Utils.CheckForRegisteredVaults(this);
        }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);

            if (!ShouldProcess(Vault, "Write secret to vault and override any existing secret of the same name"))
            {
                return;
            }

            object secretToWrite = null;
            switch (ParameterSetName)
            {
                case SecretInfoParameterSet:
                    {
                        var source = GetExtensionVault(SecretInfo.VaultName);
                        var secret = VaultInvoker.InvokeGetSecret(source, SecretInfo.Name, this);
                        var destination = GetExtensionVault(Vault);
                        if (NoClobber && VaultInvoker.InvokeGetSecret(destination, SecretInfo.Name, this) != null)
                        {
                            WriteError(new ErrorRecord(
                                new PSInvalidOperationException(string.Format(CultureInfo.InvariantCulture, SecretExistsError, SecretInfo.Name, destination.Name)),
                                "SetSecretCommandAlreadyExistsWithNoClobber",
                                ErrorCategory.ResourceExists,
                                this));
                            return;
                        }
                        VaultInvoker.InvokeSetSecret(destination, SecretInfo.Name, secret, MetadataOf(SecretInfo), this);
                        return;
                    }

                case SecureStringParameterSet:
                    secretToWrite = SecureStringSecret;
                    break;

                case ObjectParameterSet:
                    secretToWrite = Secret is PSObject pso ? pso.BaseObject : Secret;
                    break;
            }

            if (!string.IsNullOrEmpty(Vault))
            {
                WriteSecret(GetExtensionVault(Vault), secretToWrite);
                return;
            }

            var defaultVaultName = VaultRegistry.DefaultVaultName;
            if (!string.IsNullOrEmpty(defaultVaultName))
            {
                WriteSecret(GetExtensionVault(defaultVaultName), secretToWrite);
                return;
            }

            ThrowTerminatingError(
                new ErrorRecord(
                    new PSInvalidOperationException("Unable to set secret because no vault was provided and there is no default vault designated."),
                    "SetSecretCommandFailNoVault",
                    ErrorCategory.InvalidOperation,
                    this));
        }

        private void WriteSecret(RegisteredVault vault, object secretToWrite)
        {
            if (NoClobber && VaultInvoker.InvokeGetSecret(vault, Name, this) != null)
            {
                ThrowTerminatingError(
                    new ErrorRecord(
                        new PSInvalidOperationException(string.Format(CultureInfo.InvariantCulture, SecretExistsError, Name, vault.Name)),
                        "SetSecretCommandAlreadyExistsWithNoClobber",
                        ErrorCategory.ResourceExists,
                        this));
            }

            VaultInvoker.InvokeSetSecret(vault, Name, secretToWrite, Metadata, this);
        }

        private static Hashtable MetadataOf(SecretInformation info)
        {
            var table = new Hashtable();
            if (info.Metadata != null)
            {
                foreach (var pair in info.Metadata) table.Add(pair.Key, pair.Value);
            }
            return table;
        }
    }
}
