using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// One registered vault: what Register-SecretVault was given, and the stand-in behaviours read from its
    /// VaultParameters (Path, Locked, Password, SupportsMetadata, AllowedTypes).
    /// </summary>
    internal sealed class RegisteredVault
    {
        public RegisteredVault(string name, string moduleName, string modulePath, string description, Hashtable parameters, bool isDefault = false)
        {
            Name = name;
            ModuleName = moduleName;
            ModulePath = modulePath;
            Description = description ?? string.Empty;
            Parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
            if (parameters != null)
            {
                foreach (DictionaryEntry e in parameters) Parameters[e.Key.ToString()] = Unwrap(e.Value);
            }
            IsDefault = isDefault;
        }

        public string Name { get; }
        public string ModuleName { get; }
        public string ModulePath { get; }
        public string Description { get; }
        public Hashtable Parameters { get; }
        public bool IsDefault { get; }

        /// <summary>VaultParameters.Path: a directory that holds one file per secret; otherwise memory only.</summary>
        public string StoragePath => Parameters["Path"] is object p && !string.IsNullOrEmpty(p.ToString()) ? Path.GetFullPath(p.ToString()) : null;

        /// <summary>VaultParameters.Locked: every process starts with the vault locked until Unlock-SecretVault.</summary>
        public bool Locked => ToBool(Parameters["Locked"], false);

        /// <summary>VaultParameters.Password (string or SecureString): what Unlock-SecretVault must be given.</summary>
        public string Password => Parameters["Password"] is SecureString ss ? Codec.Plain(ss) : Parameters["Password"]?.ToString();

        /// <summary>Whether the vault implements Unlock-SecretVault (the real ones that do have a password).</summary>
        public bool SupportsUnlock => Parameters.ContainsKey("Password") || Parameters.ContainsKey("Locked");

        /// <summary>
        /// VaultParameters.Interaction = 'Prompt': a locked vault asks for its password on the caller's host, as
        /// SecretStore at its defaults (-Interaction Prompt) does; 'None' (the default) throws PasswordRequiredException.
        /// </summary>
        public bool PromptsForPassword =>
            SupportsUnlock && string.Equals(Parameters["Interaction"]?.ToString(), "Prompt", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// VaultParameters.RefreshDelay (seconds, with Path): this process sees another process's changes only that
        /// long after the last one, as SecretStore does (it keeps the store in memory and reloads it from a file
        /// watcher's 5-second timer). 0 or absent: changes are seen at once.
        /// </summary>
        public double RefreshDelaySeconds =>
            Parameters["RefreshDelay"] is object d && double.TryParse(d.ToString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 0;

        /// <summary>VaultParameters.SupportsMetadata (default $true, like SecretStore).</summary>
        public bool SupportsMetadata => ToBool(Parameters["SupportsMetadata"], true);

        /// <summary>VaultParameters.AllowedTypes: the SecretType names the vault accepts; null means the five standard ones.</summary>
        public SecretType[] AllowedTypes => ParseAllowedTypes(Parameters["AllowedTypes"], out _);

        public RegisteredVault WithDefault(bool isDefault) =>
            new RegisteredVault(Name, ModuleName, ModulePath, Description, Parameters, isDefault);

        public ReadOnlyDictionary<string, object> ReadOnlyParameters()
        {
            var copy = new Dictionary<string, object>();
            foreach (DictionaryEntry e in Parameters) copy[(string)e.Key] = e.Value;
            return new ReadOnlyDictionary<string, object>(copy);
        }

        internal static SecretType[] ParseAllowedTypes(object value, out string invalid)
        {
            invalid = null;
            value = Unwrap(value);
            if (value == null) return null;
            var names = new List<string>();
            if (value is string s) names.AddRange(s.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries));
            else if (value is IEnumerable list) foreach (var item in list) names.Add(Convert.ToString(Unwrap(item)));
            else names.Add(value.ToString());
            var types = new List<SecretType>();
            foreach (var name in names)
            {
                if (Enum.TryParse(name.Trim(), true, out SecretType t) && t != SecretType.Unknown) types.Add(t);
                else invalid = invalid ?? name;
            }
            return types.ToArray();
        }

        internal static object Unwrap(object value) => value is PSObject pso ? pso.BaseObject : value;

        private static bool ToBool(object value, bool fallback)
        {
            value = Unwrap(value);
            switch (value)
            {
                case null: return fallback;
                case bool b: return b;
                case SwitchParameter sp: return sp.IsPresent;
                case int i: return i != 0;
                case string s:
                    if (bool.TryParse(s, out bool parsed)) return parsed;
                    return s == "1";
                default: return fallback;
            }
        }
    }

    /// <summary>
    /// The vault registry. Always kept in memory for the process; when SECRETMANAGEMENT_STANDIN_REGISTRY names a
    /// file, that file is the shared copy: it is read before every use (so another process's or runspace's
    /// registration is seen) and rewritten, atomically, after every change.
    /// </summary>
    internal static class VaultRegistry
    {
        public const string RegistryEnvironmentVariable = "SECRETMANAGEMENT_STANDIN_REGISTRY";
        private const string FileHeader = "# SecretManagement stand-in vault registry v1";

        private static readonly object Sync = new object();
        private static Dictionary<string, RegisteredVault> _vaults = new Dictionary<string, RegisteredVault>(StringComparer.OrdinalIgnoreCase);
        private static string _defaultVaultName = string.Empty;

        public static string DefaultVaultName
        {
            get
            {
                lock (Sync)
                {
                    Refresh();
                    return _defaultVaultName;
                }
            }
        }

        /// <summary>All vaults, sorted by name (case-insensitive), as SecretManagement enumerates them.</summary>
        public static SortedDictionary<string, RegisteredVault> VaultExtensions
        {
            get
            {
                lock (Sync)
                {
                    Refresh();
                    var sorted = new SortedDictionary<string, RegisteredVault>(StringComparer.OrdinalIgnoreCase);
                    foreach (var v in _vaults.Values)
                    {
                        sorted.Add(v.Name, v.WithDefault(v.Name.Equals(_defaultVaultName, StringComparison.OrdinalIgnoreCase)));
                    }
                    return sorted;
                }
            }
        }

        public static void Add(RegisteredVault vault, bool makeDefault)
        {
            lock (Sync)
            {
                Refresh();
                _vaults[vault.Name] = vault;
                if (makeDefault) _defaultVaultName = vault.Name;
                Save();
            }
        }

        public static void Remove(string name)
        {
            lock (Sync)
            {
                Refresh();
                if (!_vaults.Remove(name)) return;
                if (_defaultVaultName.Equals(name, StringComparison.OrdinalIgnoreCase)) _defaultVaultName = string.Empty;
                Save();
            }
        }

        public static void SetDefaultVault(string name)
        {
            lock (Sync)
            {
                Refresh();
                if (string.IsNullOrEmpty(name))
                {
                    _defaultVaultName = string.Empty;
                }
                else if (_vaults.TryGetValue(name, out var vault))
                {
                    _defaultVaultName = vault.Name;
                }
                else
                {
                    throw new ItemNotFoundException("Vault name was not found.");
                }
                Save();
            }
        }

        /// <summary>Forgets the in-memory registry. A registry file, if any, is left alone.</summary>
        public static void ClearMemory()
        {
            lock (Sync)
            {
                _vaults = new Dictionary<string, RegisteredVault>(StringComparer.OrdinalIgnoreCase);
                _defaultVaultName = string.Empty;
            }
        }

        private static string RegistryFile
        {
            get
            {
                var path = Environment.GetEnvironmentVariable(RegistryEnvironmentVariable);
                return string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);
            }
        }

        private static void Refresh()
        {
            var file = RegistryFile;
            if (file == null || !File.Exists(file)) return;
            string text = File.ReadAllText(file, Encoding.UTF8);
            var vaults = new Dictionary<string, RegisteredVault>(StringComparer.OrdinalIgnoreCase);
            string defaultName = string.Empty;
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                if (line.Length == 0 || line[0] == '#') continue;
                var cols = line.Split('\t');
                try
                {
                    switch (cols[0])
                    {
                        case "default":
                            defaultName = (string)Codec.Decode(cols[1]) ?? string.Empty;
                            break;
                        case "vault":
                            var parameters = (Hashtable)Codec.Decode(cols[5]);
                            var vault = new RegisteredVault(
                                (string)Codec.Decode(cols[1]), (string)Codec.Decode(cols[2]),
                                (string)Codec.Decode(cols[3]), (string)Codec.Decode(cols[4]), parameters);
                            vaults[vault.Name] = vault;
                            break;
                        default:
                            throw new FormatException("unknown line kind '" + cols[0] + "'");
                    }
                }
                catch (Exception ex) when (ex is FormatException || ex is IndexOutOfRangeException || ex is InvalidCastException)
                {
                    throw new InvalidDataException("The SecretManagement stand-in registry file " + file + " is not valid: " + ex.Message, ex);
                }
            }
            _vaults = vaults;
            _defaultVaultName = defaultName;
        }

        private static void Save()
        {
            var file = RegistryFile;
            if (file == null) return;
            var sb = new StringBuilder();
            sb.Append(FileHeader).Append('\n');
            sb.Append("default\t").Append(Codec.Encode(_defaultVaultName)).Append('\n');
            foreach (var v in _vaults.Values.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase))
            {
                sb.Append("vault\t").Append(Codec.Encode(v.Name))
                  .Append('\t').Append(Codec.Encode(v.ModuleName))
                  .Append('\t').Append(Codec.Encode(v.ModulePath))
                  .Append('\t').Append(Codec.Encode(v.Description))
                  .Append('\t').Append(Codec.Encode(v.Parameters)).Append('\n');
            }
            FileUtil.WriteAtomically(file, sb.ToString());
        }
    }

    internal static class FileUtil
    {
        /// <summary>Writes a whole file so that a concurrent reader sees either the old or the new content.</summary>
        public static void WriteAtomically(string path, string content)
        {
            var dir = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            var temp = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
            File.WriteAllText(temp, content, new UTF8Encoding(false));
            try
            {
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            catch (IOException) when (File.Exists(temp))
            {
                // Another writer created the file between the check and the move: replace theirs.
                File.Replace(temp, path, null);
            }
        }
    }
}
