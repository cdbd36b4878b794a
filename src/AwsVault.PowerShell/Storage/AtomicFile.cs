using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using AwsVault.Internal;

namespace AwsVault.Storage
{
    /// <summary>
    /// Replaces a file so that a reader (in this or any other process) sees either the old content or
    /// the new, never a torn file: the bytes go to a fresh temp file in the same directory, reach the
    /// disk, and a rename puts them in place. Writers of different items never touch each other's files,
    /// so nothing is lost when several run at once; writers of the same item end with one whole version.
    /// </summary>
    internal static class AtomicFile
    {
        public const string TempPrefix = ".tmp-";

        public static void Write(string directory, string fileName, byte[] content)
        {
            string target = Path.Combine(directory, fileName);
            if (!FilePermissions.IsUnix)
            {
                WriteWindows(directory, target, content);
                return;
            }
            try
            {
                WriteUnix(directory, target, content);
            }
            catch (DllNotFoundException e)
            {
                // Without libc the file could only be written with the umask's permissions; refuse instead.
                throw FilePermissions.NoLibc(target, e);
            }
        }

        /// <summary>True when the file was there to delete.</summary>
        public static bool Delete(string path)
        {
            if (!File.Exists(path)) return false;
            try
            {
                File.Delete(path);
            }
            catch (FileNotFoundException)
            {
                return false;
            }
            catch (DirectoryNotFoundException)
            {
                return false;
            }
            return true;
        }

        /// <summary>A temp file older than this cannot belong to a writer that is still running: a write takes
        /// milliseconds from creating its temp file to the rename.</summary>
        public static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

        // Exactly what TempName makes (plus mkostemp's six characters on Unix), so no file of anyone else's is touched.
        private static readonly Regex TempNamePattern = new Regex("^" + Regex.Escape(TempPrefix) + "[0-9]+-[0-9a-f]{32}[A-Za-z0-9]{0,6}$", RegexOptions.CultureInvariant);

        private static readonly object SweepGate = new object();
        private static readonly Dictionary<string, DateTime> LastSweep = new Dictionary<string, DateTime>(StringComparer.Ordinal);

        /// <summary>
        /// Deletes the temp files that killed writers left in <paramref name="directory"/> (each holds one encrypted
        /// item and is never read, so they are only clutter). Only files of this class's naming pattern whose last
        /// write is older than <see cref="StaleTempAge"/> go; age is the guard against a live writer's file. Runs at
        /// most once an hour per directory in a process, so writes do not pay a directory listing each.
        /// Returns how many files were deleted; a file that cannot be deleted is left for the next sweep.
        /// </summary>
        public static int SweepStaleTemps(string directory)
        {
            DateTime now = DateTime.UtcNow;
            lock (SweepGate)
            {
                if (LastSweep.TryGetValue(directory, out DateTime last) && now - last < StaleTempAge) return 0;
                LastSweep[directory] = now;
            }
            int deleted = 0;
            string[] files;
            try
            {
                files = Directory.GetFiles(directory, TempPrefix + "*");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return 0;
            }
            foreach (string path in files)
            {
                if (!TempNamePattern.IsMatch(Path.GetFileName(path))) continue;
                try
                {
                    if (now - File.GetLastWriteTimeUtc(path) < StaleTempAge) continue;
                    File.Delete(path);
                    deleted++;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                }
            }
            return deleted;
        }

        private static string TempName() =>
            TempPrefix + Process.GetCurrentProcess().Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");

        private static void WriteUnix(string directory, string target, byte[] content)
        {
            // mkostemp creates the file 0600 with O_EXCL before a single secret byte exists in it.
            byte[] template = FilePermissions.Unix.NullTerminated(Path.Combine(directory, TempName() + "XXXXXX"));
            int fd = CreateTemp(template);
            string tempPath = Encoding.UTF8.GetString(template, 0, template.Length - 1);
            try
            {
                // The umask can only have removed bits; make the mode exactly 0600 so aws-vault can rewrite it.
#if NETFRAMEWORK
                if (FilePermissions.Unix.fchmod(fd, FilePermissions.OwnerOnlyFile) != 0)
                {
                    throw FilePermissions.Error(Marshal.GetLastWin32Error(), "set permissions on", tempPath);
                }
#else
                using (var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)fd, ownsHandle: false))
                {
                    File.SetUnixFileMode(handle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
#endif
                WriteAll(fd, content, tempPath);
                int rc;
                do { rc = FilePermissions.Unix.fsync(fd); } while (FilePermissions.Retry(rc));
                if (rc != 0) throw FilePermissions.Error(Marshal.GetLastWin32Error(), "flush", tempPath);
                int closing = fd;
                fd = -1;
                if (FilePermissions.Unix.close(closing) != 0) throw FilePermissions.Error(Marshal.GetLastWin32Error(), "close", tempPath);

                if (FilePermissions.Unix.rename(FilePermissions.Unix.NullTerminated(tempPath), FilePermissions.Unix.NullTerminated(target)) != 0)
                {
                    throw FilePermissions.Error(Marshal.GetLastWin32Error(), "replace", target);
                }
                tempPath = null;
                SyncDirectory(directory);
            }
            finally
            {
                if (fd >= 0) FilePermissions.Unix.close(fd);
                if (tempPath != null) TryDelete(tempPath);
            }
        }

        private static int CreateTemp(byte[] template)
        {
            int fd;
            int flags = FilePermissions.Unix.CloseOnExec;
            try
            {
                fd = flags != 0 ? FilePermissions.Unix.mkostemp(template, flags) : FilePermissions.Unix.mkstemp(template);
            }
            catch (EntryPointNotFoundException)
            {
                fd = FilePermissions.Unix.mkstemp(template);
            }
            if (fd < 0)
            {
                throw FilePermissions.Error(Marshal.GetLastWin32Error(), "create a temporary file in", Path.GetDirectoryName(Encoding.UTF8.GetString(template, 0, template.Length - 1)));
            }
            return fd;
        }

        private static void WriteAll(int fd, byte[] content, string path)
        {
            GCHandle pin = GCHandle.Alloc(content, GCHandleType.Pinned);
            try
            {
                IntPtr start = pin.AddrOfPinnedObject();
                int offset = 0;
                while (offset < content.Length)
                {
                    long written = (long)FilePermissions.Unix.write(fd, start + offset, (UIntPtr)(uint)(content.Length - offset));
                    if (written < 0)
                    {
                        if (FilePermissions.Retry(-1)) continue;
                        throw FilePermissions.Error(Marshal.GetLastWin32Error(), "write", path);
                    }
                    offset += (int)written;
                }
            }
            finally
            {
                pin.Free();
            }
        }

        /// <summary>Makes the rename itself durable; a failure here leaves a correct file, so it is ignored.</summary>
        private static void SyncDirectory(string directory)
        {
            try
            {
                int fd = FilePermissions.Unix.openReadOnly(FilePermissions.Unix.NullTerminated(directory), FilePermissions.Unix.CloseOnExec);
                if (fd < 0) return;
                FilePermissions.Unix.fsync(fd);
                FilePermissions.Unix.close(fd);
            }
            catch (EntryPointNotFoundException)
            {
            }
        }

        private static void WriteWindows(string directory, string target, byte[] content)
        {
            string tempPath = Path.Combine(directory, TempName());
            try
            {
                // Created inside the vault directory, the file inherits its owner-only ACL.
                using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }
                MoveOver(tempPath, target);
                tempPath = null;
            }
            finally
            {
                if (tempPath != null) TryDelete(tempPath);
            }
        }

        private static void MoveOver(string tempPath, string target)
        {
            const int ErrorAccessDenied = 5;
            const int ErrorSharingViolation = 32;
            for (int attempt = 0; ; attempt++)
            {
                bool moved;
                try
                {
                    moved = FilePermissions.Windows.MoveFileExW(tempPath, target,
                        FilePermissions.Windows.MoveFileReplaceExisting | FilePermissions.Windows.MoveFileWriteThrough);
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                    if (File.Exists(target)) File.Replace(tempPath, target, null);
                    else File.Move(tempPath, target);
                    return;
                }
                if (moved) return;
                int error = Marshal.GetLastWin32Error();
                // A reader or a virus scanner holding the target open makes the replace fail for a moment.
                if ((error == ErrorAccessDenied || error == ErrorSharingViolation) && attempt < 20)
                {
                    Thread.Sleep(10 + attempt * 10);
                    continue;
                }
                throw new IOException("Could not replace '" + target + "': " + new System.ComponentModel.Win32Exception(error).Message + ".");
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
