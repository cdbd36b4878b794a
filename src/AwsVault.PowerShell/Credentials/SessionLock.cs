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
                    throw new AwsVaultException("SessionLockTimeout", ErrorCategory.OperationTimeout,
                        "Profile '" + profileName + "': another process held the lock for the " + type + " session for more than " + timeout.TotalMinutes +
                        " minutes. If no other AwsVault command is running, delete '" + path + "'.", profileName, ex);
                }
            }
        }

        public void Dispose() => _stream.Dispose();

        private static string PathFor(string identity)
        {
            using (var sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(identity));
                var sb = new StringBuilder();
                for (int i = 0; i < 12; i++) sb.Append(hash[i].ToString("x2"));
                return Path.Combine(Internal.UserRuntimeDirectory.Path, sb.ToString() + ".lock");
            }
        }
    }
}
