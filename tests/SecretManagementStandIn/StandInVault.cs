using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Authentication;
using System.Text;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// The extension vault behind every registered name: what a real vault module (modelled on
    /// Microsoft.PowerShell.SecretStore) does when SecretManagement calls its Get-Secret, Set-Secret,
    /// Remove-Secret, Get-SecretInfo, Test-SecretVault, Set-SecretInfo and Unlock-SecretVault functions.
    /// It throws where a real vault throws (a locked vault: PasswordRequiredException; a type it cannot store:
    /// InvalidOperationException) and reports through <paramref name="writeError"/> the errors a real vault
    /// writes to its error stream. SecretManagement's own handling of both is in <see cref="VaultInvoker"/>.
    /// </summary>
    internal sealed class StandInVault
    {
        internal const string PasswordRequiredMessage =
            "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.\n" +
            "Use the Unlock-SecretStore cmdlet to provide the required password to access the store.";

        internal const string StandardTypesMessage = "Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable";

        private static readonly SecretType[] StandardTypes =
            { SecretType.ByteArray, SecretType.String, SecretType.SecureString, SecretType.PSCredential, SecretType.Hashtable };

        private readonly RegisteredVault _vault;
        private readonly ISecretStorage _storage;

        public StandInVault(RegisteredVault vault)
        {
            _vault = vault;
            if (vault.StoragePath == null) _storage = new MemoryStorage(vault.Name);
            else if (vault.RefreshDelaySeconds > 0) _storage = StaleFileStorage.For(vault.StoragePath, TimeSpan.FromSeconds(vault.RefreshDelaySeconds));
            else _storage = new FileStorage(vault.StoragePath);
        }

        public bool SupportsMetadata => _vault.SupportsMetadata;

        public bool SupportsUnlock => _vault.SupportsUnlock;

        /// <summary>The vault's Get-Secret: exact name (case-insensitive), or the first match when the name has wildcards.</summary>
        public object GetSecret(string name)
        {
            ThrowIfLocked();
            var record = Find(name);
            return record == null ? null : Codec.Decode(record.ValueToken);
        }

        /// <summary>The vault's Get-SecretInfo: every secret whose name matches the wildcard filter.</summary>
        public SecretInformation[] GetSecretInfo(string filter, string vaultName)
        {
            ThrowIfLocked();
            var pattern = new WildcardPattern(string.IsNullOrEmpty(filter) ? "*" : filter, WildcardOptions.IgnoreCase);
            var result = new List<SecretInformation>();
            foreach (var record in All())
            {
                if (!pattern.IsMatch(record.Name)) continue;
                if (SupportsMetadata)
                {
                    result.Add(new SecretInformation(record.Name, record.Type, vaultName, ToReadOnly(record.Metadata)));
                }
                else
                {
                    result.Add(new SecretInformation(record.Name, record.Type, vaultName));
                }
            }
            return result.ToArray();
        }

        /// <summary>The vault's Set-Secret. Metadata is only passed when the vault supports it.</summary>
        public void SetSecret(string name, object secret, Hashtable metadata, string vaultName, Action<ErrorRecord> writeError)
        {
            ThrowIfLocked();
            var type = TypeOf(secret);
            var allowed = _vault.AllowedTypes;
            if (type == SecretType.Unknown || (type == SecretType.Hashtable && !HashtableValuesSupported((Hashtable)secret)))
            {
                throw new InvalidOperationException(StandardTypesMessage);
            }
            if (allowed != null && Array.IndexOf(allowed, type) < 0)
            {
                throw new InvalidOperationException(
                    "Invalid type. Types supported by vault " + vaultName + ": " + string.Join(", ", allowed.Select(TypeDisplayName)));
            }
            if (!MetadataSupported(metadata))
            {
                writeError(new ErrorRecord(
                    new ItemNotFoundException("Set-Secret error in vault " + vaultName + " : Microsoft.PowerShell.SecretStore accepts secret metadata only of types: string, int, DateTime"),
                    "SecretStoreSetSecretFailed",
                    ErrorCategory.InvalidOperation,
                    null));
                return;
            }

            var existing = Find(name, exactOnly: true);
            var record = new SecretRecord
            {
                Name = existing?.Name ?? name,
                Type = type,
                ValueToken = Codec.Encode(secret),
                Metadata = metadata == null ? new Hashtable(StringComparer.OrdinalIgnoreCase) : CopyMetadata(metadata),
            };
            _storage.Write(record.Name, record.Serialize());
        }

        /// <summary>The vault's optional Set-SecretInfo. False when the vault has no such function.</summary>
        public bool TrySetSecretInfo(string name, Hashtable metadata, string vaultName, Action<ErrorRecord> writeError)
        {
            if (!SupportsMetadata) return false;
            ThrowIfLocked();
            var existing = Find(name, exactOnly: true);
            string error = null;
            if (existing == null)
            {
                error = "Microsoft.PowerShell.SecretStore vault cannot write metadata to " + name + " because the secret does not exist.";
            }
            else if (!MetadataSupported(metadata))
            {
                error = "Microsoft.PowerShell.SecretStore accepts secret metadata only of types: string, int, DateTime";
            }
            if (error != null)
            {
                writeError(new ErrorRecord(
                    new ItemNotFoundException("Set-SecretInfo error in vault " + vaultName + " : " + error),
                    "SecretStoreSetSecretInfoFailed",
                    ErrorCategory.InvalidOperation,
                    null));
                return true;
            }
            existing.Metadata = metadata == null ? new Hashtable(StringComparer.OrdinalIgnoreCase) : CopyMetadata(metadata);
            _storage.Write(existing.Name, existing.Serialize());
            return true;
        }

        /// <summary>The vault's Remove-Secret: exact name only; a missing secret is an error, as in SecretStore.</summary>
        public void RemoveSecret(string name, string vaultName, Action<ErrorRecord> writeError)
        {
            ThrowIfLocked();
            var existing = Find(name, exactOnly: true);
            if (existing == null || !_storage.Delete(existing.Name))
            {
                writeError(new ErrorRecord(
                    new ItemNotFoundException("Remove-Secret error in vault " + vaultName + " : Secret not found"),
                    "SecretStoreRemoveSecretFailed",
                    ErrorCategory.InvalidOperation,
                    null));
            }
        }

        public bool TestVault(string vaultName, Action<ErrorRecord> writeError)
        {
            ThrowIfLocked();
            if (_storage is FileStorage files)
            {
                try
                {
                    Directory.CreateDirectory(files.Directory);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    writeError(new ErrorRecord(
                        new InvalidOperationException("Test-SecretVault failed to write secret on vault " + vaultName + " with error: " + ex.Message, ex),
                        "StandInTestVaultFailed",
                        ErrorCategory.WriteError,
                        null));
                    return false;
                }
            }
            return true;
        }

        /// <summary>The vault's optional Unlock-SecretVault. False when the vault has no such function.</summary>
        public bool TryUnlock(SecureString password, string vaultName, Action<ErrorRecord> writeError)
        {
            if (!SupportsUnlock) return false;
            string expected = _vault.Password;
            if (expected != null && password != null && Codec.Plain(password) == expected)
            {
                StandIn.MarkUnlocked(_vault.Name);
            }
            else
            {
                writeError(new ErrorRecord(
                    new AuthenticationException(vaultName + " Vault Unlock operation failed with error: The provided password is incorrect for the Microsoft.PowerShell.SecretStore module vault."),
                    "SecretStoreUnlockFailed",
                    ErrorCategory.AuthenticationError,
                    null));
            }
            return true;
        }

        internal static SecretType TypeOf(object secret)
        {
            switch (secret)
            {
                case byte[] _: return SecretType.ByteArray;
                case string _: return SecretType.String;
                case SecureString _: return SecretType.SecureString;
                case PSCredential _: return SecretType.PSCredential;
                case Hashtable _: return SecretType.Hashtable;
                default: return SecretType.Unknown;
            }
        }

        private static string TypeDisplayName(SecretType type)
        {
            switch (type)
            {
                case SecretType.ByteArray: return "byte[]";
                case SecretType.String: return "string";
                default: return type.ToString();
            }
        }

        private void ThrowIfLocked()
        {
            if (_vault.Locked && !StandIn.IsUnlocked(_vault.Name))
            {
                throw new PasswordRequiredException(PasswordRequiredMessage);
            }
        }

        private static bool HashtableValuesSupported(Hashtable table)
        {
            foreach (DictionaryEntry e in table)
            {
                var t = TypeOf(RegisteredVault.Unwrap(e.Value));
                if (t == SecretType.Unknown || t == SecretType.Hashtable) return false;
            }
            return true;
        }

        private static bool MetadataSupported(Hashtable metadata)
        {
            if (metadata == null) return true;
            foreach (DictionaryEntry e in metadata)
            {
                var v = RegisteredVault.Unwrap(e.Value);
                if (!(v is string) && !(v is int) && !(v is DateTime)) return false;
            }
            return true;
        }

        private static Hashtable CopyMetadata(Hashtable metadata)
        {
            var copy = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry e in metadata) copy[e.Key.ToString()] = RegisteredVault.Unwrap(e.Value);
            return copy;
        }

        private static ReadOnlyDictionary<string, object> ToReadOnly(Hashtable metadata)
        {
            var dict = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (metadata != null)
            {
                foreach (DictionaryEntry e in metadata) dict[e.Key.ToString()] = e.Value;
            }
            return new ReadOnlyDictionary<string, object>(dict);
        }

        private SecretRecord Find(string name, bool exactOnly = false)
        {
            if (!exactOnly && WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                return All().FirstOrDefault(r => pattern.IsMatch(r.Name));
            }
            var text = _storage.Read(name);
            return text == null ? null : SecretRecord.Parse(text);
        }

        private IEnumerable<SecretRecord> All() =>
            _storage.ReadAll().Select(SecretRecord.Parse).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();

        private sealed class SecretRecord
        {
            public string Name;
            public SecretType Type;
            public string ValueToken;
            public Hashtable Metadata;

            public string Serialize()
            {
                var sb = new StringBuilder();
                sb.Append("name\t").Append(Codec.Encode(Name)).Append('\n');
                sb.Append("type\t").Append(Type.ToString()).Append('\n');
                sb.Append("value\t").Append(ValueToken).Append('\n');
                sb.Append("metadata\t").Append(Codec.Encode(Metadata)).Append('\n');
                return sb.ToString();
            }

            public static SecretRecord Parse(string text)
            {
                var fields = Codec.ReadRecord(text);
                return new SecretRecord
                {
                    Name = (string)Codec.Decode(fields["name"]),
                    Type = (SecretType)Enum.Parse(typeof(SecretType), fields["type"]),
                    ValueToken = fields["value"],
                    Metadata = fields.TryGetValue("metadata", out var m) ? (Hashtable)Codec.Decode(m) : new Hashtable(StringComparer.OrdinalIgnoreCase),
                };
            }
        }
    }

    /// <summary>Where a vault keeps its secrets: one serialized record per secret, keyed by name (case-insensitive).</summary>
    internal interface ISecretStorage
    {
        string Read(string name);
        void Write(string name, string record);
        bool Delete(string name);
        IEnumerable<string> ReadAll();
    }

    /// <summary>Process memory, per vault name. Cleared by StandIn.Reset().</summary>
    internal sealed class MemoryStorage : ISecretStorage
    {
        private static readonly object Sync = new object();
        private static readonly Dictionary<string, Dictionary<string, string>> Vaults =
            new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);

        private readonly string _vaultName;

        public MemoryStorage(string vaultName) { _vaultName = vaultName; }

        public static void ClearAll()
        {
            lock (Sync) Vaults.Clear();
        }

        public string Read(string name)
        {
            lock (Sync) return Vaults.TryGetValue(_vaultName, out var v) && v.TryGetValue(name, out var r) ? r : null;
        }

        public void Write(string name, string record)
        {
            lock (Sync)
            {
                if (!Vaults.TryGetValue(_vaultName, out var v))
                {
                    v = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    Vaults[_vaultName] = v;
                }
                v[name] = record;
            }
        }

        public bool Delete(string name)
        {
            lock (Sync) return Vaults.TryGetValue(_vaultName, out var v) && v.Remove(name);
        }

        public IEnumerable<string> ReadAll()
        {
            lock (Sync) return Vaults.TryGetValue(_vaultName, out var v) ? v.Values.ToList() : new List<string>();
        }
    }

    /// <summary>
    /// A directory with one file per secret, so that separate processes share the vault. The file name is the
    /// hex of the upper-cased name (case-insensitive, and safe for any name); writes are atomic.
    /// </summary>
    internal sealed class FileStorage : ISecretStorage
    {
        private const string Extension = ".secret";

        public FileStorage(string directory) { Directory = directory; }

        public string Directory { get; }

        public string Read(string name)
        {
            var path = PathOf(name);
            try
            {
                return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null;
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }

        public void Write(string name, string record) => FileUtil.WriteAtomically(PathOf(name), record);

        public bool Delete(string name)
        {
            var path = PathOf(name);
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }

        public IEnumerable<string> ReadAll()
        {
            if (!System.IO.Directory.Exists(Directory)) return new List<string>();
            var records = new List<string>();
            foreach (var file in System.IO.Directory.GetFiles(Directory, "*" + Extension))
            {
                try
                {
                    records.Add(File.ReadAllText(file, Encoding.UTF8));
                }
                catch (FileNotFoundException)
                {
                    // Removed by another process while listing.
                }
            }
            return records;
        }

        private string PathOf(string name)
        {
            var bytes = Encoding.UTF8.GetBytes(name.ToUpperInvariant());
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes) sb.Append(b.ToString("x2"));
            return Path.Combine(Directory, sb.ToString() + Extension);
        }
    }
}
