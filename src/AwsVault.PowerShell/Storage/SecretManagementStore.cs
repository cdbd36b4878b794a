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

        // Why no human can answer a vault's own password prompt in this command, or null when one can.
        private readonly string _whyNoPrompt;
        private bool _lockChecked;

        public SecretManagementStore(string vaultName, string whyNoPrompt = null)
        {
            Location = vaultName ?? throw new ArgumentNullException(nameof(vaultName));
            _whyNoPrompt = whyNoPrompt;
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
            throw new AwsVaultException(ErrorIds.SecretManagementUnexpectedSecretType, ErrorCategory.InvalidData,
                "The secret '" + SecretNameCodec.KeyName(profileName) + "' in SecretManagement vault '" + Location +
                "' is a " + secret.GetType().Name + ", not the PSCredential AwsVault stores. Remove it with Remove-Secret and add the profile again with Add-AwsVaultProfile.",
                profileName);
        }

        public void SetKey(string profileName, AccessKey key)
        {
            string name = SecretNameCodec.KeyName(profileName);
            SetSecret(name, new PSCredential(key.AccessKeyId, SecureStrings.ReadOnlyCopy(key.SecretAccessKey)), "the access key of profile '" + profileName + "'",
                stored => stored is PSCredential c && c.UserName == key.AccessKeyId &&
                          new NetworkCredential(string.Empty, c.Password).Password == key.SecretAccessKey);
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

        public void SetSession(SessionKey key, string json) =>
            SetSecret(SecretNameCodec.SessionName(key), json, "a " + key.Type + " session of profile '" + key.ProfileName + "'", stored => stored as string == json);

        public bool RemoveSession(SessionKey key) => RemoveSecret(SecretNameCodec.SessionName(key));

        // SSO sign-ins are strings (the token JSON), like sessions, under their own prefix.
        public IReadOnlyList<string> ListSsoTokens() =>
            SecretNames(SecretNameCodec.SsoTokenPrefix + "*")
                .Select(n => SecretNameCodec.TryParseSsoTokenName(n, out string k) ? k : null)
                .Where(k => k != null)
                .OrderBy(k => k, StringComparer.Ordinal)
                .ToList();

        public string GetSsoToken(string tokenKey) => GetSecret(SecretNameCodec.SsoTokenName(CheckTokenKey(tokenKey)), asPlainText: true) as string;

        public void SetSsoToken(string tokenKey, string json)
        {
            if (json == null) throw new ArgumentNullException(nameof(json));
            SetSecret(SecretNameCodec.SsoTokenName(CheckTokenKey(tokenKey)), json, "the SSO sign-in for '" + tokenKey + "'", stored => stored as string == json);
        }

        public bool RemoveSsoToken(string tokenKey) => RemoveSecret(SecretNameCodec.SsoTokenName(CheckTokenKey(tokenKey)));

        private static string CheckTokenKey(string tokenKey) =>
            string.IsNullOrEmpty(tokenKey) ? throw new ArgumentException("An SSO token key is a non-empty sso-session name or start URL.", nameof(tokenKey)) : tokenKey;

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

        /// <summary>
        /// Writes a secret and reads it back: a vault can fail without a word (SecretStore whose password prompt
        /// went unanswered), so only what is read back counts as stored.
        /// </summary>
        private void SetSecret(string name, object secret, string what, Func<object, bool> isWritten)
        {
            try
            {
                Invoke("Set-Secret", new Hashtable { ["Name"] = name, ["Secret"] = secret, ["Vault"] = Location, ["Confirm"] = false }, out _);
            }
            catch (AwsVaultException ex) when (ex.ErrorId != ErrorIds.SecretVaultLocked && ex.ErrorId != ErrorIds.SecretManagementNotAvailable)
            {
                throw WriteFailed(what, ex.Message, ex);
            }
            object stored = GetSecret(name, asPlainText: secret is string);
            if (!isWritten(stored))
            {
                throw WriteFailed(what, "Set-Secret reported success, but reading '" + name + "' back " +
                    (stored == null ? "found nothing" : "gave a different value") + ".", null);
            }
        }

        private AwsVaultException WriteFailed(string what, string why, Exception inner) =>
            new AwsVaultException(ErrorIds.SecretVaultWriteFailed, ErrorCategory.WriteError,
                "Could not store " + what + " in SecretManagement vault '" + Location + "': " + why +
                " Nothing was stored; whatever the vault held before (an earlier key, if any) is still there. " + UnlockAdvice, Location, inner);

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
            if (!_lockChecked)
            {
                // Once per command, before the first vault call: a vault must not prompt when no one can answer.
                if (_whyNoPrompt != null && SecretStoreLockProbe.IsLocked(Location))
                {
                    throw Locked(null, " No one can answer its password prompt here (" + _whyNoPrompt + "), so it was not asked.");
                }
                _lockChecked = true;
            }
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand(Module + command);
                foreach (DictionaryEntry p in parameters) ps.AddParameter((string)p.Key, p.Value);
                // The nested pipeline inherits the caller's $ErrorActionPreference; under 'Stop' (Pester, many scripts)
                // a not-found answer would throw and a locked vault would arrive wrapped. Errors are read from the stream.
                ps.AddParameter("ErrorAction", ActionPreference.Continue);
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
                if (ps.HadErrors && ps.Streams.Error.Count == 0)
                {
                    // A failure with no record: SecretStore does this when its password prompt goes unanswered
                    // (three times, or Ctrl+C). Its output, if any, cannot be trusted.
                    throw new AwsVaultException(ErrorIds.SecretVaultCallFailed, ErrorCategory.AuthenticationError,
                        command + " on SecretManagement vault '" + Location + "' failed without reporting why; a vault does this when its password prompt is not answered. " +
                        UnlockAdvice, Location);
                }
                return result;
            }
        }

        private AwsVaultException Translate(string command, Exception ex, ErrorRecord record)
        {
            for (Exception e = ex; e != null; e = e.InnerException ?? ((e as IContainsErrorRecord)?.ErrorRecord?.Exception is Exception wrapped && wrapped != e ? wrapped : null))
            {
                if (e.GetType().Name == "PasswordRequiredException")
                {
                    return Locked(ex, string.Empty);
                }
                if (e is CommandNotFoundException)
                {
                    return SecretManagementNotAvailable(ex);
                }
            }
            string id = record?.FullyQualifiedErrorId ?? ex.GetType().Name;
            return new AwsVaultException(ErrorIds.SecretManagementCallFailed, record?.CategoryInfo.Category ?? ErrorCategory.NotSpecified,
                command + " failed on SecretManagement vault '" + Location + "' (" + id + "): " + ex.Message, Location, ex);
        }

        private AwsVaultException Locked(Exception inner, string why) =>
            new AwsVaultException(ErrorIds.SecretVaultLocked, ErrorCategory.AuthenticationError,
                "SecretManagement vault '" + Location + "' is locked." + why + " " + UnlockAdvice, Location, inner);

        private string UnlockAdvice =>
            "Unlock it with Unlock-SecretStore (for SecretStore) or Unlock-SecretVault -Name '" + Location +
            "', then run the command again. For unattended use, configure the vault so it needs no interaction (Set-SecretStoreConfiguration -Authentication None -Interaction None) or unlock it at the start of the script.";

        public static AwsVaultException SecretManagementNotAvailable(Exception inner = null) =>
            new AwsVaultException(ErrorIds.SecretManagementNotAvailable, ErrorCategory.NotInstalled,
                "The SecretManagement backend was chosen, but the module Microsoft.PowerShell.SecretManagement cannot be loaded. Install it (Install-PSResource Microsoft.PowerShell.SecretManagement) and register a vault, or use the file vault: -Backend file or $env:AWS_VAULT_BACKEND = 'file'.",
                null, inner);
    }
}
