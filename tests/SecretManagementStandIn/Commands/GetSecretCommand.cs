using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// Get-Secret, with 1.1.x's search order and errors:
    /// -Vault: that vault only. Otherwise the default vault (only if its Get-SecretInfo lists the name, which
    /// is a wildcard filter there), then every other vault by name. Not found: non-terminating GetSecretNotFound.
    /// A vault that throws (a locked one included) gives a non-terminating GetSecretException carrying the
    /// exception, except in the default-vault lookup, where PasswordRequiredException ends the command.
    /// Strings come back as SecureString unless -AsPlainText (which also turns SecureString into string);
    /// Hashtable values get the same conversion.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Secret", DefaultParameterSetName = NameParameterSet)]
    [OutputType(typeof(object))]
    public sealed class GetSecretCommand : SecretCmdlet
    {
        private const string NameParameterSet = "NameParameterSet";
        private const string InfoParameterSet = "InfoParameterSet";

        private enum InvokeResult
        {
            Success = 0,
            Failed,
            FailedWithTerminatingError
        }

        [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = NameParameterSet)]
        public string Name { get; set; }

        [Parameter(Position = 1, ParameterSetName = NameParameterSet)]
        public string Vault { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InfoParameterSet)]
        public SecretInformation InputObject { get; set; }

        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Utils.CheckForRegisteredVaults(this);
        }

        protected override void ProcessRecord()
        {
            StandIn.Record(this);

            if (ParameterSetName == InfoParameterSet)
            {
                Name = InputObject.Name;
                Vault = InputObject.VaultName;
            }

            if (!string.IsNullOrEmpty(Vault))
            {
                var vault = GetExtensionVault(Vault);
                if (TryInvokeAndWrite(vault) == InvokeResult.Failed)
                {
                    WriteNotFoundError();
                }
                return;
            }

            var defaultVaultName = VaultRegistry.DefaultVaultName;
            if (!string.IsNullOrEmpty(defaultVaultName))
            {
                var vault = GetExtensionVault(defaultVaultName);
                var info = VaultInvoker.InvokeGetSecretInfo(vault, Name, this);
                if (info.Length > 0 && TryInvokeAndWrite(vault) == InvokeResult.Success)
                {
                    return;
                }
            }

            foreach (var vault in VaultRegistry.VaultExtensions.Values)
            {
                if (vault.Name.Equals(defaultVaultName, StringComparison.OrdinalIgnoreCase)) continue;
                if (TryInvokeAndWrite(vault) == InvokeResult.Success) return;
            }

            WriteNotFoundError();
        }

        private InvokeResult TryInvokeAndWrite(RegisteredVault vault)
        {
            try
            {
                var result = VaultInvoker.InvokeGetSecret(vault, Name, this);
                if (result != null)
                {
                    WriteSecret(result);
                    return InvokeResult.Success;
                }
            }
            catch (Exception ex)
            {
                WriteError(new ErrorRecord(ex, "GetSecretException", ErrorCategory.InvalidOperation, this));
                return InvokeResult.FailedWithTerminatingError;
            }
            return InvokeResult.Failed;
        }

        private void WriteSecret(object secret)
        {
            if (secret is PSObject pso) secret = pso.BaseObject;
            if (secret is Hashtable table)
            {
                var converted = new Hashtable(table.Count);
                foreach (DictionaryEntry e in table) converted.Add(e.Key, ConvertSecureString(e.Value));
                WriteObject(converted);
                return;
            }
            WriteObject(ConvertSecureString(secret));
        }

        private object ConvertSecureString(object item)
        {
            if (!AsPlainText && item is string s) return Codec.Secure(s);
            if (AsPlainText && item is SecureString ss) return Codec.Plain(ss);
            return item;
        }

        private void WriteNotFoundError()
        {
            // A vault whose password prompt went unanswered has ended the call already, without a record.
            if (StandIn.WasAbandoned(this)) return;
            var msg = string.Format(CultureInfo.InvariantCulture, "The secret {0} was not found.", Name);
            WriteError(new ErrorRecord(new ItemNotFoundException(msg), "GetSecretNotFound", ErrorCategory.ObjectNotFound, this));
        }
    }
}
