using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace AwsVault.Config
{
    /// <summary>The parsed ~/.aws/config. Immutable after parsing, so one instance can be shared by
    /// resolvers and read from several threads.</summary>
    internal sealed class ConfigFile
    {
        private readonly List<ConfigSection> _sections = new List<ConfigSection>();
        private readonly Dictionary<string, ConfigSection> _profiles = new Dictionary<string, ConfigSection>(StringComparer.Ordinal);
        private readonly Dictionary<string, ConfigSection> _ssoSessions = new Dictionary<string, ConfigSection>(StringComparer.Ordinal);
        private readonly Dictionary<string, ConfigSection> _others = new Dictionary<string, ConfigSection>(StringComparer.Ordinal);
        private readonly List<string> _profileNames = new List<string>();

        private ConfigFile(string path)
        {
            Path = path;
        }

        public string Path { get; }

        /// <summary>In the order their first header appears.</summary>
        public IReadOnlyList<ConfigSection> Sections => _sections;

        /// <summary>Profiles ([default] as "default") in file order, each once.</summary>
        public IReadOnlyList<string> ProfileNames => _profileNames;

        /// <summary>Null when absent. "default" finds <c>[default]</c> and <c>[profile default]</c>, which are
        /// one section here.</summary>
        public ConfigSection GetProfile(string name)
        {
            if (name == null) return null;
            _profiles.TryGetValue(name, out ConfigSection section);
            return section;
        }

        public bool ContainsProfile(string name) => name != null && _profiles.ContainsKey(name);

        public ConfigSection GetSsoSession(string name)
        {
            if (name == null) return null;
            _ssoSessions.TryGetValue(name, out ConfigSection section);
            return section;
        }

        /// <summary>A missing file is an empty config: aws-vault works with keys alone, no config needed.</summary>
        public static ConfigFile Load(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (Directory.Exists(path))
            {
                throw new AwsVaultException(ErrorIds.ConfigReadError, ErrorCategory.ReadError,
                    "The AWS config path " + path + " is a folder, not a file. Point AWS_CONFIG_FILE at a file, or remove the folder.",
                    path);
            }
            string text;
            try
            {
                if (!File.Exists(path)) return new ConfigFile(path);
                text = File.ReadAllText(path);
            }
            catch (FileNotFoundException)
            {
                return new ConfigFile(path);
            }
            catch (DirectoryNotFoundException)
            {
                return new ConfigFile(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new AwsVaultException(ErrorIds.ConfigReadError, ErrorCategory.ReadError,
                    "Cannot read the AWS config file " + path + ": " + ex.Message + " Check that it is a readable file, or point AWS_CONFIG_FILE elsewhere.",
                    path, ex);
            }
            return Parse(text, path);
        }

        /// <summary>Parses text; <paramref name="path"/> is only used in error messages and <see cref="Path"/>.</summary>
        public static ConfigFile Parse(string text, string path)
        {
            var file = new ConfigFile(path);
            new ConfigParser(file, text ?? string.Empty, path).Run();
            return file;
        }

        /// <summary>Returns the section for a header, creating it on first sight, so that a repeated header
        /// merges into the first.</summary>
        internal ConfigSection GetOrAddSection(SectionKind kind, string name, int line)
        {
            Dictionary<string, ConfigSection> map;
            switch (kind)
            {
                case SectionKind.Default:
                case SectionKind.Profile:
                    map = _profiles;
                    break;
                case SectionKind.SsoSession:
                    map = _ssoSessions;
                    break;
                default:
                    map = _others;
                    break;
            }
            if (map.TryGetValue(name, out ConfigSection existing)) return existing;

            var section = new ConfigSection(kind, name, line);
            map.Add(name, section);
            _sections.Add(section);
            if (map == _profiles) _profileNames.Add(name);
            return section;
        }
    }
}
