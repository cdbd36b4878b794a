using System;
using System.Collections;
using System.IO;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Register-SecretVault. Parameters as in 1.1.x. Any -ModuleName is accepted (no module is loaded): every
    /// vault is the stand-in's built-in one, shaped by -VaultParameters (Path, Locked, Password,
    /// SupportsMetadata, AllowedTypes).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "SecretVault", SupportsShouldProcess = true)]
    [OutputType(typeof(SecretVaultInfo))]
    public sealed class RegisterSecretVaultCommand : PSCmdlet
    {
        [Parameter(Position = 0, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string ModuleName { get; set; }

        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter]
        public Hashtable VaultParameters { get; set; } = new Hashtable();

        [Parameter]
        public SwitchParameter DefaultVault { get; set; }

        [Parameter]
        public SwitchParameter AllowClobber { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public string Description { get; set; } = string.Empty;

        protected override void BeginProcessing()
        {
            if (VaultParameters != null && VaultParameters.ContainsKey("Verbose"))
            {
                ThrowTerminatingError(
                    new ErrorRecord(
                        new PSInvalidOperationException("The 'Verbose' parameter name is reserved and cannot be used in 'VaultParameters'"),
                        "RegisterSecretVaultCommandCannotUseReservedName",
                        ErrorCategory.InvalidOperation,
                        this));
            }

            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Name)))
            {
                Name = ModuleLeafName(ModuleName);
            }
        }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);
        }

        protected override void EndProcessing()
        {
            var vaultItems = VaultRegistry.VaultExtensions;
            if (vaultItems.ContainsKey(Name) && !AllowClobber.IsPresent)
            {
                ThrowTerminatingError(
                    new ErrorRecord(
                        new InvalidOperationException("Provided Name for vault is already being used."),
                        "RegisterSecretVaultInvalidVaultName",
                        ErrorCategory.InvalidArgument,
                        this));
            }

            if (!ShouldProcess(Name, "Register module as a SecretManagement extension vault for current user"))
            {
                return;
            }

            // Stand-in only: a misspelt behaviour setting fails here instead of silently doing nothing.
            if (VaultParameters != null && VaultParameters.ContainsKey("AllowedTypes"))
            {
                RegisteredVault.ParseAllowedTypes(VaultParameters["AllowedTypes"], out string invalid);
                if (invalid != null)
                {
                    ThrowTerminatingError(
                        new ErrorRecord(
                            new PSArgumentException("The stand-in vault parameter AllowedTypes names an unknown secret type '" + invalid +
                                "'. Use ByteArray, String, SecureString, PSCredential or Hashtable."),
                            "RegisterSecretVaultStandInInvalidAllowedTypes",
                            ErrorCategory.InvalidArgument,
                            this));
                }
            }

            var vault = new RegisteredVault(
                name: Name,
                moduleName: ModuleLeafName(ModuleName),
                modulePath: ModulePathOf(ModuleName),
                description: Description,
                parameters: VaultParameters);

            // As in 1.1.x: -DefaultVault decides when given; otherwise the only vault becomes the default.
            bool isDefaultVault = MyInvocation.BoundParameters.ContainsKey(nameof(DefaultVault))
                ? DefaultVault.IsPresent
                : vaultItems.Count == 0;

            VaultRegistry.Add(vault, isDefaultVault);

            if (PassThru.IsPresent && VaultRegistry.VaultExtensions.TryGetValue(Name, out RegisteredVault registered))
            {
                WriteObject(new SecretVaultInfo(registered));
            }
        }

        private static string ModuleLeafName(string moduleName)
        {
            var trimmed = moduleName.TrimEnd('/', '\\');
            int cut = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf('\\'));
            var leaf = cut >= 0 ? trimmed.Substring(cut + 1) : trimmed;
            var extension = Path.GetExtension(leaf);
            if (extension.Equals(".psd1", StringComparison.OrdinalIgnoreCase) || extension.Equals(".psm1", StringComparison.OrdinalIgnoreCase))
            {
                leaf = Path.GetFileNameWithoutExtension(leaf);
            }
            return leaf;
        }

        private static string ModulePathOf(string moduleName)
        {
            if (Path.IsPathRooted(moduleName))
            {
                var full = Path.GetFullPath(moduleName).TrimEnd('/', '\\');
                var extension = Path.GetExtension(full);
                bool isFile = File.Exists(full) || extension.Equals(".psd1", StringComparison.OrdinalIgnoreCase) ||
                              extension.Equals(".psm1", StringComparison.OrdinalIgnoreCase) || extension.Equals(".dll", StringComparison.OrdinalIgnoreCase);
                return isFile ? Path.GetDirectoryName(full) : full;
            }
            // A module name: the vault is built into the stand-in, so that is where its module lives.
            return Path.GetDirectoryName(typeof(StandIn).Assembly.Location);
        }
    }
}
