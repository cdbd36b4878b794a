using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Config;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>Lists profiles from the config and the vault, like <c>aws-vault list</c>. It reads item names
    /// only, so it works without the passphrase and in non-interactive sessions.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsVaultProfile", HelpUri = HelpLinks.Base + "Get-AwsVaultProfile.md")]
    [OutputType(typeof(ProfileInfo))]
    public sealed class GetAwsVaultProfileCommand : StoreCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] ProfileName { get; set; }

        private List<ProfileInfo> _all;
        private string _allFrom;

        protected override void Process()
        {
            // Listed once per store: piped profiles may name different stores.
            ChooseStore(out string backend, out string vault);
            string from = backend + "\n" + vault;
            if (_all == null || _allFrom != from)
            {
                _all = Collect();
                _allFrom = from;
            }
            if (ProfileName == null || ProfileName.Length == 0)
            {
                foreach (var p in _all) WriteObject(p);
                return;
            }
            foreach (string name in ProfileName)
            {
                var pattern = new WildcardPattern(name, WildcardOptions.None);
                var matches = _all.Where(p => pattern.IsMatch(p.ProfileName)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    // Like Get-Item: each missing name is its own non-terminating error and the others are still listed.
                    WriteError(NotFound(name).ToErrorRecord());
                    continue;
                }
                foreach (var p in matches) WriteObject(p);
            }
        }

        private AwsVaultException NotFound(string name)
        {
            var known = _all.Select(p => p.ProfileName).ToList();
            var close = ProfileNameSuggestions.Find(name, known);
            return new AwsVaultException(ErrorIds.ProfileNotFound, ErrorCategory.ObjectNotFound,
                "Profile '" + name + "' is neither in the config file nor in the vault." +
                (close.Count > 0 ? " Did you mean '" + string.Join("', '", close) + "'?" : " Known profiles: " + (known.Count == 0 ? "none" : string.Join(", ", known)) + ".") +
                " Add it with Add-AwsVaultProfile, or check the name.", name);
        }

        private List<ProfileInfo> Collect()
        {
            var config = LoadConfig();
            var resolver = new ProfileResolver(config);
            var store = OpenStore();
            var withKeys = new HashSet<string>(store.ListProfilesWithKeys(), StringComparer.Ordinal);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var sessions = store.ListSessions().Where(s => s.Expiration > now).ToList();

            var names = new List<string>(config.ProfileNames);
            var seen = new HashSet<string>(names, StringComparer.Ordinal);
            foreach (var n in withKeys.OrderBy(n => n, StringComparer.Ordinal))
            {
                if (seen.Add(n)) names.Add(n);
            }

            var result = new List<ProfileInfo>(names.Count);
            foreach (string name in names)
            {
                var settings = resolver.Resolve(name);
                bool hasKey = withKeys.Contains(name);
                // As the chain decides: a stored key or a source_profile comes before SSO settings.
                bool sso = !hasKey && string.IsNullOrEmpty(settings.SourceProfile) && Config.SsoSettings.Declared(settings);
                result.Add(new ProfileInfo
                {
                    SsoSession = sso ? settings.SsoSession ?? settings.SsoStartUrl : null,
                    ProfileName = name,
                    HasStoredKey = hasKey,
                    InConfig = settings.InConfig,
                    SourceProfile = settings.SourceProfile,
                    RoleArn = settings.RoleArn,
                    MfaSerial = settings.MfaSerial,
                    Region = settings.Region,
                    Sessions = sessions.Where(s => s.ProfileName == name).OrderBy(s => s.Expiration).Select(s => new CachedSessionInfo(s)).ToArray(),
                    Backend = store.Backend,
                    Vault = store.Location,
                });
            }
            return result;
        }
    }
}
