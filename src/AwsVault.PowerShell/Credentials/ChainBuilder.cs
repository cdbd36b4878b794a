using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Config;
using AwsVault.Storage;

namespace AwsVault.Credentials
{
    /// <summary>
    /// Turns a profile and its source_profile chain into providers, with aws-vault's rules (vault/vault.go):
    /// a source profile is built first; a role profile gets AssumeRole over its source, without MFA when the
    /// source already did GetSessionToken with the same serial (chained MFA); a profile without a role gets
    /// GetSessionToken unless that would not help, and the reason is logged, because "why was
    /// GetSessionToken skipped" is the question aws-vault users ask most.
    /// </summary>
    internal sealed class ChainBuilder
    {
        private readonly ProfileResolver _resolver;
        private readonly ICredentialStore _store;
        private readonly SessionRequest _request;
        private readonly Action<string> _log;
        private readonly List<string> _hops = new List<string>();
        private bool _usesMfa;
        private string _chainedMfaSerial;

        public ChainBuilder(ProfileResolver resolver, ICredentialStore store, SessionRequest request, Action<string> log)
        {
            _resolver = resolver;
            _store = store;
            _request = request;
            _log = log ?? (_ => { });
        }

        public CredentialChain Build()
        {
            string target = _request.ProfileName;
            // Asked per profile of the chain (one file check each) rather than listing the whole vault.
            var known = new Dictionary<string, bool>(StringComparer.Ordinal);
            Func<string, bool> hasKey = name =>
            {
                if (!known.TryGetValue(name, out bool has)) known[name] = has = _store.HasKey(name);
                return has;
            };
            _resolver.RequireProfile(target, hasKey);
            IReadOnlyList<ProfileSettings> settings = _resolver.ResolveSourceChain(target, hasKey);

            var hops = settings.Select(s => new Hop(s, hasKey(s.ProfileName))).ToList();
            for (int i = 0; i < hops.Count; i++)
            {
                hops[i].IsTarget = i == 0;
                if (i + 1 < hops.Count)
                {
                    hops[i].Source = hops[i + 1];
                    hops[i + 1].ChainedFrom = hops[i];
                }
            }
            foreach (var hop in hops) Configure(hop);

            ICredentialProvider top = ProviderFor(hops[0]);
            return new CredentialChain(top, target, hops[0].Region, _hops, _usesMfa);
        }

        private void Configure(Hop hop)
        {
            var s = hop.Settings;
            hop.Region = RegionFor(hop);
            hop.MfaSerial = s.MfaSerial ?? Env("AWS_MFA_SERIAL");
            hop.RoleArn = s.RoleArn ?? (hop.IsTarget ? Env("AWS_ROLE_ARN") : null);
            hop.RoleSessionName = s.RoleSessionName ?? (hop.IsTarget ? Env("AWS_ROLE_SESSION_NAME") : null);

            if (hop.IsTarget && _request.DurationSeconds.HasValue)
            {
                hop.AssumeRoleDuration = _request.DurationSeconds.Value;
                hop.AssumeRoleDurationSource = "-Duration";
            }
            else if (DurationLimits.FromEnvironment("AWS_ASSUME_ROLE_TTL") is int envRole)
            {
                hop.AssumeRoleDuration = envRole;
                hop.AssumeRoleDurationSource = "$env:AWS_ASSUME_ROLE_TTL";
            }
            else if (s.DurationSeconds.HasValue)
            {
                hop.AssumeRoleDuration = s.DurationSeconds.Value;
                var where = s.GetValue(ConfigKeys.DurationSeconds);
                hop.AssumeRoleDurationSource = "duration_seconds in " + _resolver.Config.Path + (where != null ? " line " + where.Line : string.Empty);
            }
            else
            {
                hop.AssumeRoleDuration = DurationLimits.DefaultAssumeRole;
                hop.AssumeRoleDurationSource = "the default";
            }
        }

        private ICredentialProvider ProviderFor(Hop hop)
        {
            var s = hop.Settings;
            // aws-vault's GetProviderForProfile order: a stored key or a source_profile wins over SSO, web identity and
            // credential_process, so an sso_start_url inherited from [default] does not take over a keyed profile.
            bool keyOrSource = hop.HasStoredKey || hop.Source != null;
            if (!keyOrSource && (!string.IsNullOrEmpty(s.SsoStartUrl) || !string.IsNullOrEmpty(s.SsoSession)))
            {
                throw new AwsVaultException("SsoNotSupported", ErrorCategory.NotImplemented,
                    "Profile '" + hop.Name + "' uses AWS IAM Identity Center (SSO), which this version of AwsVault does not support yet. Use the AWS CLI's 'aws sso login' for this profile.", hop.Name);
            }

            if (!keyOrSource && (!string.IsNullOrEmpty(s.WebIdentityTokenFile) || !string.IsNullOrEmpty(s.WebIdentityTokenProcess)))
            {
                if (string.IsNullOrEmpty(hop.RoleArn))
                {
                    throw new AwsVaultException("ConfigInvalidValue", ErrorCategory.InvalidData,
                        _resolver.Config.Path + ": profile '" + hop.Name + "' has a web identity token but no role_arn to assume with it. Add role_arn.", hop.Name);
                }
                int duration = CheckedRoleDuration(hop, chained: false);
                _log("profile " + hop.Name + ": using AssumeRoleWithWebIdentity.");
                _hops.Add("AssumeRoleWithWebIdentity(" + hop.Name + ")");
                var web = new WebIdentityProvider(hop.Name, Endpoint(hop), hop.RoleArn, hop.RoleSessionName, duration,
                    string.IsNullOrEmpty(s.WebIdentityTokenFile) ? null : s.WebIdentityTokenFile, s.WebIdentityTokenProcess, hop.AssumeRoleDurationSource);
                return new CachedSessionProvider(web, SessionKey.AssumeRoleWithWebIdentityType, null, persist: true);
            }

            ICredentialProvider source = SourceFor(hop);

            if (!string.IsNullOrEmpty(hop.RoleArn))
            {
                bool mfaChained = !string.IsNullOrEmpty(hop.MfaSerial) && hop.MfaSerial == _chainedMfaSerial;
                string mfa = mfaChained ? null : hop.MfaSerial;
                int duration = CheckedRoleDuration(hop, source.IssuesRoleSession);
                _log("profile " + hop.Name + ": using AssumeRole " + hop.RoleArn +
                     (mfaChained ? " without MFA (chained MFA: profile '" + hop.Source?.Name + "' already did GetSessionToken with " + hop.MfaSerial + ")"
                                 : mfa != null ? " with MFA " + mfa : " without MFA") + ".");
                var template = new AssumeRoleParameters
                {
                    RoleArn = hop.RoleArn,
                    RoleSessionName = hop.RoleSessionName,
                    DurationSeconds = duration,
                    ExternalId = s.ExternalId,
                    Tags = hop.IsTarget && Env("AWS_SESSION_TAGS") is string tags ? ParseTags(tags) : s.SessionTags,
                    TransitiveTagKeys = hop.IsTarget && Env("AWS_TRANSITIVE_TAGS") is string transitive ? transitive.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0).ToList() : s.TransitiveSessionTags,
                    SourceIdentity = (hop.IsTarget ? Env("AWS_SOURCE_IDENTITY") : null) ?? s.SourceIdentity,
                };
                _hops.Add("AssumeRole(" + hop.Name + (mfa != null ? ", MFA" : string.Empty) + ")");
                _usesMfa |= mfa != null;
                var assume = new AssumeRoleProvider(source, hop.Name, Endpoint(hop), template, mfa, s.MfaProcess, hop.AssumeRoleDurationSource);
                // aws-vault keeps a role session only when it cost an MFA code; memory keeps the rest for this process.
                return new CachedSessionProvider(assume, SessionKey.AssumeRoleType, mfa, persist: mfa != null);
            }

            string reason = WhyNotGetSessionToken(hop, source);
            if (reason == null)
            {
                int duration = SessionTokenDuration(hop, out string durationSource);
                _chainedMfaSerial = hop.MfaSerial;
                _log("profile " + hop.Name + ": using GetSessionToken" + (string.IsNullOrEmpty(hop.MfaSerial) ? " without MFA" : " with MFA " + hop.MfaSerial) +
                     " for " + DurationLimits.Describe(duration) + (hop.ChainedFrom != null ? " (profile '" + hop.ChainedFrom.Name + "' assumes its role with the same MFA serial, so one code serves both)" : string.Empty) + ".");
                _hops.Add("GetSessionToken(" + hop.Name + (string.IsNullOrEmpty(hop.MfaSerial) ? string.Empty : ", MFA") + ")");
                _usesMfa |= !string.IsNullOrEmpty(hop.MfaSerial);
                // With chained MFA the code serves the role profile the user asked for, so its mfa_process counts too.
                string mfaProcess = s.MfaProcess ?? hop.ChainedFrom?.Settings.MfaProcess;
                var token = new SessionTokenProvider(source, hop.Name, Endpoint(hop), duration, hop.MfaSerial, mfaProcess, durationSource);
                return new CachedSessionProvider(token, SessionKey.GetSessionTokenType, hop.MfaSerial, persist: true);
            }
            _log("profile " + hop.Name + ": skipping GetSessionToken because " + reason + ".");
            return source;
        }

        private ICredentialProvider SourceFor(Hop hop)
        {
            if (hop.Source != null)
            {
                _log("profile " + hop.Name + ": sourcing credentials from profile " + hop.Source.Name + ".");
                return ProviderFor(hop.Source);
            }
            if (hop.HasStoredKey)
            {
                _hops.Add("stored key(" + hop.Name + ")");
                return new StoredKeyProvider(_store, hop.Name);
            }
            if (!string.IsNullOrEmpty(hop.Settings.CredentialProcess))
            {
                _log("profile " + hop.Name + ": using credential_process.");
                _hops.Add("credential_process(" + hop.Name + ")");
                var process = new CredentialProcessProvider(hop.Name, hop.Settings.CredentialProcess);
                return new CachedSessionProvider(process, SessionKey.CredentialProcessType, null, persist: true);
            }
            throw new AwsVaultException("CredentialsMissing", ErrorCategory.ObjectNotFound,
                "Profile '" + hop.Name + "': credentials missing. It has no stored key, no source_profile, no credential_process, no web identity and no SSO settings. " +
                "Store a key with Add-AwsVaultProfile " + hop.Name + ", or give it a source_profile in " + _resolver.Config.Path + ".", hop.Name);
        }

        /// <summary>Null when GetSessionToken should be used; else why not, in words for -Verbose.</summary>
        private string WhyNotGetSessionToken(Hop hop, ICredentialProvider source)
        {
            if (_request.NoSession) return "-NoSession was given, so the stored key is used as it is";
            if (!(source is StoredKeyProvider)) return "the credentials of profile '" + hop.Name + "' are already temporary, and STS does not issue session tokens for temporary credentials";
            var role = hop.ChainedFrom;
            if (role == null) return null;
            if (string.IsNullOrEmpty(role.MfaSerial))
                return "profile '" + role.Name + "', which uses it as source_profile, has no mfa_serial, so a session token would add nothing to its AssumeRole";
            if (role.MfaSerial != hop.MfaSerial)
                return "profile '" + role.Name + "' asks for MFA with " + role.MfaSerial + " but profile '" + hop.Name + "' has " +
                       (string.IsNullOrEmpty(hop.MfaSerial) ? "no mfa_serial" : hop.MfaSerial) + ", so the code goes to AssumeRole instead";
            if (role.AssumeRoleDuration > DurationLimits.RoleChainingMaximum)
                return "profile '" + role.Name + "' wants a role session of " + DurationLimits.Describe(role.AssumeRoleDuration) +
                       " (" + role.AssumeRoleDurationSource + "), more than the 1h AWS allows for a role assumed with session-token credentials, so AssumeRole gets the MFA code itself";
            return null;
        }

        private int SessionTokenDuration(Hop hop, out string source)
        {
            int seconds;
            if (hop.ChainedFrom != null)
            {
                int? env = DurationLimits.FromEnvironment("AWS_CHAINED_SESSION_TOKEN_TTL");
                seconds = env ?? DurationLimits.DefaultChainedSessionToken;
                source = env.HasValue ? "$env:AWS_CHAINED_SESSION_TOKEN_TTL" : "the default for a chained session token";
            }
            else if (_request.DurationSeconds.HasValue)
            {
                seconds = _request.DurationSeconds.Value;
                source = "-Duration";
            }
            else
            {
                int? env = DurationLimits.FromEnvironment("AWS_SESSION_TOKEN_TTL");
                seconds = env ?? DurationLimits.DefaultSessionToken;
                source = env.HasValue ? "$env:AWS_SESSION_TOKEN_TTL" : "the default";
            }
            DurationLimits.Check(seconds, DurationLimits.GetSessionTokenMaximum, hop.Name, "a GetSessionToken session", source);
            return seconds;
        }

        private int CheckedRoleDuration(Hop hop, bool chained)
        {
            int max = chained ? DurationLimits.RoleChainingMaximum : DurationLimits.AssumeRoleMaximum;
            DurationLimits.Check(hop.AssumeRoleDuration, max, hop.Name, chained ? "a role session assumed from another role (role chaining)" : "a role session", hop.AssumeRoleDurationSource);
            return hop.AssumeRoleDuration;
        }

        private StsEndpoint Endpoint(Hop hop)
        {
            string url = null;
            if (!string.Equals(Env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
            {
                url = Env("AWS_ENDPOINT_URL_STS") ?? Env("AWS_ENDPOINT_URL") ?? ServicesEndpoint(hop.Settings) ?? hop.Settings.EndpointUrl;
            }
            bool legacy = url == null && string.Equals(hop.Settings.StsRegionalEndpoints, "legacy", StringComparison.OrdinalIgnoreCase);
            return new StsEndpoint(hop.Region ?? "us-east-1", url, legacy, StsRetryPolicy.For(hop.Settings));
        }

        // The SDK's "services" sections: [services NAME] with a nested "sts = / endpoint_url = ..." block.
        private string ServicesEndpoint(ProfileSettings settings)
        {
            string services = settings.Get("services");
            if (string.IsNullOrEmpty(services)) return null;
            var section = _resolver.Config.Sections.FirstOrDefault(x => x.Kind == SectionKind.Other && x.Name == "services " + services);
            string value = section?.Get("sts.endpoint_url");
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private static IReadOnlyDictionary<string, string> ParseTags(string text)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in text.Split(','))
            {
                string p = pair.Trim();
                if (p.Length == 0) continue;
                int eq = p.IndexOf('=');
                if (eq <= 0)
                {
                    throw new AwsVaultException("InvalidSessionTags", ErrorCategory.InvalidArgument,
                        "$env:AWS_SESSION_TAGS must be key=value pairs separated by commas; entry " + (tags.Count + 1) + " has no '='.", "AWS_SESSION_TAGS");
                }
                tags[p.Substring(0, eq).Trim()] = p.Substring(eq + 1).Trim();
            }
            return tags;
        }

        private static string Env(string name)
        {
            string value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private string RegionFor(Hop hop) =>
            _request.Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? hop.Settings.Region ?? (hop.Source != null ? RegionFor(hop.Source) : null);

        private sealed class Hop
        {
            public Hop(ProfileSettings settings, bool hasStoredKey)
            {
                Settings = settings;
                HasStoredKey = hasStoredKey;
            }

            public ProfileSettings Settings { get; }
            public string Name => Settings.ProfileName;
            public bool HasStoredKey { get; }
            public bool IsTarget { get; set; }
            public Hop Source { get; set; }
            public Hop ChainedFrom { get; set; }
            public string MfaSerial { get; set; }
            public string RoleArn { get; set; }
            public string RoleSessionName { get; set; }
            public int AssumeRoleDuration { get; set; }
            public string AssumeRoleDurationSource { get; set; }
            public string Region { get; set; }
        }
    }
}
