using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using AwsVault.Storage;

namespace AwsVault.Internal
{
    /// <summary>An owner-only folder in the temp directory for state that processes of one user share and that
    /// may vanish at any time: session locks and the record of sent MFA codes.</summary>
    internal static class UserRuntimeDirectory
    {
        public static string Path
        {
            get
            {
                string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "awsvault-" + UserTag());
                FilePermissions.EnsureDirectory(dir);
                return dir;
            }
        }

        /// <summary>A file in the folder for a thing named by <paramref name="identity"/> (a store, a session): a hash,
        /// so that names with any characters (vault paths, profile names) make short, safe file names.</summary>
        public static string FileFor(string identity, string extension)
        {
            using (var sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(identity));
                var sb = new StringBuilder();
                for (int i = 0; i < 12; i++) sb.Append(hash[i].ToString("x2"));
                return System.IO.Path.Combine(Path, sb.ToString() + extension);
            }
        }

        /// <summary>A random value created once per user and kept in the folder.</summary>
        public static string Salt
        {
            get
            {
                string file = System.IO.Path.Combine(Path, "salt");
                try
                {
                    if (File.Exists(file)) return File.ReadAllText(file).Trim();
                    var bytes = new byte[32];
                    using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
                    string salt = Convert.ToBase64String(bytes);
                    File.WriteAllText(file, salt);
                    return File.ReadAllText(file).Trim();
                }
                catch (IOException)
                {
                    return "no-salt";
                }
            }
        }

        private static string UserTag()
        {
            var sb = new StringBuilder();
            foreach (char c in Environment.UserName ?? "user") sb.Append(char.IsLetterOrDigit(c) ? c : '_');
            return sb.ToString();
        }
    }
}
