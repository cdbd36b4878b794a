namespace AwsVault.Credentials
{
    /// <summary>
    /// Reuses a hop's session while enough of it remains. Sessions that cost an MFA code (and every
    /// GetSessionToken, as in aws-vault) are kept in the store, so a new process reuses them; the rest only in
    /// memory. Fetching a stored kind of session happens under a cross-process lock, and the cache is read
    /// again once the lock is held, so parallel processes make one STS call and ask for one code.
    /// </summary>
    internal sealed class CachedSessionProvider : ICredentialProvider
    {
        private readonly ICredentialProvider _inner;
        private readonly string _type;
        private readonly string _mfaSerial;
        private readonly bool _persist;

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
            using (SessionLock.Acquire(cache.Store.Backend + ":" + cache.Store.Location, _type, ProfileName, _mfaSerial, SessionLock.DefaultTimeout, context.Log))
            {
                if (!context.Refresh)
                {
                    var fetchedMeanwhile = cache.TryGet(_type, ProfileName, _mfaSerial, includeStore: true);
                    if (fetchedMeanwhile != null) return fetchedMeanwhile;
                }
                var fresh = _inner.Retrieve(context);
                cache.Put(_type, ProfileName, _mfaSerial, fresh, persist: true);
                return fresh;
            }
        }
    }
}
