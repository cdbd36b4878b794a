using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using AwsVault.Internal;

namespace AwsVault.Mfa
{
    /// <summary>
    /// Which MFA codes were sent recently, shared by every AwsVault process of this user, so that a second
    /// process within the same 30 s (a credential_process right after another) waits for the next code instead
    /// of sending a spent one that AWS rejects. It keeps salted hashes of codes, never the codes, for 90 s.
    /// </summary>
    internal static class SentCodeLog
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(90);

        public static bool WasSent(string serial, string code)
        {
            try
            {
                string path = PathFor(serial);
                if (!File.Exists(path)) return false;
                string hash = Hash(serial, code);
                long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                foreach (string line in File.ReadAllLines(path))
                {
                    string[] parts = line.Split(' ');
                    if (parts.Length == 2 && parts[1] == hash && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long at) && now - at < Lifetime.TotalSeconds)
                    {
                        return true;
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
            return false;
        }

        public static void Record(string serial, string code)
        {
            try
            {
                string path = PathFor(serial);
                long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var keep = new List<string>();
                if (File.Exists(path))
                {
                    foreach (string line in File.ReadAllLines(path))
                    {
                        string[] parts = line.Split(' ');
                        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long at) && now - at < Lifetime.TotalSeconds) keep.Add(line);
                    }
                }
                keep.Add(now.ToString(CultureInfo.InvariantCulture) + " " + Hash(serial, code));
                File.WriteAllLines(path, keep);
            }
            catch (IOException)
            {
                // Best effort: without the record a spent code is rejected by AWS with a clear message.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string PathFor(string serial) => Path.Combine(UserRuntimeDirectory.Path, "mfa-" + Hex(Sha256("serial\n" + serial), 12) + ".sent");

        // Six digits are easy to brute-force from a plain hash; the serial and a per-user salt file make the
        // record useless to anyone but this user, who already has the device.
        private static string Hash(string serial, string code) => Hex(Sha256(UserRuntimeDirectory.Salt + "\n" + serial + "\n" + code), 16);

        private static byte[] Sha256(string text)
        {
            using (var sha = SHA256.Create()) return sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        }

        private static string Hex(byte[] bytes, int count)
        {
            var sb = new StringBuilder(count * 2);
            for (int i = 0; i < count; i++) sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
