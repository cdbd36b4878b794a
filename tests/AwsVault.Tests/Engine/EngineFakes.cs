using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AwsVault.Credentials;
using AwsVault.Engine;
using AwsVault.Sdk;
using AwsVault.Sso;
using AwsVault.Storage;

namespace AwsVault.Tests.Engine
{
    /// <summary>A store in memory, like aws-vault's tests' ArrayKeyring. Its location is unique, so the session
    /// locks and stamps of two tests never name the same store.</summary>
    internal sealed class InMemoryStore : ICredentialStore
    {
        private readonly ConcurrentDictionary<string, AccessKey> _keys = new ConcurrentDictionary<string, AccessKey>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<SessionKey, string> _sessions = new ConcurrentDictionary<SessionKey, string>();

        public InMemoryStore(IEnumerable<KeyValuePair<string, AccessKey>> keys = null)
        {
            foreach (var pair in keys ?? Enumerable.Empty<KeyValuePair<string, AccessKey>>()) _keys[pair.Key] = pair.Value;
        }

        public string Backend => "memory";
        public string Location { get; } = "memory-" + Guid.NewGuid().ToString("N");
        public IReadOnlyList<string> ListProfilesWithKeys() => _keys.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        public bool HasKey(string profileName) => _keys.ContainsKey(profileName);
        public AccessKey GetKey(string profileName) => _keys.TryGetValue(profileName, out var key) ? key : null;
        public void SetKey(string profileName, AccessKey key) => _keys[profileName] = key;
        public bool RemoveKey(string profileName) => _keys.TryRemove(profileName, out _);
        public IReadOnlyList<SessionKey> ListSessions() => _sessions.Keys.ToList();
        public string GetSession(SessionKey key) => _sessions.TryGetValue(key, out var json) ? json : null;
        public void SetSession(SessionKey key, string json) => _sessions[key] = json;
        public bool RemoveSession(SessionKey key) => _sessions.TryRemove(key, out _);
        private readonly ConcurrentDictionary<string, string> _ssoTokens = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        public IReadOnlyList<string> ListSsoTokens() => _ssoTokens.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        public string GetSsoToken(string tokenKey) => _ssoTokens.TryGetValue(tokenKey, out var json) ? json : null;
        public void SetSsoToken(string tokenKey, string json) => _ssoTokens[tokenKey] = json;
        public bool RemoveSsoToken(string tokenKey) => _ssoTokens.TryRemove(tokenKey, out _);
    }

    /// <summary>An STS that records each call in one line and answers with numbered temporary credentials
    /// (ASIAFAKE1, ASIAFAKE2, ...), so a test can tell which credentials signed the next call.</summary>
    internal sealed class RecordingSts : IStsClient
    {
        private readonly List<string> _calls = new List<string>();
        private int _issued;

        public IReadOnlyList<string> Calls
        {
            get { lock (_calls) return _calls.ToList(); }
        }

        public StsResult GetSessionToken(StsEndpoint endpoint, AwsCredentials caller, int durationSeconds, string serialNumber, string tokenCode) =>
            Record("GetSessionToken by " + caller.AccessKeyId + " for " + durationSeconds + "s" + Mfa(serialNumber, tokenCode) + " at " + endpoint.Describe());

        public StsResult AssumeRole(StsEndpoint endpoint, AwsCredentials caller, AssumeRoleParameters p) =>
            Record("AssumeRole " + p.RoleArn + " by " + caller.AccessKeyId + " for " + p.DurationSeconds + "s" + Mfa(p.SerialNumber, p.TokenCode) +
                   (p.ExternalId != null ? " external id " + p.ExternalId : "") + (p.SourceIdentity != null ? " source identity " + p.SourceIdentity : "") +
                   (p.Tags != null && p.Tags.Count > 0 ? " tags " + string.Join(",", p.Tags.OrderBy(t => t.Key).Select(t => t.Key + "=" + t.Value)) : "") +
                   " at " + endpoint.Describe());

        public StsResult AssumeRoleWithWebIdentity(StsEndpoint endpoint, WebIdentityParameters p) =>
            Record("AssumeRoleWithWebIdentity " + p.RoleArn + " with token '" + p.WebIdentityToken + "' for " + p.DurationSeconds + "s at " + endpoint.Describe());

        public CallerIdentity GetCallerIdentity(StsEndpoint endpoint, AwsCredentials caller)
        {
            lock (_calls) _calls.Add("GetCallerIdentity by " + caller.AccessKeyId + " at " + endpoint.Describe());
            return new CallerIdentity("111122223333", "arn:aws:iam::111122223333:user/fake", "AIDAFAKE");
        }

        public StsResult GetFederationToken(StsEndpoint endpoint, AwsCredentials caller, FederationTokenParameters p) =>
            Record("GetFederationToken " + p.Name + " by " + caller.AccessKeyId + " for " + p.DurationSeconds + "s at " + endpoint.Describe());

        private static string Mfa(string serial, string code) => string.IsNullOrEmpty(serial) ? " without MFA" : " with MFA " + serial + " code " + code;

        private StsResult Record(string call)
        {
            lock (_calls) _calls.Add(call);
            int n = Interlocked.Increment(ref _issued);
            return new StsResult(new AwsCredentials("ASIAFAKE" + n, "fake-secret-" + n, "fake-token-" + n, DateTimeOffset.UtcNow.AddHours(1)));
        }
    }

    internal sealed class FakeClients : IAwsClientFactory
    {
        private readonly IStsClient _sts;

        private readonly ISsoOidcClient _ssoOidc;
        private readonly ISsoPortalClient _ssoPortal;

        public FakeClients(IStsClient sts, ISsoOidcClient ssoOidc = null, ISsoPortalClient ssoPortal = null)
        {
            _sts = sts;
            _ssoOidc = ssoOidc;
            _ssoPortal = ssoPortal;
        }

        public int StsCreated { get; private set; }

        public IStsClient CreateSts()
        {
            StsCreated++;
            return _sts;
        }

        // An engine test that reaches SSO without giving fakes for it is wrong, and says so.
        public ISsoOidcClient CreateSsoOidc() => _ssoOidc ?? throw new InvalidOperationException("This test gave no fake SSO OIDC client.");

        public ISsoPortalClient CreateSsoPortal() => _ssoPortal ?? throw new InvalidOperationException("This test gave no fake SSO portal client.");

        public AwsVault.Iam.IIamClient CreateIam() => throw new InvalidOperationException("This test gave no fake IAM client.");
    }
}
