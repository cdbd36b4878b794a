using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;

namespace AwsVault.Config
{
    /// <summary>
    /// Merges a profile's settings the way aws-vault v7 does (populateFromConfigFile): the profile's own
    /// section, then the profile named by include_profile (recursively), and [default] wherever a
    /// profile has no include_profile. Environment and parameters sit above this and are the caller's.
    /// Results are cached per profile name, so resolving thousands of profiles walks each include
    /// chain once per profile and never rescans the file.
    /// </summary>
    internal sealed class ProfileResolver
    {
        private readonly Dictionary<string, ProfileSettings> _cache = new Dictionary<string, ProfileSettings>(StringComparer.Ordinal);
        private readonly object _lock = new object();

        public ProfileResolver(ConfigFile config)
        {
            Config = config ?? throw new ArgumentNullException(nameof(config));
        }

        public ConfigFile Config { get; }

        /// <summary>Works for a profile that is not in the config: it gets [default]'s settings and
        /// InConfig = false, and the caller decides whether that is an error.</summary>
        public ProfileSettings Resolve(string profileName)
        {
            if (string.IsNullOrEmpty(profileName)) throw new ArgumentException("A profile name is required.", nameof(profileName));
            lock (_lock)
            {
                if (_cache.TryGetValue(profileName, out ProfileSettings cached)) return cached;
            }
            ProfileSettings settings = Merge(profileName);
            lock (_lock)
            {
                _cache[profileName] = settings;
            }
            return settings;
        }

        /// <summary>
        /// The target profile first, then its source_profile, and so on to the profile that has no
        /// source_profile. aws-vault accepts a source_profile that exists only in the vault; pass
        /// <paramref name="existsElsewhere"/> to allow those, otherwise a source_profile must be in the config.
        /// </summary>
        public IReadOnlyList<ProfileSettings> ResolveSourceChain(string profileName, Func<string, bool> existsElsewhere = null)
        {
            var chain = new List<ProfileSettings>();
            ProfileSettings current = Resolve(profileName);
            chain.Add(current);
            while (true)
            {
                ConfigValue source = current.GetValue(ConfigKeys.SourceProfile);
                if (source == null || source.Value.Length == 0) return chain;
                string next = source.Value;

                int seenAt = chain.FindIndex(p => p.ProfileName == next);
                if (seenAt >= 0)
                {
                    var names = new List<string>();
                    for (int i = seenAt; i < chain.Count; i++) names.Add(chain[i].ProfileName);
                    throw Loop(next, names, source, current.ProfileName, ConfigKeys.SourceProfile,
                        "Change one of these source_profile settings so the chain ends at a profile with stored credentials.");
                }

                if (!Config.ContainsProfile(next) && !(existsElsewhere != null && existsElsewhere(next)))
                {
                    string elsewhere = existsElsewhere == null ? "" : " and has no stored credentials";
                    throw new AwsVaultException(ErrorIds.ConfigSourceProfileNotFound, ErrorCategory.ObjectNotFound,
                        ConfigErrors.At(Config.Path, source.Line) + "source_profile in " + ConfigErrors.Where(source, current.ProfileName) +
                        " names '" + next + "', which is not a profile in this file" + elsewhere +
                        ". Add a [profile " + next + "] section, store credentials for it, or correct the name.",
                        current.ProfileName);
                }

                current = Resolve(next);
                chain.Add(current);
            }
        }

        /// <summary>Resolve, but a profile that is neither in the config nor known to
        /// <paramref name="existsElsewhere"/> (the vault) is a ProfileNotFound error: silently using
        /// [default] for a mistyped name is the aws-vault v6 behaviour users reported as a bug.</summary>
        public ProfileSettings RequireProfile(string profileName, Func<string, bool> existsElsewhere = null)
        {
            if (!string.IsNullOrEmpty(profileName) && (Config.ContainsProfile(profileName) || (existsElsewhere != null && existsElsewhere(profileName))))
            {
                return Resolve(profileName);
            }

            var message = new StringBuilder();
            message.Append("Profile '").Append(profileName).Append("' was not found in ").Append(ConfigErrors.DisplayPath(Config.Path));
            if (existsElsewhere != null) message.Append(" nor in the vault");
            message.Append('.');
            List<string> close = ProfileNameSuggestions.Find(profileName ?? string.Empty, Config.ProfileNames);
            if (close.Count > 0) message.Append(" Did you mean '").Append(string.Join("', '", close)).Append("'?");
            message.Append(" Add a [profile ").Append(profileName).Append("] section to the config file or store credentials for it.");
            throw new AwsVaultException(ErrorIds.ProfileNotFound, ErrorCategory.ObjectNotFound, message.ToString(), profileName);
        }

        private ProfileSettings Merge(string profileName)
        {
            var chain = new List<ConfigSection>(3);
            var path = new List<string>(3);
            var included = new List<bool>(3);   // included[i]: path[i] was reached by include_profile
            string current = profileName;
            ConfigValue via = null;          // the include_profile that led to `current`; null for the implicit [default] step

            while (current != null)
            {
                int seenAt = path.IndexOf(current);
                if (seenAt >= 0)
                {
                    // Only include_profile settings can make a loop the user wrote. A cycle that goes
                    // through the implicit step to [default] (e.g. [default] include_profile = common,
                    // where [profile common] has none) revisits profiles already merged, so it adds
                    // nothing and the walk just ends. aws-vault reports a loop there; that helps no one.
                    bool allExplicit = via != null;
                    for (int i = seenAt + 1; i < path.Count && allExplicit; i++) allExplicit = included[i];
                    if (!allExplicit) break;
                    List<string> loop = path.GetRange(seenAt, path.Count - seenAt);
                    throw Loop(current, loop, via, path[path.Count - 1], ConfigKeys.IncludeProfile,
                        "Remove or change one of these include_profile settings.");
                }
                path.Add(current);
                included.Add(via != null);

                ConfigSection section = Config.GetProfile(current);
                if (section == null && via != null)
                {
                    throw new AwsVaultException(ErrorIds.ConfigIncludeProfileNotFound, ErrorCategory.ObjectNotFound,
                        ConfigErrors.At(Config.Path, via.Line) + "include_profile in " + via.Section?.Header +
                        " names '" + current + "', which is not a profile in this file. Add a [profile " + current +
                        "] section or correct the name.",
                        profileName);
                }

                if (section != null) chain.Add(section);

                ConfigValue include = section?.GetValue(ConfigKeys.IncludeProfile);
                if (include != null && include.Value.Length > 0)
                {
                    via = include;
                    current = include.Value;
                }
                else if (current != ConfigKeys.DefaultProfile)
                {
                    via = null;
                    current = ConfigKeys.DefaultProfile;
                }
                else
                {
                    current = null;
                }
            }

            // The settings look values up along the chain instead of copying them into one dictionary:
            // resolving every profile of a large config then allocates one small list per profile.
            return new ProfileSettings(profileName, Config, chain.ToArray());
        }

        private AwsVaultException Loop(string repeated, List<string> names, ConfigValue closing, string closingProfile, string key, string fix)
        {
            string path = string.Join(" -> ", names) + " -> " + repeated;
            return new AwsVaultException(ErrorIds.ConfigProfileLoop, ErrorCategory.InvalidData,
                ConfigErrors.At(Config.Path, closing.Line) + "Loop detected in config file for profile '" + repeated + "': " + path +
                ". The " + key + " in " + ConfigErrors.Where(closing, closingProfile) + " closes the loop. " + fix,
                repeated);
        }
    }
}
