using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsVault.Sso;

namespace AwsVault.Config
{
    /// <summary>
    /// One SSO (IAM Identity Center) profile's settings, checked: the sign-in (an [sso-session] or the legacy
    /// sso_start_url / sso_region on the profile), the account and role to get credentials for, and where the SSO OIDC
    /// and portal calls go. Built by <see cref="ProfileConfig.Sso"/>; immutable.
    /// </summary>
    internal sealed class SsoSettings
    {
        /// <summary>The scope <c>aws configure sso</c> proposes for a new sso-session; used when the sso-session
        /// names none, so the registration gets a refreshable token.</summary>
        public const string DefaultRegistrationScope = "sso:account:access";

        private SsoSettings(string profileName, string sessionName, string startUrl, string region, IReadOnlyList<string> scopes,
            bool scopesConfigured, string accountId, string roleName, SsoEndpoint oidc, SsoEndpoint portal)
        {
            ProfileName = profileName;
            SessionName = sessionName;
            StartUrl = startUrl;
            Region = region;
            RegistrationScopes = scopes;
            RegistrationScopesConfigured = scopesConfigured;
            AccountId = accountId;
            RoleName = roleName;
            TokenKey = SsoTokenKey.For(sessionName, startUrl);
            SsoOidcEndpoint = oidc;
            SsoPortalEndpoint = portal;
        }

        public string ProfileName { get; }

        /// <summary>The [sso-session NAME] the profile uses; null for the legacy form (sso_start_url on the profile).</summary>
        public string SessionName { get; }

        public string StartUrl { get; }

        /// <summary>sso_region: where the OIDC and portal calls go, not the region of the credentials.</summary>
        public string Region { get; }

        /// <summary>sso_registration_scopes of the sso-session, split at commas and trimmed; ["sso:account:access"]
        /// when the sso-session gives none; empty for the legacy form, which the AWS CLI registers without scopes.</summary>
        public IReadOnlyList<string> RegistrationScopes { get; }

        /// <summary>False when <see cref="RegistrationScopes"/> is the default or the legacy form's empty list.</summary>
        public bool RegistrationScopesConfigured { get; }

        /// <summary>sso_account_id: 12 digits.</summary>
        public string AccountId { get; }

        public string RoleName { get; }

        /// <summary>The name the sign-in is kept under: <see cref="SessionName"/>, or <see cref="StartUrl"/> for the
        /// legacy form (<see cref="SsoTokenKey"/>).</summary>
        public string TokenKey { get; }

        /// <summary>RegisterClient, StartDeviceAuthorization, CreateToken.</summary>
        public SsoEndpoint SsoOidcEndpoint { get; }

        /// <summary>GetRoleCredentials.</summary>
        public SsoEndpoint SsoPortalEndpoint { get; }

        /// <summary>True when any SSO key reaches the profile (own, included or from [default]); cheap, checks nothing.</summary>
        internal static bool Declared(ProfileSettings s) =>
            s.SsoSession != null || s.GetValue(ConfigKeys.SsoStartUrl)?.Value.Length > 0 || s.SsoAccountId != null || s.SsoRoleName != null;

        /// <summary>Null when the profile has no SSO key. Otherwise the settings, checked as botocore's SSOProvider and the
        /// AWS CLI's <c>sso login</c> check them; every error names the file and the line.</summary>
        internal static SsoSettings Resolve(ProfileSettings s, string oidcEndpointUrl, string portalEndpointUrl)
        {
            if (!Declared(s)) return null;
            string path = s.Path;
            string profile = s.ProfileName;

            ConfigValue account = NonEmpty(s, ConfigKeys.SsoAccountId);
            ConfigValue role = NonEmpty(s, ConfigKeys.SsoRoleName);
            ConfigValue sessionName = NonEmpty(s, ConfigKeys.SsoSession);

            string startUrl, region;
            IReadOnlyList<string> scopes;
            bool scopesConfigured;
            if (sessionName != null)
            {
                ConfigSection session = s.SsoSessionSection; // ConfigSsoSessionNotFound
                startUrl = SessionValue(s, session, ConfigKeys.SsoStartUrl, "https://YOUR-PORTAL.awsapps.com/start");
                region = SessionValue(s, session, ConfigKeys.SsoRegion, "us-east-1");
                scopes = ParseScopes(session.Get(ConfigKeys.SsoRegistrationScopes));
                scopesConfigured = scopes.Count > 0;
                if (!scopesConfigured) scopes = new[] { DefaultRegistrationScope };
            }
            else
            {
                ConfigValue url = NonEmpty(s, ConfigKeys.SsoStartUrl);
                if (url == null)
                {
                    ConfigValue at = account ?? role;
                    throw Missing(path, at.Line,
                        "profile '" + profile + "' has " + at.Key + " (" + ConfigErrors.Where(at, profile) + ") but no sso_session and no sso_start_url, " +
                        "so nothing says where to sign in. Add 'sso_session = NAME' and an [sso-session NAME] section with sso_start_url and sso_region, " +
                        "or put sso_start_url and sso_region on the profile.", profile);
                }
                ConfigValue legacyRegion = NonEmpty(s, ConfigKeys.SsoRegion);
                if (legacyRegion == null)
                {
                    throw Missing(path, url.Line,
                        "profile '" + profile + "' has sso_start_url (" + ConfigErrors.Where(url, profile) + ") but no sso_region. " +
                        "Add 'sso_region = REGION', the region of your IAM Identity Center instance.", profile);
                }
                startUrl = url.Value;
                region = legacyRegion.Value;
                scopes = Array.Empty<string>();
                scopesConfigured = false;
            }

            if (account == null || role == null)
            {
                string absent = account == null && role == null ? "sso_account_id and sso_role_name" : account == null ? "sso_account_id" : "sso_role_name";
                ConfigValue at = account ?? role ?? sessionName ?? NonEmpty(s, ConfigKeys.SsoStartUrl);
                throw Missing(path, at.Line,
                    "profile '" + profile + "' is an SSO profile (" + at.Key + " in " + ConfigErrors.Where(at, profile) + ") but has no " + absent +
                    ", so it names no account and role to get credentials for. Add " +
                    (account == null ? "'sso_account_id = 123456789012'" : "") + (account == null && role == null ? " and " : "") +
                    (role == null ? "'sso_role_name = ROLE'" : "") + " to the profile.", profile);
            }

            if (!IsAccountId(account.Value))
            {
                throw ConfigErrors.Invalid(path, account,
                    "sso_account_id in " + ConfigErrors.Where(account, profile) + " is '" + account.Value +
                    "', which is not an AWS account id. Write the 12 digits, e.g. 'sso_account_id = 123456789012' (keep leading zeros).", profile);
            }

            return new SsoSettings(profile, sessionName?.Value, startUrl, region, scopes, scopesConfigured, account.Value, role.Value,
                new SsoEndpoint(region, oidcEndpointUrl), new SsoEndpoint(region, portalEndpointUrl));
        }

        /// <summary>
        /// The sign-in of a bare <c>[sso-session NAME]</c>, for Connect-AwsVaultSso -SessionName and the listing
        /// commands: no profile, so no account, role or profile-level endpoint. The endpoints come from the SDK's
        /// environment variables only (AWS_ENDPOINT_URL_SSO_OIDC / _SSO, then AWS_ENDPOINT_URL), as they do for a
        /// profile, so tests and private endpoints behave the same for both forms.
        /// </summary>
        internal static SsoSettings ForSession(ConfigFile config, string sessionName, EnvironmentSnapshot environment)
        {
            if (config == null) throw new ArgumentNullException(nameof(config));
            environment = environment ?? EnvironmentSnapshot.Empty;
            ConfigSection session = config.GetSsoSession(sessionName);
            if (session == null)
            {
                var known = SessionNames(config);
                var close = ProfileNameSuggestions.Find(sessionName ?? string.Empty, known);
                throw new AwsVaultException(ErrorIds.ConfigSsoSessionNotFound, ErrorCategory.ObjectNotFound,
                    ConfigErrors.DisplayPath(config.Path) + " has no [sso-session " + sessionName + "] section (names are case-sensitive). " +
                    (close.Count > 0 ? "Did you mean '" + string.Join("', '", close) + "'? " : string.Empty) +
                    (known.Count == 0
                        ? "It has no [sso-session] section at all; 'aws configure sso-session' writes one, or add [sso-session NAME] with sso_start_url and sso_region."
                        : "Its sso-sessions: " + string.Join(", ", known) + "."),
                    sessionName);
            }
            string startUrl = RequiredSessionValue(config.Path, session, ConfigKeys.SsoStartUrl, "https://YOUR-PORTAL.awsapps.com/start");
            string region = RequiredSessionValue(config.Path, session, ConfigKeys.SsoRegion, "us-east-1");
            IReadOnlyList<string> scopes = ParseScopes(session.Get(ConfigKeys.SsoRegistrationScopes));
            bool scopesConfigured = scopes.Count > 0;
            if (!scopesConfigured) scopes = new[] { DefaultRegistrationScope };
            string oidc = EnvironmentEndpoint(environment, "AWS_ENDPOINT_URL_SSO_OIDC");
            string portal = EnvironmentEndpoint(environment, "AWS_ENDPOINT_URL_SSO");
            return new SsoSettings(null, session.Name, startUrl, region, scopes, scopesConfigured, null, null,
                new SsoEndpoint(region, oidc), new SsoEndpoint(region, portal));
        }

        /// <summary>The [sso-session] names of the config, in file order.</summary>
        internal static List<string> SessionNames(ConfigFile config)
        {
            var names = new List<string>();
            foreach (ConfigSection section in config.Sections)
            {
                if (section.Kind == SectionKind.SsoSession && !names.Contains(section.Name)) names.Add(section.Name);
            }
            return names;
        }

        private static string EnvironmentEndpoint(EnvironmentSnapshot env, string serviceVariable)
        {
            if (string.Equals(env.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase)) return null;
            return env.Get(serviceVariable) ?? env.Get("AWS_ENDPOINT_URL");
        }

        private static string RequiredSessionValue(string path, ConfigSection session, string key, string example)
        {
            string value = session.Get(key);
            if (!string.IsNullOrEmpty(value)) return value;
            throw Missing(path, session.Line, session.Header + " has no " + key + ". Add '" + key + " = " + example + "' to it.", session.Name);
        }

        // The sso-session's value, which must be there (the AWS CLI's `sso login` requires it), and a value the profile
        // sets itself (or through include_profile) must agree, as botocore checks. One inherited from [default] is
        // overridden silently: botocore never sees [default]'s keys on another profile, and a legacy sso_start_url
        // kept in [default] is common.
        private static string SessionValue(ProfileSettings s, ConfigSection session, string key, string example)
        {
            string value = session.Get(key);
            if (string.IsNullOrEmpty(value))
            {
                throw Missing(s.Path, session.Line,
                    session.Header + " (used by profile '" + s.ProfileName + "') has no " + key + ". Add '" + key + " = " + example + "' to it.",
                    s.ProfileName);
            }
            ConfigValue own = NonEmpty(s, key);
            bool fromDefault = own?.Section != null && own.Section.Kind == SectionKind.Default && s.ProfileName != ConfigKeys.DefaultProfile;
            if (own != null && !fromDefault && !string.Equals(own.Value, value, StringComparison.Ordinal))
            {
                ConfigValue sessionValue = session.GetValue(key);
                throw new AwsVaultException(ErrorIds.ConfigSsoSettingConflict, ErrorCategory.InvalidData,
                    ConfigErrors.At(s.Path, own.Line) + key + " in " + ConfigErrors.Where(own, s.ProfileName) + " is '" + own.Value +
                    "', but its sso_session " + session.Header + " says '" + value + "' (line " + sessionValue.Line +
                    "). Remove " + key + " from the profile, or make the two the same.",
                    s.ProfileName);
            }
            return value;
        }

        private static IReadOnlyList<string> ParseScopes(string raw)
        {
            var scopes = new List<string>();
            if (string.IsNullOrEmpty(raw)) return scopes;
            foreach (string part in raw.Split(','))
            {
                string scope = part.Trim();
                if (scope.Length > 0) scopes.Add(scope);
            }
            return scopes;
        }

        private static bool IsAccountId(string value)
        {
            if (value.Length != 12) return false;
            foreach (char c in value)
            {
                if (c < '0' || c > '9') return false;
            }
            return true;
        }

        private static ConfigValue NonEmpty(ProfileSettings s, string key)
        {
            ConfigValue v = s.GetValue(key);
            return v == null || v.Value.Length == 0 ? null : v;
        }

        private static AwsVaultException Missing(string path, int line, string message, string profile) =>
            new AwsVaultException(ErrorIds.ConfigSsoSettingMissing, ErrorCategory.InvalidData, ConfigErrors.At(path, line) + message, profile);

        public override string ToString() => (ProfileName ?? "sso-session " + SessionName) + " (" + (SessionName != null ? "sso-session " + SessionName : StartUrl) + ", " + AccountId + "/" + RoleName + ")";
    }
}
