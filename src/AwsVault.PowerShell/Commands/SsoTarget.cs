using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Sso;
using AwsVault.Storage;

namespace AwsVault.Commands
{
    /// <summary>
    /// Which IAM Identity Center sign-in an SSO command acts on: -SessionName (an [sso-session]), -ProfileName (the
    /// profile's, or that of the first SSO profile along its source_profile chain), or, with neither, the config's only
    /// [sso-session]. Shared by Connect-AwsVaultSso, Disconnect-AwsVaultSso and Get-AwsVaultSsoRole.
    /// </summary>
    internal static class SsoTarget
    {
        public static SsoSettings Resolve(CommandHost host, string profileName, string sessionName)
        {
            var environment = EnvironmentSnapshot.Capture();
            ConfigFile config = host.LoadConfig();
            if (!string.IsNullOrEmpty(sessionName)) return SsoSettings.ForSession(config, sessionName, environment);
            if (!string.IsNullOrEmpty(profileName)) return ForProfile(host, config, environment, profileName);

            var sessions = SsoSettings.SessionNames(config);
            if (sessions.Count == 1)
            {
                host.Verbose("Using [sso-session " + sessions[0] + "], the only sso-session in " + config.Path + ".");
                return SsoSettings.ForSession(config, sessions[0], environment);
            }
            throw new AwsVaultException(ErrorIds.SsoSessionNameRequired, ErrorCategory.InvalidArgument,
                sessions.Count == 0
                    ? "No sign-in was named and " + ConfigErrors.DisplayPath(config.Path) + " has no [sso-session] section. Pass -ProfileName with an SSO profile, " +
                      "or add an [sso-session NAME] section with sso_start_url and sso_region and pass -SessionName NAME."
                    : "No sign-in was named and " + ConfigErrors.DisplayPath(config.Path) + " has " + sessions.Count + " sso-sessions: " + string.Join(", ", sessions) +
                      ". Pass -SessionName with one of them, or -ProfileName with an SSO profile.",
                config.Path);
        }

        // A role profile on top of an SSO profile (source_profile = dev) signs in through dev's sign-in, so naming it
        // is taken to mean that sign-in rather than refused.
        private static SsoSettings ForProfile(CommandHost host, ConfigFile config, EnvironmentSnapshot environment, string profileName)
        {
            IReadOnlyList<ProfileConfig> chain = ProfileConfigLoader.Load(config, environment).Chain(profileName, _ => false);
            ProfileConfig sso = chain.FirstOrDefault(p => p.HasSsoSettings);
            if (sso == null)
            {
                throw new AwsVaultException(ErrorIds.ProfileNotSso, ErrorCategory.InvalidArgument,
                    "Profile '" + profileName + "' does not sign in through IAM Identity Center" +
                    (chain.Count > 1 ? ", and neither does any profile of its source_profile chain (" + string.Join(" -> ", chain.Select(p => p.Name)) + ")" : string.Empty) +
                    ". An SSO profile has 'sso_session = NAME' (with an [sso-session NAME] section), or sso_start_url and sso_region, " +
                    "plus sso_account_id and sso_role_name. Name an SSO profile, or pass -SessionName.",
                    profileName);
            }
            if (sso.Name != profileName) host.Verbose("Profile '" + profileName + "' gets its credentials through SSO profile '" + sso.Name + "'; using its sign-in.");
            return sso.Sso;
        }

        /// <summary>The config's profiles that sign in through <paramref name="sso"/>'s sign-in (same token key). Profiles
        /// whose SSO settings do not resolve are skipped: they cannot have cached sessions of this sign-in either.</summary>
        public static HashSet<string> ProfilesSigningInThrough(ConfigFile config, SsoSettings sso)
        {
            var resolver = new ProfileResolver(config);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (string name in config.ProfileNames)
            {
                try
                {
                    ProfileSettings settings = resolver.Resolve(name);
                    SsoSettings own = SsoSettings.Resolve(settings, null, null);
                    if (own != null && own.TokenKey == sso.TokenKey) names.Add(name);
                }
                catch (AwsVaultException)
                {
                }
            }
            return names;
        }

        /// <summary>"sso-session 'corp' (https://...)" or the start URL, for ShouldProcess and messages.</summary>
        public static string Describe(SsoSettings sso) =>
            sso.SessionName != null ? "IAM Identity Center sso-session '" + sso.SessionName + "' (" + sso.StartUrl + ")" : "IAM Identity Center " + sso.StartUrl;

        public static SsoTokenSource TokenSource(CommandHost host, ICredentialStore store) =>
            new SsoTokenSource(() => host.Engine.SsoOidc, store, host.Prompter, host.Verbose);
    }
}
