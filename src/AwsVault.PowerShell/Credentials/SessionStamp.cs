using System;
using System.Collections.Concurrent;
using System.IO;
using AwsVault.Internal;
using AwsVault.Storage;

namespace AwsVault.Credentials
{
    /// <summary>
    /// A file per store in the user runtime directory whose modification time changes whenever sessions (or keys)
    /// are removed from that store, by any process. A session remembered in memory is served only while the stamp
    /// is what it was when the session was read, so a session cleared in one window is not served from another
    /// window's memory; checking costs one stat. The file is empty: it never holds a secret.
    /// </summary>
    internal static class SessionStamp
    {
        private static readonly ConcurrentDictionary<string, string> s_paths = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The stamp's file for a store (computed once per store and runtime folder: the folder's place comes
        /// from $XDG_RUNTIME_DIR or the temp directory, which a process may change, as every test does).</summary>
        public static string PathFor(ICredentialStore store) =>
            s_paths.GetOrAdd(UserRuntimeDirectory.Location + "\n" + store.Backend + ":" + store.Location,
                _ => UserRuntimeDirectory.FileFor(store.Backend + ":" + store.Location, ".sessions"));

        /// <summary>The stamp now: the file's modification time in UTC ticks, or 0 when it does not exist.</summary>
        public static long Read(string path)
        {
            DateTime t = File.GetLastWriteTimeUtc(path);
            return t.Year <= 1601 ? 0 : t.Ticks;
        }

        /// <summary>Moves the stamp forward, always to a new value, even on file systems with coarse times.</summary>
        public static void Touch(ICredentialStore store)
        {
            string path = PathFor(store);
            try
            {
                if (!File.Exists(path))
                {
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path));
                    using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { }
                }
                long before = Read(path);
                DateTime next = DateTime.UtcNow;
                if (next.Ticks <= before) next = new DateTime(before + TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                File.SetLastWriteTimeUtc(path, next);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Another process touching it at the same moment moves it forward just the same.
            }
        }
    }
}
