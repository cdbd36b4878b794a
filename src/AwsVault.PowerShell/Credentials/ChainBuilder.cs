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
    /// GetSessionToken skipped" is the question aws-vault users ask most. It reads only the ProfileGraph, whose
    /// profiles already carry the environment's overrides (ProfileConfigLoader), and the request's parameters.
    /// </summary>
    internal sealed class ChainBuilder
    {
        private readonly ProfileGraph _graph;
        private readonly ICredentialStore _store;
        private readonly SessionRequest _request;
        private readonly Action<string> _log;
        private string _chainedMfaSerial;

        public ChainBuilder(ProfileGraph graph, ICredentialStore store, SessionRequest request, Action<string> log)
        {
            _graph = graph;
            _store = store;
            _request = request;
            _log = log ?? (_ => { });
        }

        /// <summary>The top provider of the request's profile; <paramref name="region"/> is the region its
        /// credentials are for.</summary>
        public ICredentialProvider Build(out string region)
        {
            string target = _request.ProfileName;
            // Asked per profile of the chain (one file check each) rather than listing the whole vault.
            var known = new Dictionary<string, bool>(StringComparer.Ordinal);
            Func<string, bool> hasKey = name =>
            {
                if (!known.TryGetValue(name, out bool has)) known[name] = has = _store.HasKey(name);
                return has;
            };
            IReadOnlyList<ProfileConfig> profiles = _graph.Chain(target, hasKey);

            var hops = profiles.Select(p => new Hop(p, hasKey(p.Name))).ToList();
            for (int i = 0; i < hops.Count; i++)
            {
                if (i + 1 < hops.Count)
                {
                    hops[i].Source = hops[i + 1];
                    hops[i + 1].ChainedFrom = hops[i];
                }
            }
            foreach (var hop in hops) Configure(hop);

            ICredentialProvider top = _request.ForConsoleSignIn ? ConsoleProviderFor(hops[0]) : ProviderFor(hops[0]);
            region = hops[0].Region;
            return top;
        }

        private void Configure(Hop hop)
        {
            var p = hop.Profile;
            hop.Region = _request.Region ?? p.Region;

            if (hop.IsTarget && _request.DurationSeconds.HasValue)
            {
                hop.AssumeRoleDuration = _request.DurationSeconds.Value;
                hop.AssumeRoleDurationSource = "-Duration";
            }
            else if (p.AssumeRoleDuration(out string source) is int configured)
            {
                hop.AssumeRoleDuration = configured;
                hop.AssumeRoleDurationSource = source;
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
            if (!keyOrSource && hop.Profile.HasSsoSettings)
            {
                SsoSettings sso = hop.Profile.Sso;
                _log("profile " + hop.Name + ": using IAM Identity Center GetRoleCredentials for account " + sso.AccountId + ", role " + sso.RoleName +
                     ", signed in through " + (sso.SessionName != null ? "sso-session " + sso.SessionName : sso.StartUrl) +
                     (string.IsNullOrEmpty(hop.RoleArn) ? string.Empty : "; its role_arn is not assumed, because it has no source_profile (as aws-vault does)") + ".");
                // aws-vault keeps these in the keyring too (sso.GetRoleCredentials): no code was paid, but a sign-in was.
                return new CachedSessionProvider(new SsoRoleProvider(sso), SessionKey.GetRoleCredentialsType, null, persist: true);
            }

            if (!keyOrSource && (!string.IsNullOrEmpty(s.WebIdentityTokenFile) || !string.IsNullOrEmpty(s.WebIdentityTokenProcess)))
            {
                if (string.IsNullOrEmpty(hop.RoleArn))
                {
                    throw new AwsVaultException(ErrorIds.ConfigInvalidValue, ErrorCategory.InvalidData,
                        _graph.Config.Path + ": profile '" + hop.Name + "' has a web identity token but no role_arn to assume with it. Add role_arn.", hop.Name);
                }
                int duration = CheckedRoleDuration(hop, chained: false);
                _log("profile " + hop.Name + ": using AssumeRoleWithWebIdentity.");
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
                    Tags = hop.Profile.SessionTags,
                    TransitiveTagKeys = hop.Profile.TransitiveTagKeys,
                    SourceIdentity = hop.Profile.SourceIdentity,
                };
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
                // With chained MFA the code serves the role profile the user asked for, so its mfa_process counts too.
                string mfaProcess = s.MfaProcess ?? hop.ChainedFrom?.Settings.MfaProcess;
                var token = new SessionTokenProvider(source, hop.Name, Endpoint(hop), duration, hop.MfaSerial, mfaProcess, durationSource);
                return new CachedSessionProvider(token, SessionKey.GetSessionTokenType, hop.MfaSerial, persist: true);
            }
            _log("profile " + hop.Name + ": skipping GetSessionToken because " + reason + ".");
            return source;
        }

        /// <summary>
        /// Console sign-in (aws-vault's login): a role, SSO, web identity or credential_process profile signs in with its
        /// usual session; a profile whose credentials are a stored key (its own, or its source_profile's when it has no
        /// role) gets GetFederationToken with that key instead, since the federation endpoint refuses session tokens.
        /// </summary>
        private ICredentialProvider ConsoleProviderFor(Hop hop)
        {
            bool keyOrSource = hop.HasStoredKey || hop.Source != null;
            bool usualSession = !string.IsNullOrEmpty(hop.RoleArn) ||
                                (!keyOrSource && (hop.Profile.HasSsoSettings || !string.IsNullOrEmpty(hop.Settings.WebIdentityTokenFile) ||
                                                  !string.IsNullOrEmpty(hop.Settings.WebIdentityTokenProcess) || !string.IsNullOrEmpty(hop.Settings.CredentialProcess)));
            if (usualSession) return ProviderFor(hop);
            if (!hop.HasStoredKey && hop.Source != null)
            {
                _log("profile " + hop.Name + ": it has no role_arn, so console sign-in uses the credentials of its source_profile " + hop.Source.Name + ".");
                return ConsoleProviderFor(hop.Source);
            }
            // No key, no source: the usual error names what is missing.
            var key = SourceFor(hop);
            int duration = FederationTokenDuration(hop, out string durationSource);
            _log("profile " + hop.Name + ": using GetFederationToken with the stored key for " + DurationLimits.Describe(duration) +
                 " (console sign-in refuses GetSessionToken sessions, so a profile without a role signs in as a federated user, as in aws-vault).");
            return new FederationTokenProvider(key, hop.Name, Endpoint(hop), duration, durationSource, hop.MfaSerial);
        }

        private int FederationTokenDuration(Hop hop, out string source)
        {
            int seconds = RequestedOrFromEnvironment(() => _graph.FederationTokenTtl, "AWS_FEDERATION_TOKEN_TTL", DurationLimits.DefaultFederationToken, out source);
            DurationLimits.Check(seconds, DurationLimits.FederationTokenMaximum, hop.Name, "a GetFederationToken session", source);
            return seconds;
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
                return new StoredKeyProvider(_store, hop.Name);
            }
            if (!string.IsNullOrEmpty(hop.Settings.CredentialProcess))
            {
                _log("profile " + hop.Name + ": using credential_process.");
                var process = new CredentialProcessProvider(hop.Name, hop.Settings.CredentialProcess);
                return new CachedSessionProvider(process, SessionKey.CredentialProcessType, null, persist: true);
            }
            throw new AwsVaultException(ErrorIds.CredentialsMissing, ErrorCategory.ObjectNotFound,
                "Profile '" + hop.Name + "': credentials missing. It has no stored key, no source_profile, no credential_process, no web identity and no SSO settings. " +
                "Store a key with Add-AwsVaultProfile " + hop.Name + ", or give it a source_profile in " + _graph.Config.Path + ".", hop.Name);
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
            int seconds = hop.ChainedFrom != null
                ? FromEnvironmentOr(_graph.ChainedSessionTokenTtl, "AWS_CHAINED_SESSION_TOKEN_TTL", DurationLimits.DefaultChainedSessionToken, "the default for a chained session token", out source)
                : RequestedOrFromEnvironment(() => _graph.SessionTokenTtl, "AWS_SESSION_TOKEN_TTL", DurationLimits.DefaultSessionToken, out source);
            DurationLimits.Check(seconds, DurationLimits.GetSessionTokenMaximum, hop.Name, "a GetSessionToken session", source);
            return seconds;
        }

        /// <summary>-Duration when given (the variable is then not even read, so a bad value of it does not matter),
        /// else the TTL variable, else the default.</summary>
        private int RequestedOrFromEnvironment(Func<int?> environment, string variable, int fallback, out string source)
        {
            if (_request.DurationSeconds.HasValue)
            {
                source = "-Duration";
                return _request.DurationSeconds.Value;
            }
            return FromEnvironmentOr(environment(), variable, fallback, "the default", out source);
        }

        private static int FromEnvironmentOr(int? environment, string variable, int fallback, string fallbackSource, out string source)
        {
            source = environment.HasValue ? "$env:" + variable : fallbackSource;
            return environment ?? fallback;
        }

        private int CheckedRoleDuration(Hop hop, bool chained)
        {
            int max = chained ? DurationLimits.RoleChainingMaximum : DurationLimits.AssumeRoleMaximum;
            DurationLimits.Check(hop.AssumeRoleDuration, max, hop.Name, chained ? "a role session assumed from another role (role chaining)" : "a role session", hop.AssumeRoleDurationSource);
            return hop.AssumeRoleDuration;
        }

        private static StsEndpoint Endpoint(Hop hop) =>
            new StsEndpoint(hop.Region ?? "us-east-1", hop.Profile.StsEndpointUrl, hop.Profile.UseGlobalEndpoint, hop.Profile.RetryPolicy);

        private sealed class Hop
        {
            public Hop(ProfileConfig profile, bool hasStoredKey)
            {
                Profile = profile;
                HasStoredKey = hasStoredKey;
            }

            public ProfileConfig Profile { get; }
            public ProfileSettings Settings => Profile.Settings;
            public string Name => Profile.Name;
            public bool HasStoredKey { get; }
            public bool IsTarget => Profile.IsTarget;
            public Hop Source { get; set; }
            public Hop ChainedFrom { get; set; }
            public string MfaSerial => Profile.MfaSerial;
            public string RoleArn => Profile.RoleArn;
            public string RoleSessionName => Profile.RoleSessionName;
            public int AssumeRoleDuration { get; set; }
            public string AssumeRoleDurationSource { get; set; }
            public string Region { get; set; }
        }
    }
}
