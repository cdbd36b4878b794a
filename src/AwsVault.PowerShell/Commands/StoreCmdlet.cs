using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Config;
using AwsVault.Storage;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>Cmdlets that read or change the store share how the store is chosen.</summary>
    public abstract class StoreCmdlet : AwsVaultCmdlet
    {
        /// <summary>Where keys and sessions are kept: 'file' or 'secretmanagement'. Overrides $env:AWS_VAULT_BACKEND.</summary>
        [Parameter]
        [ValidateSet(StoreSelection.File, StoreSelection.SecretManagement, IgnoreCase = true)]
        public string Backend { get; set; }

        /// <summary>The SecretManagement vault to use; implies -Backend secretmanagement. Overrides $env:AWS_VAULT_SECRETMANAGEMENT_VAULT.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(SecretVaultNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        /// <summary>A profile from Get-AwsVaultProfile, from the pipeline: the command acts on the store it was listed from.</summary>
        [Parameter(ValueFromPipeline = true)]
        public ProfileInfo InputObject { get; set; }

        internal ICredentialStore OpenStore()
        {
            ChooseStore(out string backend, out string vault);
            return CommandHost.OpenStore(backend, vault);
        }

        /// <summary>-Backend and -Vault, else those of the piped profile; a disagreement between them is refused.</summary>
        internal void ChooseStore(out string backend, out string vault)
        {
            backend = Backend;
            vault = Vault;
            PipedProfile.ChooseStore(InputObject, ref backend, ref vault);
        }

        internal ConfigFile LoadConfig() => CommandHost.LoadConfig();
    }
}
