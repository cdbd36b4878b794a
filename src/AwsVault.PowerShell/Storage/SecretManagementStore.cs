using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using AwsVault.Internal;

namespace AwsVault.Storage
{
    /// <summary>
    /// Keeps keys and sessions in a SecretManagement vault by calling its cmdlets by name in the caller's
    /// runspace, so vault prompts reach the caller's host and no SecretManagement assembly is referenced.
    /// Keys are PSCredentials (UserName = key id), the one type every well-known vault extension stores;
    /// sessions are strings. -Vault is always passed and -Metadata never: on a vault without metadata
    /// support SecretManagement deletes the secret it has just written.
    /// </summary>
    internal sealed class SecretManagementStore : ICredentialStore
    {
        private const string Module = "Microsoft.PowerShell.SecretManagement\\";

        public SecretManagementStore(string vaultName)
        {
            Location = vaultName ?? throw new ArgumentNullException(nameof(vaultName));
        }

        public string Backend => "secretmanagement";

        public string Location { get; }

        public IReadOnlyList<string> ListProfilesWithKeys() =>
            SecretNames(SecretNameCodec.KeyPrefix + "*")
                .Select(n => SecretNameCodec.TryParseKeyName(n, out string p) ? p : null)
                .Where(p => p != null)
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToList();

        public bool HasKey(string profileName) => SecretNames(SecretNameCodec.KeyName(profileName)).Count > 0;

        public AccessKey GetKey(string profileName)
        {
            object secret = GetSecret(SecretNameCodec.KeyName(profileName), asPlainText: false);
            if (secret == null) return null;
            if (secret is PSCredential credential)
            {
                return new AccessKey(credential.UserName, new NetworkCredential(string.Empty, credential.Password).Password);
            }
            throw new AwsVaultException("SecretManagementUnexpectedSecretType", ErrorCategory.InvalidData,
                "The secret '" + SecretNameCodec.KeyName(profileName) + "' in SecretManagement vault '" + Location +
                "' is a " + secret.GetType().Name + ", not the PSCredential AwsVault stores. Remove it with Remove-Secret and add the profile again with Add-AwsVaultProfile.",
                profileName);
        }

        public void SetKey(string profileName, AccessKey key)
        {
            SetSecret(SecretNameCodec.KeyName(profileName), new PSCredential(key.AccessKeyId, SecureStrings.ReadOnlyCopy(key.SecretAccessKey)));
        }

        public bool RemoveKey(string profileName) => RemoveSecret(SecretNameCodec.KeyName(profileName));

        public IReadOnlyList<SessionKey> ListSessions() =>
            SecretNames(SecretNameCodec.SessionPrefix + "*")
                .Select(n => SecretNameCodec.TryParseSessionName(n, out SessionKey k) ? k : null)
                .Where(k => k != null)
                .ToList();

        public string GetSession(SessionKey key)
        {
            object secret = GetSecret(SecretNameCodec.SessionName(key), asPlainText: true);
            return secret as string;
        }

        public void SetSession(SessionKey key, string json) => SetSecret(SecretNameCodec.SessionName(key), json);

        public bool RemoveSession(SessionKey key) => RemoveSecret(SecretNameCodec.SessionName(key));

        private List<string> SecretNames(string pattern)
        {
            var found = Invoke("Get-SecretInfo", new Hashtable { ["Name"] = pattern, ["Vault"] = Location }, out _);
            return found.Select(o => o?.Properties["Name"]?.Value as string).Where(n => n != null).ToList();
        }

        private object GetSecret(string name, bool asPlainText)
        {
            var parameters = new Hashtable { ["Name"] = name, ["Vault"] = Location };
            if (asPlainText) parameters["AsPlainText"] = true;
            var result = Invoke("Get-Secret", parameters, out bool notFound);
            if (notFound || result.Count == 0) return null;
            return result[0]?.BaseObject;
        }

        private void SetSecret(string name, object secret)
        {
            Invoke("Set-Secret", new Hashtable { ["Name"] = name, ["Secret"] = secret, ["Vault"] = Location, ["Confirm"] = false }, out _);
        }

        private bool RemoveSecret(string name)
        {
            // Asking first keeps a missing secret from surfacing as an error whose id differs between versions.
            if (SecretNames(name).Count == 0) return false;
            Invoke("Remove-Secret", new Hashtable { ["Name"] = name, ["Vault"] = Location, ["Confirm"] = false }, out bool notFound);
            return !notFound;
        }

        private Collection<PSObject> Invoke(string command, Hashtable parameters, out bool notFound)
        {
            notFound = false;
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand(Module + command);
                foreach (DictionaryEntry p in parameters) ps.AddParameter((string)p.Key, p.Value);
                Collection<PSObject> result;
                try
                {
                    result = ps.Invoke();
                }
                catch (Exception ex) when (!(ex is AwsVaultException))
                {
                    throw Translate(command, ex, (ex as IContainsErrorRecord)?.ErrorRecord);
                }
                foreach (ErrorRecord error in ps.Streams.Error)
                {
                    if (error.FullyQualifiedErrorId.StartsWith("GetSecretNotFound", StringComparison.Ordinal) ||
                        error.CategoryInfo.Category == ErrorCategory.ObjectNotFound)
                    {
                        notFound = true;
                        continue;
                    }
                    throw Translate(command, error.Exception, error);
                }
                return result;
            }
        }

        private AwsVaultException Translate(string command, Exception ex, ErrorRecord record)
        {
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                if (e.GetType().Name == "PasswordRequiredException")
                {
                    return new AwsVaultException("SecretVaultLocked", ErrorCategory.AuthenticationError,
                        "SecretManagement vault '" + Location + "' is locked. Unlock it with Unlock-SecretStore (for SecretStore) or Unlock-SecretVault -Name '" + Location +
                        "', then run the command again. For unattended use, configure the vault so it needs no interaction (Set-SecretStoreConfiguration -Authentication None -Interaction None) or unlock it at the start of the script.",
                        Location, ex);
                }
                if (e is CommandNotFoundException)
                {
                    return SecretManagementNotAvailable(ex);
                }
            }
            string id = record?.FullyQualifiedErrorId ?? ex.GetType().Name;
            return new AwsVaultException("SecretManagementCallFailed", record?.CategoryInfo.Category ?? ErrorCategory.NotSpecified,
                command + " failed on SecretManagement vault '" + Location + "' (" + id + "): " + ex.Message, Location, ex);
        }

        public static AwsVaultException SecretManagementNotAvailable(Exception inner = null) =>
            new AwsVaultException("SecretManagementNotAvailable", ErrorCategory.NotInstalled,
                "The SecretManagement backend was chosen, but the module Microsoft.PowerShell.SecretManagement cannot be loaded. Install it (Install-PSResource Microsoft.PowerShell.SecretManagement) and register a vault, or use the file vault: -Backend file or $env:AWS_VAULT_BACKEND = 'file'.",
                null, inner);
    }
}
