using System;
using System.IO;
using AwsVault.Tests.Harness;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;

namespace AwsVault.Tests.Storage
{
    /// <summary>
    /// A writer killed between creating its temp file and the rename leaves a `.tmp-PID-GUIDxxxxxx` file in the
    /// vault folder (docs/RELIABILITY.md, part 2). The first write of a process to the vault removes those older
    /// than an hour, and nothing else: not a young one a live writer may still rename, not another file whose
    /// name merely starts the same way, and nothing at all when the vault is only read.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class TempSweepTests
    {
        [Fact]
        public void TheFirstWriteToTheVaultRemovesTempFilesOlderThanAnHourAndNothingElse()
        {
            using var env = new TestEnvironment();
            Directory.CreateDirectory(env.VaultDirectory);
            string stale = Place(env, ".tmp-4242-" + Guid.NewGuid().ToString("N") + "Ab12Cd", TimeSpan.FromHours(2));
            string staleWindows = Place(env, ".tmp-4243-" + Guid.NewGuid().ToString("N"), TimeSpan.FromHours(26));
            string young = Place(env, ".tmp-4244-" + Guid.NewGuid().ToString("N") + "Zz9Yy8", TimeSpan.FromMinutes(50));
            string notOurs = Place(env, ".tmp-notes", TimeSpan.FromDays(3));
            string item = Place(env, "dev", TimeSpan.FromDays(3));

            using var ps = new PowerShellSession();
            // Reading the vault changes nothing in it.
            ps.Run("Get-AwsVaultProfile").ThrowIfErrors();
            Assert.True(File.Exists(stale) && File.Exists(staleWindows), "a read removed a temp file");

            ps.Run(AddScript("bob")).ThrowIfErrors();

            Assert.False(File.Exists(stale), "a temp file 2 h old is still there");
            Assert.False(File.Exists(staleWindows), "a temp file 26 h old (Windows name) is still there");
            Assert.True(File.Exists(young), "a temp file 50 min old was removed: a live writer could still rename it");
            Assert.True(File.Exists(notOurs), "a file that is not AwsVault's temp file was removed");
            Assert.True(File.Exists(item), "a vault item was removed");
            Assert.True(File.Exists(Path.Combine(env.VaultDirectory, "bob")));
        }

        private static string Place(TestEnvironment env, string name, TimeSpan age)
        {
            string path = Path.Combine(env.VaultDirectory, name);
            File.WriteAllText(path, "eyJhbGciOi.left.by.a.killed.writer");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }
    }
}
