using System;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace AwsVault.Credentials
{
    /// <summary>
    /// A lock across processes for fetching one session, so that of many processes that need it at once
    /// (Terraform running ten credential_process calls) only one calls STS and asks for MFA, and the others
    /// then read the cache. It is an exclusive open of a lock file, which the OS releases if the holder dies.
    /// The file also carries, from one holder to the next, when a session was last stored and until when it is
    /// valid (never the session itself): a vault that shows another process's write only after a while
    /// (SecretStore reloads its store file about 5 s after it changed) can then be read again instead of STS
    /// being called a second time.
    /// </summary>
    internal sealed class SessionLock : IDisposable
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

        private readonly FileStream _stream;

        private SessionLock(FileStream stream)
        {
            _stream = stream;
        }

        public static SessionLock Acquire(string storeLocation, string type, string profileName, string mfaSerial, TimeSpan timeout, Action<string> log)
        {
            string path = PathFor(storeLocation + "\n" + type + "\n" + profileName + "\n" + mfaSerial);
            DateTime deadline = DateTime.UtcNow + timeout;
            bool told = false;
            while (true)
            {
                try
                {
                    var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    return new SessionLock(stream);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    if (!told)
                    {
                        log?.Invoke("profile " + profileName + ": another AwsVault process is fetching the same " + type + " session; waiting for it.");
                        told = true;
                    }
                    Thread.Sleep(50);
                }
                catch (IOException ex)
                {
                    throw new AwsVaultException(ErrorIds.SessionLockTimeout, ErrorCategory.OperationTimeout,
                        "Profile '" + profileName + "': another process held the lock for the " + type + " session for more than " + timeout.TotalMinutes +
                        " minutes. If no other AwsVault command is running, delete '" + path + "'.", profileName, ex);
                }
            }
        }

        public void Dispose() => _stream.Dispose();

        /// <summary>Notes for the next holder that a session valid until <paramref name="expiration"/> was stored just now.</summary>
        public void RecordStored(DateTimeOffset expiration)
        {
            byte[] text = Encoding.ASCII.GetBytes("stored " + DateTime.UtcNow.Ticks + " " + expiration.UtcTicks + "\n");
            try
            {
                _stream.SetLength(0);
                _stream.Write(text, 0, text.Length);
                _stream.Flush();
            }
            catch (IOException)
            {
                // Only an optimisation for the next holder: it calls STS when it finds no note.
            }
        }

        /// <summary>What the previous holder noted: when it stored a session (UTC) and until when that session is
        /// valid; false when it noted nothing.</summary>
        public bool TryReadStored(out DateTime storedAt, out DateTimeOffset expiration)
        {
            storedAt = default(DateTime);
            expiration = default(DateTimeOffset);
            try
            {
                _stream.Position = 0;
                var buffer = new byte[128];
                int read = _stream.Read(buffer, 0, buffer.Length);
                string[] parts = Encoding.ASCII.GetString(buffer, 0, read).Trim().Split(' ');
                if (parts.Length != 3 || parts[0] != "stored" ||
                    !long.TryParse(parts[1], out long at) || !long.TryParse(parts[2], out long until) ||
                    at < DateTime.MinValue.Ticks || at > DateTime.MaxValue.Ticks || until < DateTime.MinValue.Ticks || until > DateTime.MaxValue.Ticks)
                {
                    return false;
                }
                storedAt = new DateTime(at, DateTimeKind.Utc);
                expiration = new DateTimeOffset(until, TimeSpan.Zero);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }

        private static string PathFor(string identity) => Internal.UserRuntimeDirectory.FileFor(identity, ".lock");
    }
}
