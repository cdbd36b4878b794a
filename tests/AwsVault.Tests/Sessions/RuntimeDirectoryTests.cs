using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;
using AwsVault.Tests.Harness;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Sessions
{
    /// <summary>
    /// The per-user runtime folder (session locks, sent MFA codes): in $XDG_RUNTIME_DIR when set, else in the temp
    /// directory; created 0700; refused, with RuntimeDirectoryUnsafe, when another user could have planted it.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class RuntimeDirectoryTests
    {
        private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        private static string TempFolder(SessionFixture f)
        {
            var tag = new StringBuilder();
            foreach (char c in Environment.UserName) tag.Append(char.IsLetterOrDigit(c) ? c : '_');
            return Path.Combine(f.Env.TempDirectory, "awsvault-" + tag);
        }

        // The fixture stores keys, which may already have made the folder; each test puts its own in its place.
        private static void Replace(string folder, Action make)
        {
            if (Directory.Exists(folder) && !new DirectoryInfo(folder).Attributes.HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(folder, true);
            make();
        }

        private static ScriptResult RunSessionCommand(SessionFixture f) => f.Ps.RunCatching("Get-AwsVaultSession bob");

        // What every refusal shows the user besides its id and category: the folder, why, and the way out.
        private static void AssertExplains(SessionFixture f, ScriptResult r, string folder, string because)
        {
            string message = r.Terminating.Exception.Message;
            Assert.Contains("'" + folder + "'", message);
            Assert.Contains(because, message);
            Assert.Contains("XDG_RUNTIME_DIR", message);
            Assert.Empty(r.Output);
            Assert.Empty(f.World.Calls); // refused before any STS call, so nothing went into the folder
        }

        [Fact]
        public void AFreshFolderIsCreatedOwnerOnlyInTheTempDirectory()
        {
            using var f = new SessionFixture();
            string folder = TempFolder(f);
            Replace(folder, () => { });
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            Assert.True(Directory.Exists(folder));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(folder));
            Assert.NotEmpty(Directory.GetFiles(folder, "*.lock"));
        }

        [Fact]
        public void WithXdgRuntimeDirTheFolderIsAwsvaultInsideItOwnerOnly()
        {
            using var f = new SessionFixture();
            string xdg = Path.Combine(f.Env.Root, "run-user");
            Directory.CreateDirectory(xdg);
            File.SetUnixFileMode(xdg, OwnerOnly);
            f.Env.Set("XDG_RUNTIME_DIR", xdg);
            Replace(TempFolder(f), () => { });

            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            string folder = Path.Combine(xdg, "awsvault");
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(folder));
            Assert.NotEmpty(Directory.GetFiles(folder, "*.lock"));
            Assert.False(Directory.Exists(TempFolder(f)), "nothing goes to the temp directory when XDG_RUNTIME_DIR is set");
        }

        [Fact]
        public async System.Threading.Tasks.Task AChildProcessUsesTheSameFolderAsTheTestThatStartsIt()
        {
            // Session locks only work across processes when every process finds the same folder.
            using var f = new SessionFixture();
            string xdg = Path.Combine(f.Env.Root, "run-user");
            Directory.CreateDirectory(xdg);
            File.SetUnixFileMode(xdg, OwnerOnly);
            f.Env.Set("XDG_RUNTIME_DIR", xdg);
            Replace(TempFolder(f), () => { });

            var r = await EndToEnd.EndToEndTests.Pwsh(f, "Import-Module " + MultiProcess.PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + "; $null = Get-AwsVaultSession bob");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(xdg, "awsvault"), "*.lock"));
            Assert.False(Directory.Exists(TempFolder(f)), "the child made a folder of its own in TMPDIR");
        }

        [Theory]
        [InlineData(UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute, "0770")]
        [InlineData(UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute, "0777")]
        [InlineData(UnixFileMode.GroupRead | UnixFileMode.GroupExecute, "0750")]
        public void AFolderOthersCanOpenIsRefused(UnixFileMode extra, string shown)
        {
            using var f = new SessionFixture();
            string folder = TempFolder(f);
            Replace(folder, () =>
            {
                Directory.CreateDirectory(folder);
                File.SetUnixFileMode(folder, OwnerOnly | extra);
            });
            var r = RunSessionCommand(f);
            AssertError(r, "RuntimeDirectoryUnsafe", ErrorCategory.SecurityError);
            AssertExplains(f, r, folder, "its mode is " + shown);
            Assert.Equal(OwnerOnly | extra, File.GetUnixFileMode(folder)); // left as it was: the user decides
        }

        [Fact]
        public void AGroupWritableFolderInXdgRuntimeDirIsRefusedToo()
        {
            using var f = new SessionFixture();
            string xdg = Path.Combine(f.Env.Root, "run-user");
            string folder = Path.Combine(xdg, "awsvault");
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, OwnerOnly | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
            f.Env.Set("XDG_RUNTIME_DIR", xdg);
            var r = RunSessionCommand(f);
            AssertError(r, "RuntimeDirectoryUnsafe", ErrorCategory.SecurityError);
            AssertExplains(f, r, folder, "its mode is 0730");
        }

        [Fact]
        public void ASymbolicLinkInPlaceOfTheFolderIsRefused()
        {
            using var f = new SessionFixture();
            string folder = TempFolder(f);
            string target = Path.Combine(f.Env.Root, "elsewhere");
            Directory.CreateDirectory(target);
            File.SetUnixFileMode(target, OwnerOnly);
            Replace(folder, () => Directory.CreateSymbolicLink(folder, target));
            var r = RunSessionCommand(f);
            AssertError(r, "RuntimeDirectoryUnsafe", ErrorCategory.SecurityError);
            AssertExplains(f, r, folder, "symbolic link");
            Assert.Empty(Directory.GetFiles(target));
        }

        [Fact]
        public void AnXdgRuntimeDirWhereNoFolderCanBeMadeSaysSo()
        {
            using var f = new SessionFixture();
            string notAFolder = Path.Combine(f.Env.Root, "run-user");
            File.WriteAllText(notAFolder, string.Empty);
            f.Env.Set("XDG_RUNTIME_DIR", notAFolder);
            var r = RunSessionCommand(f);
            AssertError(r, "RuntimeDirectoryUnavailable", ErrorCategory.WriteError);
            Assert.Contains("'" + Path.Combine(notAFolder, "awsvault") + "'", r.Terminating.Exception.Message);
            Assert.Contains("'" + notAFolder + "' is a file, not a directory", r.Terminating.Exception.Message);
            Assert.Contains("$env:XDG_RUNTIME_DIR", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [RootFact]
        public void AFolderOfAnotherUserIsRefused()
        {
            using var f = new SessionFixture();
            string folder = TempFolder(f);
            Replace(folder, () =>
            {
                Directory.CreateDirectory(folder);
                File.SetUnixFileMode(folder, OwnerOnly);
                Assert.Equal(0, chown(folder, 65534, 65534));
            });
            var r = RunSessionCommand(f);
            AssertError(r, "RuntimeDirectoryUnsafe", ErrorCategory.SecurityError);
            AssertExplains(f, r, folder, "belongs to user id 65534");
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chown(string path, int owner, int group);

        [DllImport("libc")]
        internal static extern uint geteuid();
    }

    /// <summary>A fact that needs root (to give a folder to another user); skipped, saying so, otherwise. CI runs as root.</summary>
    public sealed class RootFactAttribute : FactAttribute
    {
        public RootFactAttribute()
        {
            if (OperatingSystem.IsWindows() || RuntimeDirectoryTests.geteuid() != 0)
            {
                Skip = "needs root to make a folder owned by another user (chown 65534); CI runs as root";
            }
        }
    }
}
