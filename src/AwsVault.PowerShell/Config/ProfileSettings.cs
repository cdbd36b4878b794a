using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace AwsVault.Config
{
    /// <summary>
    /// A profile's settings after include_profile and [default] were merged in. Typed properties return
    /// null for a key that is missing or empty, because aws-vault treats an empty value as unset. Values
    /// are checked when read, not when resolved, so a bad duration_seconds on a profile nobody uses
    /// does not break every other profile.
    /// </summary>
    internal sealed class ProfileSettings
    {
        private readonly ConfigFile _file;
        private readonly ConfigSection[] _chain;
        private Dictionary<string, ConfigValue> _merged;

        internal ProfileSettings(string profileName, ConfigFile file, ConfigSection[] chain)
        {
            ProfileName = profileName;
            _file = file;
            _chain = chain;
            Section = file.GetProfile(profileName);
        }

        public string ProfileName { get; }

        /// <summary>False for a profile with no section of its own; it then carries only [default]'s settings.</summary>
        public bool InConfig => Section != null;

        /// <summary>The profile's own section, or null.</summary>
        public ConfigSection Section { get; }

        /// <summary>The sections merged, highest precedence first: the profile's own, the include_profile
        /// chain, [default]. Lets a caller explain where a setting came from.</summary>
        public IReadOnlyList<ConfigSection> MergeOrder => _chain;

        /// <summary>The config file the settings came from, for messages.</summary>
        public string Path => _file.Path;

        /// <summary>Every merged setting, case-insensitive by key. Built on first use.</summary>
        public IReadOnlyDictionary<string, ConfigValue> Values
        {
            get
            {
                Dictionary<string, ConfigValue> merged = _merged;
                if (merged != null) return merged;
                merged = new Dictionary<string, ConfigValue>(StringComparer.OrdinalIgnoreCase);
                foreach (ConfigSection section in _chain)
                {
                    foreach (string key in section.Values.Keys)
                    {
                        if (merged.ContainsKey(key)) continue;
                        ConfigValue value = GetValue(key);
                        if (value != null) merged.Add(key, value);
                    }
                }
                _merged = merged;
                return merged;
            }
        }

        public string Get(string key) => GetValue(key)?.Value;

        /// <summary>The first non-empty value along <see cref="MergeOrder"/>, else the first empty one:
        /// aws-vault fills a setting only while it is still empty, so an empty value does not hide the
        /// one from an included profile or [default].</summary>
        public ConfigValue GetValue(string key)
        {
            if (key == null) return null;
            ConfigValue found = null;
            foreach (ConfigSection section in _chain)
            {
                ConfigValue v = section.GetValue(key);
                if (v == null) continue;
                if (v.Value.Length > 0)
                {
                    found = v;
                    break;
                }
                if (found == null) found = v;
            }

            // aws-vault ignores a source_profile naming the profile itself: `[profile x] source_profile = x`
            // means "x's own stored keys", and a [default] source_profile must not make its target loop.
            if (found != null && found.Value == ProfileName && string.Equals(key, ConfigKeys.SourceProfile, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            return found;
        }

        public string Region => NonEmpty(ConfigKeys.Region);
        public string MfaSerial => NonEmpty(ConfigKeys.MfaSerial);
        public string RoleArn => NonEmpty(ConfigKeys.RoleArn);
        public string SourceProfile => NonEmpty(ConfigKeys.SourceProfile);
        public string ExternalId => NonEmpty(ConfigKeys.ExternalId);
        public string RoleSessionName => NonEmpty(ConfigKeys.RoleSessionName);
        public string SourceIdentity => NonEmpty(ConfigKeys.SourceIdentity);
        public string CredentialProcess => NonEmpty(ConfigKeys.CredentialProcess);
        public string MfaProcess => NonEmpty(ConfigKeys.MfaProcess);
        public string WebIdentityTokenFile => NonEmpty(ConfigKeys.WebIdentityTokenFile);
        public string WebIdentityTokenProcess => NonEmpty(ConfigKeys.WebIdentityTokenProcess);
        public string StsRegionalEndpoints => NonEmpty(ConfigKeys.StsRegionalEndpoints);
        public string EndpointUrl => NonEmpty(ConfigKeys.EndpointUrl);
        public string IncludeProfile => NonEmpty(ConfigKeys.IncludeProfile);
        public string SsoSession => NonEmpty(ConfigKeys.SsoSession);
        public string SsoAccountId => NonEmpty(ConfigKeys.SsoAccountId);
        public string SsoRoleName => NonEmpty(ConfigKeys.SsoRoleName);

        /// <summary>The profile's own sso_start_url, else the one in its [sso-session].</summary>
        public string SsoStartUrl => FromProfileOrSsoSession(ConfigKeys.SsoStartUrl);

        /// <summary>The profile's own sso_region, else the one in its [sso-session].</summary>
        public string SsoRegion => FromProfileOrSsoSession(ConfigKeys.SsoRegion);

        /// <summary>The [sso-session X] section named by sso_session, or null when sso_session is not set.
        /// A name with no such section is an error rather than null: the user clearly meant one.</summary>
        public ConfigSection SsoSessionSection
        {
            get
            {
                ConfigValue name = GetValue(ConfigKeys.SsoSession);
                if (name == null || name.Value.Length == 0) return null;
                ConfigSection section = _file.GetSsoSession(name.Value);
                if (section == null)
                {
                    // Its own id, not ConfigInvalidValue: like a missing source_profile, a reference to nothing.
                    throw new AwsVaultException(ErrorIds.ConfigSsoSessionNotFound, ErrorCategory.ObjectNotFound,
                        ConfigErrors.At(Path, name.Line) + "sso_session in " + ConfigErrors.Where(name, ProfileName) + " names '" + name.Value +
                        "', but there is no [sso-session " + name.Value + "] section (names are case-sensitive). Add that section or correct the name.",
                        ProfileName);
                }
                return section;
            }
        }

        /// <summary>Seconds for AssumeRole; null when unset. Anything but a whole number above 0 is an error.</summary>
        public int? DurationSeconds
        {
            get
            {
                ConfigValue v = GetValue(ConfigKeys.DurationSeconds);
                if (v == null || v.Value.Length == 0) return null;
                if (int.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
                {
                    return seconds;
                }
                throw ConfigErrors.Invalid(Path, v,
                    "duration_seconds in " + ConfigErrors.Where(v, ProfileName) + " is '" + v.Value +
                    "', which is not a whole number of seconds greater than 0. Write it like 'duration_seconds = 3600', or remove it.",
                    ProfileName);
            }
        }

        /// <summary>session_tags as <c>key=value,key2=value2</c>; null when unset. Keys compare without case
        /// because STS refuses tags that differ only in case, and it is kinder to say so here.</summary>
        public IReadOnlyDictionary<string, string> SessionTags
        {
            get
            {
                ConfigValue v = GetValue(ConfigKeys.SessionTags);
                if (v == null || v.Value.Length == 0) return null;
                var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                string[] entries = v.Value.Split(',');
                for (int i = 0; i < entries.Length; i++)
                {
                    string entry = entries[i].Trim();
                    if (entry.Length == 0) continue; // "a=1,,b=2" or a trailing comma: nothing was meant there
                    int eq = entry.IndexOf('=');
                    string key = eq < 0 ? null : entry.Substring(0, eq).Trim();
                    // Tag values are not echoed: the message names the entry by position instead.
                    if (string.IsNullOrEmpty(key))
                    {
                        throw ConfigErrors.Invalid(Path, v,
                            "session_tags in " + ConfigErrors.Where(v, ProfileName) + ": entry " + (i + 1) +
                            " is not 'key=value'. Write the tags as 'key1=value1,key2=value2'.",
                            ProfileName);
                    }
                    if (tags.ContainsKey(key))
                    {
                        throw ConfigErrors.Invalid(Path, v,
                            "session_tags in " + ConfigErrors.Where(v, ProfileName) + " has the tag key '" + key +
                            "' more than once (keys ignore case). Keep one of them.",
                            ProfileName);
                    }
                    tags.Add(key, entry.Substring(eq + 1).Trim());
                }
                return tags;
            }
        }

        /// <summary>transitive_session_tags as a comma-separated list of tag keys; null when unset.</summary>
        public IReadOnlyList<string> TransitiveSessionTags
        {
            get
            {
                string raw = NonEmpty(ConfigKeys.TransitiveSessionTags);
                if (raw == null) return null;
                var keys = new List<string>();
                foreach (string part in raw.Split(','))
                {
                    string key = part.Trim();
                    if (key.Length > 0) keys.Add(key);
                }
                return keys;
            }
        }

        private string NonEmpty(string key)
        {
            string v = Get(key);
            return string.IsNullOrEmpty(v) ? null : v;
        }

        private string FromProfileOrSsoSession(string key)
        {
            ConfigSection session = SsoSessionSection;
            string own = NonEmpty(key);
            if (own != null) return own;
            string shared = session?.Get(key);
            return string.IsNullOrEmpty(shared) ? null : shared;
        }

        public override string ToString() => ProfileName;
    }
}
