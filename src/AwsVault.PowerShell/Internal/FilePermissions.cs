using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace AwsVault.Internal
{
    /// <summary>
    /// Owner-only directories and files without help from the BCL: netstandard2.0 has no API for Unix
    /// modes or for Windows ACLs, so this calls libc / kernel32 / advapi32 directly.
    /// Only functions with fixed argument lists are bound: open(2) is variadic, and on Apple arm64 a
    /// variadic mode argument travels on the stack where a P/Invoke would not put it, so new files come
    /// from mkostemp(3), which creates them 0600 (O_EXCL) by itself.
    /// </summary>
    internal static class FilePermissions
    {
        public const int OwnerOnlyDirectory = 0x1C0; // 0700
        public const int OwnerOnlyFile = 0x180;      // 0600

        private const int ENOENT = 2;
        private const int EINTR = 4;
        private const int ENOTDIR = 20;
        private const int EEXIST = 17;

        public static bool IsUnix => !Platform.IsWindows;

        /// <summary>
        /// Creates the directory and any missing parents, owner-only (0700, or on Windows a protected
        /// DACL for the owner and SYSTEM that files inside inherit). An existing directory is left as it is:
        /// aws-vault does the same, and the user may have chosen its permissions.
        /// </summary>
        public static void EnsureDirectory(string path)
        {
            if (Directory.Exists(path)) return;
            if (File.Exists(path)) throw new IOException("'" + path + "' is a file, not a directory.");

            string parent = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent)) EnsureDirectory(parent);

            if (IsUnix)
            {
#if !NETFRAMEWORK
                // The platform's mkdir with a mode; the umask may take bits away, so the mode is then set
                // exactly (chmod). An existing directory (another process won the race) is left as it is.
                const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                if (Directory.Exists(path)) return;
                Directory.CreateDirectory(path, ownerOnly);
                File.SetUnixFileMode(path, ownerOnly);
#else
                try
                {
                    if (Unix.mkdir(Unix.NullTerminated(path), OwnerOnlyDirectory) != 0)
                    {
                        int errno = Marshal.GetLastWin32Error();
                        if (errno == EEXIST && Directory.Exists(path)) return; // another process won the race
                        throw Error(errno, "create the directory", path);
                    }
                    // The umask may have taken bits away; set exactly 0700.
                    if (Unix.chmod(Unix.NullTerminated(path), OwnerOnlyDirectory) != 0) throw Error(Marshal.GetLastWin32Error(), "set permissions on", path);
                }
                catch (DllNotFoundException e)
                {
                    throw NoLibc(path, e);
                }
#endif
            }
            else if (!Windows.TryCreateOwnerOnlyDirectory(path))
            {
                Directory.CreateDirectory(path);
            }
        }

        /// <summary>What lstat(2) says of a path, without following a symbolic link.</summary>
        internal struct UnixStatus
        {
            public bool Exists;
            public int Mode;       // type bits (S_IFMT) and permission bits
            public uint OwnerUid;

            public bool IsDirectory => (Mode & Unix.TypeMask) == Unix.TypeDirectory;
            public bool IsSymbolicLink => (Mode & Unix.TypeMask) == Unix.TypeSymbolicLink;
            public int Permissions => Mode & 0xFFF;
        }

        /// <summary>The owner and mode of <paramref name="path"/> itself (a symbolic link is reported as one);
        /// Exists is false when nothing is there. Unix only.</summary>
        public static UnixStatus LStat(string path)
        {
            var buffer = new byte[Unix.FileStatusBufferSize];
            if (Unix.SystemNativeLStat(Unix.NullTerminated(path), buffer) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == ENOENT || errno == ENOTDIR) return new UnixStatus { Exists = false };
                throw Error(errno, "read the owner and permissions of", path);
            }
            // FileStatus starts { int32 Flags; int32 Mode; uint32 Uid; uint32 Gid; ... } in every .NET since 2.0.
            return new UnixStatus
            {
                Exists = true,
                Mode = BitConverter.ToInt32(buffer, 4),
                OwnerUid = BitConverter.ToUInt32(buffer, 8),
            };
        }

        /// <summary>The effective user id of this process: the owner of what it creates. Unix only.</summary>
        public static uint EffectiveUid => Unix.geteuid();

        internal static IOException Error(int errno, string action, string path) =>
            new IOException("Could not " + action + " '" + path + "': " + new Win32Exception(errno).Message + ".");

        internal static IOException NoLibc(string path, Exception inner) =>
            new IOException("Could not create '" + path + "' with owner-only permissions: the C library (libc) could not be loaded.", inner);

        internal static bool Retry(int result) => result < 0 && Marshal.GetLastWin32Error() == EINTR;

        internal static class Unix
        {
            private const string Libc = "libc";

#if NETFRAMEWORK
            [DllImport(Libc, SetLastError = true)]
            public static extern int mkdir(byte[] path, int mode);
#endif

            [DllImport(Libc)]
            public static extern uint geteuid();

            // libc's struct stat differs between Linux and macOS and between architectures (and older glibc exports
            // no lstat symbol at all, only __lxstat), so owner and mode come from System.Native, the .NET runtime's own
            // shim over it: present wherever .NET runs on Unix, which is every PowerShell on Unix (7.2+ runs on
            // .NET 6+), with one FileStatus layout everywhere. Its type bits are normalised to these values.
            [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
            public static extern int SystemNativeLStat(byte[] path, byte[] fileStatus);

            // FileStatus is about 120 bytes in .NET 10; room to spare for fields later versions add at its end.
            public const int FileStatusBufferSize = 512;
            public const int TypeMask = 0xF000;
            public const int TypeDirectory = 0x4000;
            public const int TypeSymbolicLink = 0xA000;

#if NETFRAMEWORK
            [DllImport(Libc, SetLastError = true)]
            public static extern int chmod(byte[] path, int mode);
#endif

#if NETFRAMEWORK
            [DllImport(Libc, SetLastError = true)]
            public static extern int fchmod(int fd, int mode);
#endif

            [DllImport(Libc, SetLastError = true)]
            public static extern int mkstemp(byte[] template);

            [DllImport(Libc, SetLastError = true)]
            public static extern int mkostemp(byte[] template, int flags);

            [DllImport(Libc, SetLastError = true)]
            public static extern IntPtr write(int fd, IntPtr buffer, UIntPtr count);

            [DllImport(Libc, SetLastError = true)]
            public static extern int fsync(int fd);

            [DllImport(Libc, SetLastError = true)]
            public static extern int close(int fd);

            [DllImport(Libc, SetLastError = true)]
            public static extern int rename(byte[] oldPath, byte[] newPath);

            // Two fixed arguments only: without O_CREAT, open never reads a mode.
            [DllImport(Libc, SetLastError = true, EntryPoint = "open")]
            public static extern int openReadOnly(byte[] path, int flags);

            /// <summary>O_CLOEXEC where its value is known, so a child process started meanwhile cannot inherit the descriptor.</summary>
            public static int CloseOnExec
            {
                get
                {
                    if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return 0x80000;
                    if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return 0x1000000;
                    return 0;
                }
            }

            // Paths go to libc as NUL-terminated UTF-8, which is what .NET uses for file names on Unix.
            public static byte[] NullTerminated(string path)
            {
                byte[] text = Encoding.UTF8.GetBytes(path);
                var result = new byte[text.Length + 1];
                Buffer.BlockCopy(text, 0, result, 0, text.Length);
                return result;
            }
        }

        internal static class Windows
        {
            private const int SddlRevision1 = 1;

            // Protected DACL (no inheritance from above): full control for the owner and SYSTEM, inherited
            // by files and subfolders, so every file written inside is owner-only without further work.
            private const string OwnerOnlySddl = "D:P(A;OICI;FA;;;OW)(A;OICI;FA;;;SY)";

            [StructLayout(LayoutKind.Sequential)]
            private struct SecurityAttributes
            {
                public int Length;
                public IntPtr SecurityDescriptor;
                public int InheritHandle;
            }

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            private static extern bool ConvertStringSecurityDescriptorToSecurityDescriptorW(string sddl, int revision, out IntPtr descriptor, IntPtr size);

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            private static extern bool CreateDirectoryW(string path, ref SecurityAttributes attributes);

            [DllImport("kernel32.dll", SetLastError = true)]
            private static extern IntPtr LocalFree(IntPtr memory);

            public const int MoveFileReplaceExisting = 0x1;
            public const int MoveFileWriteThrough = 0x8;

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern bool MoveFileExW(string existing, string replacement, int flags);

            /// <summary>False when the owner-only form is unavailable; the caller then creates it plainly.</summary>
            public static bool TryCreateOwnerOnlyDirectory(string path)
            {
                IntPtr descriptor = IntPtr.Zero;
                try
                {
                    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(OwnerOnlySddl, SddlRevision1, out descriptor, IntPtr.Zero)) return false;
                    var attributes = new SecurityAttributes
                    {
                        Length = Marshal.SizeOf(typeof(SecurityAttributes)),
                        SecurityDescriptor = descriptor,
                        InheritHandle = 0,
                    };
                    if (CreateDirectoryW(path, ref attributes)) return true;
                    return Directory.Exists(path);
                }
                catch (DllNotFoundException)
                {
                    return false;
                }
                catch (EntryPointNotFoundException)
                {
                    return false;
                }
                finally
                {
                    if (descriptor != IntPtr.Zero) LocalFree(descriptor);
                }
            }
        }
    }
}
