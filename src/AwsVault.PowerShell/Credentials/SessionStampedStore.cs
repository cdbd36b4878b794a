using System.Collections.Generic;
using AwsVault.Storage;
using AwsVault.Output;

namespace AwsVault.Credentials
{
    /// <summary>
    /// A store whose removals (and key changes) move the store's <see cref="SessionStamp"/>, so that every
    /// command that removes sessions — Clear-AwsVaultSession, Remove-AwsVaultProfile, Add-AwsVaultProfile
    /// replacing a key, the cache replacing a session — reaches sessions other processes hold in memory.
    /// </summary>
    internal sealed class SessionStampedStore : ICredentialStore
    {
        private readonly ICredentialStore _inner;

        public SessionStampedStore(ICredentialStore inner)
        {
            _inner = inner;
        }

        public string Backend => _inner.Backend;
        public string Location => _inner.Location;

        public IReadOnlyList<string> ListProfilesWithKeys() => _inner.ListProfilesWithKeys();
        public bool HasKey(string profileName) => _inner.HasKey(profileName);
        public AccessKey GetKey(string profileName) => _inner.GetKey(profileName);

        public void SetKey(string profileName, AccessKey key)
        {
            _inner.SetKey(profileName, key);
            SessionStamp.Touch(_inner);
        }

        public bool RemoveKey(string profileName)
        {
            bool removed = _inner.RemoveKey(profileName);
            SessionStamp.Touch(_inner);
            return removed;
        }

        public IReadOnlyList<SessionKey> ListSessions() => _inner.ListSessions();
        public string GetSession(SessionKey key) => _inner.GetSession(key);
        public void SetSession(SessionKey key, string json) => _inner.SetSession(key, json);

        public bool RemoveSession(SessionKey key)
        {
            bool removed = _inner.RemoveSession(key);
            SessionStamp.Touch(_inner);
            return removed;
        }

        // SSO sign-ins are not sessions any process holds in memory, so they move no stamp.
        public IReadOnlyList<string> ListSsoTokens() => _inner.ListSsoTokens();
        public string GetSsoToken(string tokenKey) => _inner.GetSsoToken(tokenKey);
        public void SetSsoToken(string tokenKey, string json) => _inner.SetSsoToken(tokenKey, json);
        public bool RemoveSsoToken(string tokenKey) => _inner.RemoveSsoToken(tokenKey);
    }
}
