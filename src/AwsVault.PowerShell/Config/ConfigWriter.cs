using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using AwsVault.Internal;

namespace AwsVault.Config
{
    /// <summary>Edits the config by appending only. Users keep comments and layout in that file, so nothing
    /// already there is rewritten: the existing bytes stay exactly as they were.</summary>
    internal static class ConfigWriter
    {
        private static readonly Encoding Utf8NoBom = new UTF8Encoding(false);

        /// <summary>
        /// A name that can be written as a header and read back as the same profile: non-empty, no
        /// '[' or ']', no line breaks or other control characters, no leading or trailing whitespace, and
        /// no '#' or ';' after whitespace (the parser would take that for an inline comment).
        /// </summary>
        public static bool IsValidProfileName(string name)
        {
            if (string.IsNullOrEmpty(name)) return false;
            if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[name.Length - 1])) return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '[' || c == ']' || char.IsControl(c)) return false;
                if ((c == '#' || c == ';') && i > 0 && char.IsWhiteSpace(name[i - 1])) return false;
            }
            return true;
        }

        /// <summary>How long an append waits for another process's append to the same file; each takes milliseconds.</summary>
        public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

        /// <summary>Appends <c>[profile NAME]</c> (<c>[default]</c> for "default"), creating the directory and
        /// file when missing, unless the file has that section by now. A blank line separates it from existing
        /// content unless one is already there, and the file's own line ending (CRLF or LF) is used.
        /// The check and the append happen under a lock across processes on the file, because several
        /// Add-AwsVaultProfile of the same new profile at once (parallel CI jobs) each saw no section when they
        /// read the config and would each append one. Returns false when the section was already there.</summary>
        public static bool AppendProfile(string path, string profileName)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (!IsValidProfileName(profileName))
            {
                throw new AwsVaultException(ErrorIds.InvalidProfileName, ErrorCategory.InvalidArgument,
                    "'" + profileName + "' cannot be used as a profile name in " + path +
                    ": a name must not be empty, start or end with whitespace, contain '[', ']' or line breaks, or contain ' #' or ' ;'. Choose another name.",
                    profileName);
            }

            string fullPath = System.IO.Path.GetFullPath(path);
            using (FileLock held = FileLock.TryAcquire("config", fullPath, LockTimeout))
            {
                if (held == null)
                {
                    throw new AwsVaultException(ErrorIds.ConfigLockTimeout, ErrorCategory.OperationTimeout,
                        "Cannot add profile '" + profileName + "' to " + path + ": another process kept the config locked for " + LockTimeout.TotalSeconds +
                        " s. If no other AwsVault command is running, delete '" + FileLock.PathFor("config", fullPath) + "' and try again.", path);
                }
                return AppendUnlessPresent(path, profileName);
            }
        }

        private static bool AppendUnlessPresent(string path, string profileName)
        {
            try
            {
                string dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
                if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);

                string existing = File.Exists(path) ? File.ReadAllText(path, Utf8NoBom) : string.Empty;
                if (HasProfile(existing, path, profileName)) return false;
                string newline = existing.IndexOf("\r\n", StringComparison.Ordinal) >= 0 ? "\r\n" : "\n";
                string header = profileName == ConfigKeys.DefaultProfile ? "[default]" : "[profile " + profileName + "]";
                string text = Separator(existing, newline) + header + newline;

                using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
                {
                    byte[] bytes = Utf8NoBom.GetBytes(text);
                    stream.Write(bytes, 0, bytes.Length);
                }
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new AwsVaultException(ErrorIds.ConfigWriteError, ErrorCategory.WriteError,
                    "Cannot add profile '" + profileName + "' to " + path + ": " + ex.Message + " Check that the file and its folder are writable.",
                    path, ex);
            }
        }

        /// <summary>Whether another writer added the section since the caller read the file. A file that no longer
        /// parses is left to the next read to report; the append goes ahead as it did before the check.</summary>
        private static bool HasProfile(string text, string path, string profileName)
        {
            try
            {
                return ConfigFile.Parse(text, path).GetProfile(profileName) != null;
            }
            catch (AwsVaultException)
            {
                return false;
            }
        }

        private static string Separator(string existing, string newline)
        {
            int end = existing.Length;
            int start = existing.Length > 0 && existing[0] == '\uFEFF' ? 1 : 0;
            if (end == start) return string.Empty;

            char last = existing[end - 1];
            if (last != '\n' && last != '\r') return newline + newline;

            // Drop the final line break, then look at the line it ended: blank means a separator exists.
            end--;
            if (last == '\n' && end > start && existing[end - 1] == '\r') end--;
            int i = end;
            while (i > start && existing[i - 1] != '\n' && existing[i - 1] != '\r')
            {
                if (!char.IsWhiteSpace(existing[i - 1])) return newline;
                i--;
            }
            return string.Empty;
        }
    }
}
