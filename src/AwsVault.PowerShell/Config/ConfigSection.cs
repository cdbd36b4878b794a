using System;
using System.Collections.Generic;

namespace AwsVault.Config
{
    /// <summary>One section of the config file. A header that appears twice is one section: the second
    /// occurrence adds to (and overrides keys of) the first, as botocore does.</summary>
    internal sealed class ConfigSection
    {
        private readonly Dictionary<string, ConfigValue> _values = new Dictionary<string, ConfigValue>(StringComparer.OrdinalIgnoreCase);

        internal ConfigSection(SectionKind kind, string name, int line)
        {
            Kind = kind;
            Name = name;
            Line = line;
        }

        public SectionKind Kind { get; }

        /// <summary>The name without prefix: "dev" for <c>[profile dev]</c>, "default" for <c>[default]</c>,
        /// the whole trimmed header text for Kind Other.</summary>
        public string Name { get; }

        /// <summary>1-based line of the first header for this section.</summary>
        public int Line { get; }

        /// <summary>Case-insensitive by key.</summary>
        public IReadOnlyDictionary<string, ConfigValue> Values => _values;

        /// <summary>The header in canonical form, for messages that must say which section is meant.</summary>
        public string Header
        {
            get
            {
                switch (Kind)
                {
                    case SectionKind.Default: return "[default]";
                    case SectionKind.Profile: return "[profile " + Name + "]";
                    case SectionKind.SsoSession: return "[sso-session " + Name + "]";
                    default: return "[" + Name + "]";
                }
            }
        }

        public string Get(string key) => GetValue(key)?.Value;

        public ConfigValue GetValue(string key)
        {
            if (key == null) return null;
            _values.TryGetValue(key, out ConfigValue value);
            return value;
        }

        // Later wins, matching botocore for a key repeated in a section or in a repeated header.
        internal void Set(ConfigValue value) => _values[value.Key] = value;

        public override string ToString() => Header;
    }
}
