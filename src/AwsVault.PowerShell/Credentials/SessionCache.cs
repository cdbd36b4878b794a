using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Config;
using AwsVault.Engine;
using AwsVault.Internal;
using AwsVault.Storage;

namespace AwsVault.Credentials
{
    /// <summary>
    /// Sessions kept for reuse: in this process's memory first, then in the store under aws-vault's session
    /// names. A session is reused while more than AWS_MIN_TTL (5 minutes) of it remains; expired ones are
    /// deleted when they are met. A session in memory is served only while its store's <see cref="SessionStamp"/>
    /// is unchanged, so sessions cleared by another process are not served from this one's memory.
    /// </summary>
    internal sealed class SessionCache
    {
        // The import's memory (EngineContext), keyed by store: a PowerShell session asks for the same profile many times.
        private readonly ConcurrentDictionary<string, Remembered> _memory;

        private readonly ICredentialStore _store;
        private readonly Action<string> _log;
        private readonly string _stampPath;

        public SessionCache(EngineContext engine, ICredentialStore store, EnvironmentSnapshot environment, Action<string> log)
        {
            _memory = engine.Sessions;
            _store = store;
            _log = log ?? (_ => { });
            MinimumTimeLeft = ReadMinimumTimeLeft(environment ?? EnvironmentSnapshot.Empty);
            _stampPath = SessionStamp.PathFor(store);
        }

        /// <summary>The store's stamp now (UTC ticks of the last removal of sessions, 0 when there was none).</summary>
        public long StampNow => SessionStamp.Read(_stampPath);

        public TimeSpan MinimumTimeLeft { get; }

        public ICredentialStore Store => _store;

        public AwsCredentials TryGet(string type, string profileName, string mfaSerial, bool includeStore)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            string memoryKey = MemoryKey(type, profileName, mfaSerial);
            if (_memory.TryGetValue(memoryKey, out Remembered remembered))
            {
                if (Fresh(remembered.Credentials, now) && remembered.Stamp == SessionStamp.Read(_stampPath))
                {
                    _log("profile " + profileName + ": reusing the " + type + " session from memory (" + Left(remembered.Credentials, now) + " left).");
                    return remembered.Credentials;
                }
                _memory.TryRemove(memoryKey, out _);
            }
            if (!includeStore) return null;

            // Read before the store: a removal after this point changes the stamp, so the memory copy is checked again.
            long stamp = SessionStamp.Read(_stampPath);
            SessionKey best = null;
            foreach (SessionKey key in _store.ListSessions())
            {
                if (key.Type != type || key.ProfileName != profileName || key.MfaSerial != (mfaSerial ?? string.Empty)) continue;
                if (key.Expiration <= now)
                {
                    _store.RemoveSession(key);
                    _log("profile " + profileName + ": deleted an expired " + type + " session.");
                    continue;
                }
                if (key.Expiration - now > MinimumTimeLeft && (best == null || key.Expiration > best.Expiration)) best = key;
            }
            if (best == null) return null;

            AwsCredentials stored = ReadSession(best);
            if (stored == null || !Fresh(stored, now)) return null;
            _memory[memoryKey] = new Remembered(stored, stamp);
            _log("profile " + profileName + ": reusing the cached " + type + " session from " + _store.Location + " (" + Left(stored, now) + " left).");
            return stored;
        }

        public void Put(string type, string profileName, string mfaSerial, AwsCredentials credentials, bool persist)
        {
            if (!credentials.Expiration.HasValue) return;
            string memoryKey = MemoryKey(type, profileName, mfaSerial);
            if (!persist)
            {
                _memory[memoryKey] = new Remembered(credentials, SessionStamp.Read(_stampPath));
                return;
            }
            foreach (SessionKey old in _store.ListSessions().Where(k => k.Type == type && k.ProfileName == profileName && k.MfaSerial == (mfaSerial ?? string.Empty)).ToList())
            {
                _store.RemoveSession(old);
            }
            _memory[memoryKey] = new Remembered(credentials, SessionStamp.Read(_stampPath));
            var key = new SessionKey(type, profileName, mfaSerial, credentials.Expiration.Value);
            string json = new JsonObjectWriter()
                .String("AccessKeyId", credentials.AccessKeyId)
                .String("Expiration", Rfc3339.Format(credentials.Expiration.Value))
                .String("SecretAccessKey", credentials.SecretAccessKey)
                .String("SessionToken", credentials.SessionToken ?? string.Empty)
                .ToString();
            _store.SetSession(key, json);
        }

        /// <summary>Removes sessions of the given profiles (all when null), of one type or all, from memory and the store; returns how many.</summary>
        public int Clear(Func<string, bool> profileMatches, string type = null)
        {
            string prefix = StorePrefix;
            foreach (string memoryKey in _memory.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                string[] parts = memoryKey.Substring(prefix.Length).Split('\n');
                if ((type == null || parts[0] == type) && (profileMatches == null || profileMatches(parts[1]))) _memory.TryRemove(memoryKey, out _);
            }
            int removed = 0;
            foreach (SessionKey key in _store.ListSessions())
            {
                if ((type == null || key.Type == type) && (profileMatches == null || profileMatches(key.ProfileName)) && _store.RemoveSession(key)) removed++;
            }
            // Also when nothing was in the store: other processes may hold memory-only sessions of these profiles.
            SessionStamp.Touch(_store);
            return removed;
        }

        private AwsCredentials ReadSession(SessionKey key)
        {
            string json;
            try
            {
                json = _store.GetSession(key);
            }
            catch (AwsVaultException ex) when (ex.ErrorId == ErrorIds.VaultItemCorrupt)
            {
                // A session is only a cache: a damaged one is dropped and fetched again.
                _store.RemoveSession(key);
                _log("profile " + key.ProfileName + ": deleted a cached " + key.Type + " session that could not be read.");
                return null;
            }
            if (json == null) return null;
            try
            {
                var obj = Json.ParseObject(json);
                string id = Member(obj, "AccessKeyId");
                string secret = Member(obj, "SecretAccessKey");
                string token = Member(obj, "SessionToken");
                DateTimeOffset expiration = key.Expiration;
                if (Member(obj, "Expiration") is string text && Rfc3339.TryParse(text, out DateTimeOffset parsed)) expiration = parsed;
                if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret)) throw new FormatException("incomplete");
                return new AwsCredentials(id, secret, token, expiration);
            }
            catch (FormatException)
            {
                _store.RemoveSession(key);
                _log("profile " + key.ProfileName + ": deleted a cached " + key.Type + " session with unreadable data.");
                return null;
            }
        }

        /// <summary>A session in memory and the store's stamp when it was read or made.</summary>
        internal sealed class Remembered
        {
            public Remembered(AwsCredentials credentials, long stamp)
            {
                Credentials = credentials;
                Stamp = stamp;
            }

            public AwsCredentials Credentials { get; }
            public long Stamp { get; }
        }

        private static string Member(Dictionary<string, object> obj, string name) =>
            Json.TryGetMember(obj, name, out object value) ? value as string : null;

        private bool Fresh(AwsCredentials c, DateTimeOffset now) => c.Expiration.HasValue && c.Expiration.Value - now > MinimumTimeLeft;

        private static string Left(AwsCredentials c, DateTimeOffset now)
        {
            var left = c.Expiration.Value - now;
            return left.TotalHours >= 1 ? ((int)left.TotalHours) + "h" + left.Minutes + "m" : left.Minutes + "m" + left.Seconds + "s";
        }

        private string StorePrefix => _store.Backend + "\n" + _store.Location + "\n";

        private string MemoryKey(string type, string profileName, string mfaSerial) =>
            StorePrefix + type + "\n" + profileName + "\n" + (mfaSerial ?? string.Empty);

        private static TimeSpan ReadMinimumTimeLeft(EnvironmentSnapshot environment)
        {
            string text = environment.Get("AWS_MIN_TTL");
            if (!string.IsNullOrWhiteSpace(text))
            {
                if (DurationLimits.TryParseGoDuration(text.Trim(), out double seconds) && seconds >= 0) return TimeSpan.FromSeconds(seconds);
                throw new AwsVaultException(ErrorIds.InvalidDuration, ErrorCategory.InvalidArgument,
                    "$env:AWS_MIN_TTL is '" + text + "', which is not a duration. Use a Go-style duration such as 5m.", "AWS_MIN_TTL");
            }
            return TimeSpan.FromMinutes(5);
        }
    }
}
