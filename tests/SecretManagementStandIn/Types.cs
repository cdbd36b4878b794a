using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>The secret types SecretManagement 1.1.x knows, in the same order (same numeric values).</summary>
    public enum SecretType
    {
        Unknown = 0,
        ByteArray,
        String,
        SecureString,
        PSCredential,
        Hashtable
    }

    /// <summary>
    /// What a vault throws when it is locked. Like the real one: public, sealed, an InvalidOperationException,
    /// so callers can catch it by type name.
    /// </summary>
    public sealed class PasswordRequiredException : InvalidOperationException
    {
        public PasswordRequiredException(string msg) : base(msg)
        {
        }
    }

    /// <summary>What Get-SecretInfo returns for one secret.</summary>
    public sealed class SecretInformation
    {
        public SecretInformation(string name, SecretType type, string vaultName)
        {
            Name = name;
            Type = type;
            VaultName = vaultName;
        }

        public SecretInformation(string name, SecretType type, string vaultName, ReadOnlyDictionary<string, object> metadata)
            : this(name, type, vaultName)
        {
            Metadata = metadata;
        }

        public SecretInformation(string name, SecretType type, string vaultName, Hashtable metadata)
            : this(name, type, vaultName)
        {
            if (metadata == null) return;
            var copy = new Dictionary<string, object>(metadata.Count);
            foreach (DictionaryEntry entry in metadata) copy.Add((string)entry.Key, entry.Value);
            Metadata = new ReadOnlyDictionary<string, object>(copy);
        }

        public string Name { get; }

        public SecretType Type { get; }

        public string VaultName { get; }

        public ReadOnlyDictionary<string, object> Metadata { get; }
    }

    /// <summary>What Get-SecretVault returns for one registered vault.</summary>
    public sealed class SecretVaultInfo
    {
        internal SecretVaultInfo(RegisteredVault vault)
        {
            Name = vault.Name;
            ModuleName = vault.ModuleName;
            ModulePath = vault.ModulePath;
            Description = vault.Description;
            VaultParameters = vault.ReadOnlyParameters();
            IsDefault = vault.IsDefault;
        }

        public string Name { get; }

        public string ModuleName { get; }

        public string ModulePath { get; }

        public string Description { get; }

        public IReadOnlyDictionary<string, object> VaultParameters { get; }

        public bool IsDefault { get; }
    }
}
