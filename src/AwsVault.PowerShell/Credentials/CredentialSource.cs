using System;
using System.Collections.Generic;
using AwsVault.Config;
using AwsVault.Engine;
using AwsVault.Mfa;
using AwsVault.Prompts;
using AwsVault.Sso;
using AwsVault.Storage;

namespace AwsVault.Credentials
{
    /// <summary>
    /// A built chain for one profile: its providers and what a user needs to know about them. Building decides
    /// which STS calls serve the profile; <see cref="Retrieve"/> makes them (or serves the cache), and can be called
    /// again for as long as the caller keeps this object, as a credential server does on each request.
    /// </summary>
    internal sealed class CredentialSource
    {
        private readonly EngineContext _engine;
        private readonly ICredentialStore _store;
        private readonly EnvironmentSnapshot _environment;
        private readonly string _configPath;

        public CredentialSource(EngineContext engine, ICredentialStore store, ICredentialProvider top, string profileName, string region,
            EnvironmentSnapshot environment, string configPath)
        {
            _engine = engine ?? throw new ArgumentNullException(nameof(engine));
            _store = store;
            _environment = environment ?? EnvironmentSnapshot.Empty;
            _configPath = configPath;
            Top = top;
            ProfileName = profileName;
            Region = region;
            var providers = new List<ICredentialProvider>();
            for (ICredentialProvider p = top; p != null; p = p.Source) providers.Insert(0, p);
            Providers = providers;
        }

        public ICredentialProvider Top { get; }

        /// <summary>The store the chain reads keys and cached sessions from.</summary>
        public ICredentialStore Store => _store;

        /// <summary>The AWS_* variables as the command saw them when the chain was built.</summary>
        public EnvironmentSnapshot Environment => _environment;
        public string ProfileName { get; }
        public string Region { get; }

        /// <summary>The providers from the root up, e.g. stored key(dev), GetSessionToken(dev, MFA), AssumeRole(admin).</summary>
        public IReadOnlyList<ICredentialProvider> Providers { get; }

        /// <summary>The providers' descriptions from the root up: "stored key(dev) -> GetSessionToken(dev, MFA) -> AssumeRole(admin)".</summary>
        public string Summary
        {
            get
            {
                var parts = new string[Providers.Count];
                for (int i = 0; i < parts.Length; i++) parts[i] = Providers[i].Description;
                return string.Join(" -> ", parts);
            }
        }

        /// <summary>Whether any hop sends an MFA code: an -MfaToken given for a chain that sends none is a mistake worth a warning.</summary>
        public bool UsesMfa
        {
            get
            {
                foreach (var p in Providers)
                {
                    if (!string.IsNullOrEmpty(p.MfaSerial)) return true;
                }
                return false;
            }
        }

        /// <summary>Credentials now: from memory, the store's session cache, or STS. <paramref name="mfaToken"/> serves
        /// at most one MFA code of this retrieval.</summary>
        public AwsCredentials Retrieve(IPrompter prompter, Action<string> log, string mfaToken = null, bool refresh = false)
        {
            var context = new ChainContext(
                _engine.Sts,
                new MfaCodeSource(_engine, mfaToken, prompter, log),
                new SessionCache(_engine, _store, _environment, log),
                log,
                refresh,
                _configPath,
                () => _engine.SsoPortal,
                new SsoTokenSource(() => _engine.SsoOidc, _store, prompter, log));
            return Top.Retrieve(context);
        }
    }
}
