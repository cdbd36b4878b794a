using System;
using System.Threading;

namespace AwsVault.Credentials
{
    /// <summary>
    /// Reuses a hop's session while enough of it remains. Sessions that cost an MFA code (and every
    /// GetSessionToken, as in aws-vault) are kept in the store, so a new process reuses them; the rest only in
    /// memory. Fetching a stored kind of session happens under a cross-process lock, and the cache is read
    /// again once the lock is held, so parallel processes make one STS call and ask for one code. When the
    /// previous holder noted that it has just stored a session that the vault does not show yet (SecretStore shows
    /// another process's write only after reloading its file), the vault is read again for a short while first.
    /// </summary>
    internal sealed class CachedSessionProvider : ICredentialProvider
    {
        private readonly ICredentialProvider _inner;
        private readonly string _type;
        private readonly string _mfaSerial;
        private readonly bool _persist;

        // SecretStore reloads its store file 5 s after the last change it saw; a little more covers the file watcher.
        internal static readonly TimeSpan StoredSessionWait = TimeSpan.FromSeconds(10);

        // A note older than this was not written while this process waited, so its vault copy is not the reason.
        private static readonly TimeSpan StoredNoteAge = TimeSpan.FromSeconds(60);

        private static readonly TimeSpan RereadInterval = TimeSpan.FromMilliseconds(200);

        public CachedSessionProvider(ICredentialProvider inner, string type, string mfaSerial, bool persist)
        {
            _inner = inner;
            _type = type;
            _mfaSerial = mfaSerial ?? string.Empty;
            _persist = persist;
        }

        public string ProfileName => _inner.ProfileName;
        public string Description => _inner.Description;
        public bool IssuesRoleSession => _inner.IssuesRoleSession;
        public ICredentialProvider Source => _inner.Source;
        public string MfaSerial => _inner.MfaSerial;

        /// <summary>The provider this one caches.</summary>
        public ICredentialProvider Inner => _inner;

        public AwsCredentials Retrieve(ChainContext context)
        {
            var cache = context.Cache;
            if (!context.Refresh)
            {
                var cached = cache.TryGet(_type, ProfileName, _mfaSerial, _persist);
                if (cached != null) return cached;
            }
            if (!_persist)
            {
                var fresh = _inner.Retrieve(context);
                cache.Put(_type, ProfileName, _mfaSerial, fresh, persist: false);
                return fresh;
            }
            using (var sessionLock = SessionLock.Acquire(cache.Store.Backend + ":" + cache.Store.Location, _type, ProfileName, _mfaSerial, SessionLock.DefaultTimeout, context.Log))
            {
                if (!context.Refresh)
                {
                    var fetchedMeanwhile = cache.TryGet(_type, ProfileName, _mfaSerial, includeStore: true) ?? AwaitStoredSession(sessionLock, context);
                    if (fetchedMeanwhile != null) return fetchedMeanwhile;
                }
                var fresh = _inner.Retrieve(context);
                cache.Put(_type, ProfileName, _mfaSerial, fresh, persist: true);
                if (fresh.Expiration.HasValue) sessionLock.RecordStored(fresh.Expiration.Value);
                return fresh;
            }
        }

        /// <summary>
        /// The session the previous lock holder stored, read again until the vault shows it (bounded by
        /// <see cref="StoredSessionWait"/>); null when there is no such session to wait for. Sessions cleared after
        /// it was stored (the store's stamp is newer) are not waited for.
        /// </summary>
        private AwsCredentials AwaitStoredSession(SessionLock sessionLock, ChainContext context)
        {
            var cache = context.Cache;
            if (!sessionLock.TryReadStored(out DateTime storedAt, out DateTimeOffset expiration)) return null;
            DateTime now = DateTime.UtcNow;
            if (now - storedAt > StoredNoteAge || expiration - DateTimeOffset.UtcNow <= cache.MinimumTimeLeft || cache.StampNow > storedAt.Ticks)
            {
                return null;
            }
            context.Log?.Invoke("profile " + ProfileName + ": another AwsVault process has just stored a " + _type + " session that " + cache.Store.Location +
                                " does not show yet; reading it again for up to " + (int)StoredSessionWait.TotalSeconds + "s instead of calling STS.");
            DateTime deadline = now + StoredSessionWait;
            while (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(RereadInterval);
                var stored = cache.TryGet(_type, ProfileName, _mfaSerial, includeStore: true);
                if (stored != null) return stored;
            }
            context.Log?.Invoke("profile " + ProfileName + ": the " + _type + " session stored by another process did not show up in " + cache.Store.Location + "; fetching a new one.");
            return null;
        }
    }
}
