using System;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;

namespace AwsVault.Internal
{
    /// <summary>
    /// An owner-only folder for state that processes of one user share and that may vanish at any time: session
    /// locks and the record of sent MFA codes. On Linux and macOS it is $XDG_RUNTIME_DIR/awsvault when that variable
    /// names a folder (systemd makes it per user, 0700), else awsvault-&lt;user&gt; in the temp directory, which every
    /// user can write: there another user could create the folder first and then read or plant locks and records.
    /// So, as ssh does with its own folders, the folder is used only when it is a real folder (not a symbolic link),
    /// owned by this user and closed to everyone else (no group or other bits); otherwise every command that needs
    /// it stops with RuntimeDirectoryUnsafe. On Windows it stays in the user's own %TEMP% with an owner-only ACL.
    /// </summary>
    internal static class UserRuntimeDirectory
    {
        public const string XdgRuntimeDirVariable = "XDG_RUNTIME_DIR";

        /// <summary>The folder, created owner-only when missing and checked every time it is asked for.</summary>
        public static string Path
        {
            get
            {
                string dir = Location;
                if (!FilePermissions.IsUnix)
                {
                    FilePermissions.EnsureDirectory(dir);
                    return dir;
                }
                try
                {
                    // Whatever is there is checked before it is used, and again after creating it: another user may
                    // win the race to create it, and then mkdir's "already exists" leaves their folder in place.
                    if (!FilePermissions.LStat(dir).Exists) Create(dir);
                    CheckPrivate(dir, FilePermissions.LStat(dir));
                }
                catch (DllNotFoundException ex)
                {
                    throw Unsafe(dir, "AwsVault could not read its owner and permissions (" + ex.Message + "), so it cannot tell that only you can write it", ex);
                }
                catch (EntryPointNotFoundException ex)
                {
                    throw Unsafe(dir, "AwsVault could not read its owner and permissions (" + ex.Message + "), so it cannot tell that only you can write it", ex);
                }
                return dir;
            }
        }

        private static void Create(string dir)
        {
            try
            {
                FilePermissions.EnsureDirectory(dir);
            }
            catch (IOException ex)
            {
                // Typically $XDG_RUNTIME_DIR left over from another user (su, sudo -E) or a TMPDIR that is not writable.
                throw new AwsVaultException(ErrorIds.RuntimeDirectoryUnavailable, ErrorCategory.WriteError,
                    "Could not create AwsVault's runtime folder '" + dir + "' (session locks, sent MFA codes): " + ex.Message +
                    " Point $env:" + XdgRuntimeDirVariable + " (or $env:TMPDIR) at a folder of yours that you can write, then run the command again.", dir, ex);
            }
        }

        /// <summary>Where the folder is for the current environment, without creating or checking it.</summary>
        public static string Location
        {
            get
            {
                if (FilePermissions.IsUnix)
                {
                    // The XDG spec says to ignore a relative path; an empty one means "not set".
                    string xdg = Environment.GetEnvironmentVariable(XdgRuntimeDirVariable);
                    if (!string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)) return System.IO.Path.Combine(xdg, "awsvault");
                }
                return System.IO.Path.Combine(System.IO.Path.GetTempPath(), "awsvault-" + UserTag());
            }
        }

        private static void CheckPrivate(string dir, FilePermissions.UnixStatus status)
        {
            if (!status.Exists)
            {
                throw Unsafe(dir, "it vanished right after it was created, which another process removing or renaming it would cause", null);
            }
            if (status.IsSymbolicLink)
            {
                throw Unsafe(dir, "it is a symbolic link, not a folder; whoever made it decides where session locks and sent MFA codes go", null);
            }
            if (!status.IsDirectory)
            {
                throw Unsafe(dir, "it is a file, not a folder", null);
            }
            uint me = FilePermissions.EffectiveUid;
            if (status.OwnerUid != me)
            {
                throw Unsafe(dir, "it belongs to user id " + status.OwnerUid + ", not to you (user id " + me +
                    "); another user who creates it first can read and plant session locks and the record of sent MFA codes", null);
            }
            if ((status.Permissions & 0x3F) != 0)
            {
                throw Unsafe(dir, "its mode is " + Octal(status.Permissions) + ", which lets users other than you " +
                    ((status.Permissions & 0x12) != 0 ? "write" : "read") + " it; AwsVault needs 0700 (only you). If you widened it yourself, run chmod 700 '" + dir + "'", null);
            }
        }

        private static AwsVaultException Unsafe(string dir, string why, Exception inner) =>
            new AwsVaultException(ErrorIds.RuntimeDirectoryUnsafe, ErrorCategory.SecurityError,
                "AwsVault's runtime folder '" + dir + "' (session locks, sent MFA codes) is not private to you: " + why +
                ". Remove the folder if you did not make it (rm -rf '" + dir + "'), or point $env:" + XdgRuntimeDirVariable +
                " (or $env:TMPDIR) at a folder only you can write, then run the command again.", dir, inner);

        private static string Octal(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8).PadLeft(3, '0');

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

        // Environment.UserName asks the user database (getpwuid) on every call, and the folder's location is
        // computed on every session-cache hit; the user of a process does not change.
        private static string s_userTag;

        private static string UserTag()
        {
            if (s_userTag != null) return s_userTag;
            var sb = new StringBuilder();
            foreach (char c in Environment.UserName ?? "user") sb.Append(char.IsLetterOrDigit(c) ? c : '_');
            return s_userTag = sb.ToString();
        }
    }
}
