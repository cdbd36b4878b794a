using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace AwsVault.Internal
{
    /// <summary>
    /// A lock across processes of one user, named by what it guards: an exclusive open of a lock file in
    /// <see cref="UserRuntimeDirectory"/>, which the OS releases when the holder exits or is killed, so a crash
    /// never leaves it held. The same idiom as the session lock, for short critical sections such as a config
    /// file's check-then-append.
    /// </summary>
    internal sealed class FileLock : IDisposable
    {
        private readonly FileStream _stream;

        private FileLock(FileStream stream)
        {
            _stream = stream;
        }

        /// <summary>The lock for <paramref name="identity"/> (a path, say), or null when another process held it
        /// for all of <paramref name="timeout"/>.</summary>
        public static FileLock TryAcquire(string purpose, string identity, TimeSpan timeout)
        {
            string path = PathFor(purpose, identity);
            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                try
                {
                    return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(20);
                }
                catch (IOException)
                {
                    return null;
                }
            }
        }

        /// <summary>Where the lock file for <paramref name="identity"/> is, for messages.</summary>
        public static string PathFor(string purpose, string identity)
        {
            using (var sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(purpose + "\n" + identity));
                var sb = new StringBuilder(purpose);
                sb.Append('-');
                for (int i = 0; i < 12; i++) sb.Append(hash[i].ToString("x2"));
                return System.IO.Path.Combine(UserRuntimeDirectory.Path, sb.Append(".lock").ToString());
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
