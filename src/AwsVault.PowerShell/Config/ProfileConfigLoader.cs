using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Credentials;

namespace AwsVault.Config
{
    /// <summary>
    /// The config file(s) plus one <see cref="EnvironmentSnapshot"/> → a <see cref="ProfileGraph"/>, as aws-vault's
    /// ConfigLoader does: the AWS_* overrides are applied here, once, and the chain builder sees only the result.
    /// </summary>
    internal static class ProfileConfigLoader
    {
        public static ProfileGraph Load(ConfigFile config, EnvironmentSnapshot environment) =>
            new ProfileGraph(config ?? throw new ArgumentNullException(nameof(config)), environment ?? EnvironmentSnapshot.Empty);
    }

    /// <summary>
    /// The profiles of one config file under one environment. A chain is resolved for a target profile because
    /// some overrides (AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, AWS_SESSION_TAGS, AWS_TRANSITIVE_TAGS,
    /// AWS_SOURCE_IDENTITY) apply only to the profile asked for; the rest (region, AWS_MFA_SERIAL, TTLs,
    /// endpoints, retries) apply to every profile of the chain.
    /// </summary>
    internal sealed class ProfileGraph
    {
        internal ProfileGraph(ConfigFile config, EnvironmentSnapshot environment)
        {
            Config = config;
            Environment = environment;
            Resolver = new ProfileResolver(config);
        }

        public ConfigFile Config { get; }
        public EnvironmentSnapshot Environment { get; }
        public ProfileResolver Resolver { get; }

        /// <summary>$env:AWS_SESSION_TOKEN_TTL: GetSessionToken for the target profile. Checked when asked, so a bad
        /// value fails only the commands that would use it.</summary>
        public int? SessionTokenTtl => DurationLimits.FromEnvironment("AWS_SESSION_TOKEN_TTL", Environment.Get("AWS_SESSION_TOKEN_TTL"));

        /// <summary>$env:AWS_CHAINED_SESSION_TOKEN_TTL: GetSessionToken for a source profile whose role reuses its MFA.</summary>
        public int? ChainedSessionTokenTtl => DurationLimits.FromEnvironment("AWS_CHAINED_SESSION_TOKEN_TTL", Environment.Get("AWS_CHAINED_SESSION_TOKEN_TTL"));

        /// <summary>$env:AWS_FEDERATION_TOKEN_TTL: GetFederationToken for console sign-in with a stored key.</summary>
        public int? FederationTokenTtl => DurationLimits.FromEnvironment("AWS_FEDERATION_TOKEN_TTL", Environment.Get("AWS_FEDERATION_TOKEN_TTL"));

        /// <summary>The target first, then its source_profile and so on. A profile known only to the store
        /// (<paramref name="hasStoredKey"/>) counts as existing, as in aws-vault; else ProfileNotFound.</summary>
        public IReadOnlyList<ProfileConfig> Chain(string target, Func<string, bool> hasStoredKey)
        {
            Resolver.RequireProfile(target, hasStoredKey);
            IReadOnlyList<ProfileSettings> settings = Resolver.ResolveSourceChain(target, hasStoredKey);
            var chain = new ProfileConfig[settings.Count];
            ProfileConfig source = null;
            // Built from the bottom: a profile without a region of its own takes its source's.
            for (int i = settings.Count - 1; i >= 0; i--)
            {
                chain[i] = source = new ProfileConfig(this, settings[i], isTarget: i == 0, source);
            }
            return chain;
        }
    }

    /// <summary>One profile as a chain sees it: the merged config settings with the environment's overrides applied.
    /// Values that parse an environment variable are computed when read, so an invalid variable fails only where it
    /// is used, as before the snapshot existed.</summary>
    internal sealed class ProfileConfig
    {
        private readonly ProfileGraph _graph;

        internal ProfileConfig(ProfileGraph graph, ProfileSettings settings, bool isTarget, ProfileConfig source)
        {
            _graph = graph;
            Settings = settings;
            IsTarget = isTarget;
            Source = source;
            var env = graph.Environment;
            Region = env.Get("AWS_REGION") ?? env.Get("AWS_DEFAULT_REGION") ?? settings.Region ?? source?.Region;
            MfaSerial = settings.MfaSerial ?? env.Get("AWS_MFA_SERIAL");
            RoleArn = settings.RoleArn ?? (isTarget ? env.Get("AWS_ROLE_ARN") : null);
            RoleSessionName = settings.RoleSessionName ?? (isTarget ? env.Get("AWS_ROLE_SESSION_NAME") : null);
            SourceIdentity = (isTarget ? env.Get("AWS_SOURCE_IDENTITY") : null) ?? settings.SourceIdentity;
            StsEndpointUrl = ConfiguredEndpoint("AWS_ENDPOINT_URL_STS", "sts");
            IamEndpointUrl = ConfiguredEndpoint("AWS_ENDPOINT_URL_IAM", "iam");
            UseGlobalEndpoint = StsEndpointUrl == null && string.Equals(settings.StsRegionalEndpoints, "legacy", StringComparison.OrdinalIgnoreCase);
            // Checked when read: SSO keys inherited from [default] must not fail a profile served by a stored key.
            _sso = new Lazy<SsoSettings>(() => SsoSettings.Resolve(Settings,
                ConfiguredEndpoint("AWS_ENDPOINT_URL_SSO_OIDC", "sso_oidc"), ConfiguredEndpoint("AWS_ENDPOINT_URL_SSO", "sso")));
        }

        private readonly Lazy<SsoSettings> _sso;

        public string Name => Settings.ProfileName;
        public ProfileSettings Settings { get; }
        public bool IsTarget { get; }

        /// <summary>The profile named by source_profile, or null.</summary>
        public ProfileConfig Source { get; }

        public string Region { get; }
        public string MfaSerial { get; }
        public string RoleArn { get; }
        public string RoleSessionName { get; }
        public string SourceIdentity { get; }

        /// <summary>From AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, a [services] block or endpoint_url, unless
        /// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true; null for the AWS endpoint.</summary>
        public string StsEndpointUrl { get; }

        /// <summary>From AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, a [services] block's iam or endpoint_url, the same
        /// way; null for the partition's IAM endpoint.</summary>
        public string IamEndpointUrl { get; }

        /// <summary>True when any SSO key (sso_session, sso_start_url, sso_account_id, sso_role_name) reaches this
        /// profile, also from [default]; checks nothing.</summary>
        public bool HasSsoSettings => SsoSettings.Declared(Settings);

        /// <summary>The checked SSO settings; null when <see cref="HasSsoSettings"/> is false. Reading it throws
        /// ConfigSsoSessionNotFound, ConfigSsoSettingMissing, ConfigSsoSettingConflict or ConfigInvalidValue, naming
        /// file and line, for an SSO profile that cannot work, so read it only for a hop served by SSO.</summary>
        public SsoSettings Sso => _sso.Value;

        /// <summary>sts_regional_endpoints = legacy and no endpoint URL.</summary>
        public bool UseGlobalEndpoint { get; }

        public StsRetryPolicy RetryPolicy => StsRetryPolicy.For(Settings, _graph.Environment);

        /// <summary>$env:AWS_ASSUME_ROLE_TTL, else duration_seconds, else null; with where it came from in words.</summary>
        public int? AssumeRoleDuration(out string source)
        {
            if (DurationLimits.FromEnvironment("AWS_ASSUME_ROLE_TTL", _graph.Environment.Get("AWS_ASSUME_ROLE_TTL")) is int env)
            {
                source = "$env:AWS_ASSUME_ROLE_TTL";
                return env;
            }
            if (Settings.DurationSeconds.HasValue)
            {
                var where = Settings.GetValue(ConfigKeys.DurationSeconds);
                source = "duration_seconds in " + _graph.Config.Path + (where != null ? " line " + where.Line : string.Empty);
                return Settings.DurationSeconds.Value;
            }
            source = null;
            return null;
        }

        /// <summary>$env:AWS_SESSION_TAGS for the target profile, else session_tags.</summary>
        public IReadOnlyDictionary<string, string> SessionTags =>
            IsTarget && _graph.Environment.Get("AWS_SESSION_TAGS") is string tags ? ParseTags(tags) : Settings.SessionTags;

        /// <summary>$env:AWS_TRANSITIVE_TAGS for the target profile, else transitive_session_tags.</summary>
        public IReadOnlyList<string> TransitiveTagKeys =>
            IsTarget && _graph.Environment.Get("AWS_TRANSITIVE_TAGS") is string transitive
                ? transitive.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0).ToList()
                : Settings.TransitiveSessionTags;

        // The AWS SDKs' order for one service: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's services
        // section, endpoint_url; none of them when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true. Null: AWS's endpoint.
        private string ConfiguredEndpoint(string serviceVariable, string servicesKey)
        {
            var env = _graph.Environment;
            if (string.Equals(env.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase)) return null;
            return env.Get(serviceVariable) ?? env.Get("AWS_ENDPOINT_URL") ?? ServicesEndpoint(_graph.Config, Settings, servicesKey) ?? Settings.EndpointUrl;
        }

        // The SDK's "services" sections: [services NAME] with a nested "sts = / endpoint_url = ..." block; the block's
        // name is the service's variable suffix in lower case (sts, sso, sso_oidc, iam).
        private static string ServicesEndpoint(ConfigFile config, ProfileSettings settings, string servicesKey)
        {
            string services = settings.Get("services");
            if (string.IsNullOrEmpty(services)) return null;
            var section = config.Sections.FirstOrDefault(x => x.Kind == SectionKind.Other && x.Name == "services " + services);
            string value = section?.Get(servicesKey + ".endpoint_url");
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
                    throw new AwsVaultException(ErrorIds.InvalidSessionTags, ErrorCategory.InvalidArgument,
                        "$env:AWS_SESSION_TAGS must be key=value pairs separated by commas; entry " + (tags.Count + 1) + " has no '='.", "AWS_SESSION_TAGS");
                }
                tags[p.Substring(0, eq).Trim()] = p.Substring(eq + 1).Trim();
            }
            return tags;
        }
    }
}
