using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Storage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Issue item 4: the file vault's add, get and remove with 1, 100 and 1,000 items already in the directory;
    /// each must cost the same whatever the count. Each operation is paired with the plain file-system work it
    /// cannot avoid (its category's baseline), so the ratio is the vault's own cost. Listing is O(items) by
    /// nature and is here because every Get-AwsVaultSession lists the directory (ChainBuilder, SessionCache).
    /// The items already present are copies of one real item under other names: building 1,000 distinct ones
    /// would take 1,000 PBKDF2 runs per case, and only their number matters to these operations.
    /// </summary>
    [Config(typeof(MicroConfig))]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public class FileVaultBenchmarks
    {
        [Params(1, 100, 1_000)]
        public int Items { get; set; }

        private string _dir;
        private FileStore _store;
        private AccessKey _key;
        private byte[] _itemBytes;
        private string _removePath;
        private string _rawTarget;

        [GlobalSetup]
        public void Setup()
        {
            try
            {
                _dir = Path.Combine(Path.GetTempPath(), "awsvault-bench-vault-" + Guid.NewGuid().ToString("N").Substring(0, 8));
                Internals.ForgetProcessMemory();
                _store = new FileStore(_dir, new FixedPassphrase(Sandbox.Passphrase));
                _key = new AccessKey(Sts.DevKeyId, Sts.DevSecret);
                _store.SetKey("seed", _key);
                _itemBytes = File.ReadAllBytes(_store.PathFor("seed"));
                for (int i = 1; i < Items; i++) File.WriteAllBytes(Path.Combine(_dir, "profile-" + i.ToString("D4")), _itemBytes);
                if (_store.ListProfilesWithKeys().Count != Items) throw new InvalidOperationException("The vault should hold " + Items + " items.");
                _removePath = _store.PathFor("bench-remove");
                _rawTarget = Path.Combine(_dir, "raw-target");
                // The first write of a process checks the passphrase against an item; a shell pays it once.
                _store.SetKey("bench-add", _key);
                if (_store.GetKey("seed")?.AccessKeyId != Sts.DevKeyId) throw new InvalidOperationException("The seed item does not read back.");
            }
            catch
            {
                Cleanup();
                throw;
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            Internals.ForgetProcessMemory();
            if (_dir != null) try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        // ---- add --------------------------------------------------------------------------------------------

        /// <summary>What AtomicFile does without the crypto: temp file, fsync, rename, fsync of the directory.</summary>
        [Benchmark(Baseline = true, Description = "raw: temp file + fsync + rename + dir fsync"), BenchmarkCategory("Add")]
        public void RawAtomicWrite()
        {
            string temp = Path.Combine(_dir, ".tmp-raw");
            using (var fs = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                fs.Write(_itemBytes, 0, _itemBytes.Length);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, _rawTarget, overwrite: true);
            SyncDirectory(_dir);
        }

        [Benchmark(Description = "FileStore.SetKey (new salt: PBKDF2 + AES-GCM + atomic write)"), BenchmarkCategory("Add")]
        public void SetKey() => _store.SetKey("bench-add", _key);

        // ---- get --------------------------------------------------------------------------------------------

        [Benchmark(Baseline = true, Description = "raw: File.ReadAllBytes"), BenchmarkCategory("Get")]
        public byte[] RawRead() => File.ReadAllBytes(_store.PathFor("seed"));

        [Benchmark(Description = "FileStore.GetKey (PBKDF2 result cached, as in a shell)"), BenchmarkCategory("Get")]
        public object GetKey() => _store.GetKey("seed");

        [Benchmark(Description = "FileStore.GetKey, new process (PBKDF2 each time)"), BenchmarkCategory("Get")]
        public object GetKeyNewProcess()
        {
            Internals.ForgetDerivedKeys();
            return _store.GetKey("seed");
        }

        // ---- remove -----------------------------------------------------------------------------------------

        [Benchmark(Baseline = true, Description = "raw: write file + File.Delete"), BenchmarkCategory("Remove")]
        public void RawWriteDelete()
        {
            File.WriteAllBytes(_removePath, _itemBytes);
            File.Delete(_removePath);
        }

        [Benchmark(Description = "raw write + FileStore.RemoveKey"), BenchmarkCategory("Remove")]
        public bool WriteThenRemoveKey()
        {
            File.WriteAllBytes(_removePath, _itemBytes);
            return _store.RemoveKey("bench-remove");
        }

        // ---- list -------------------------------------------------------------------------------------------

        [Benchmark(Baseline = true, Description = "raw: Directory.GetFiles"), BenchmarkCategory("List")]
        public string[] RawList() => Directory.GetFiles(_dir);

        // ListSessions is the same scan with a different filter; SessionCache calls it on every store lookup.
        [Benchmark(Description = "FileStore.ListProfilesWithKeys"), BenchmarkCategory("List")]
        public IReadOnlyList<string> ListProfiles() => _store.ListProfilesWithKeys();

        private static void SyncDirectory(string dir)
        {
            if (OperatingSystem.IsWindows()) return;
            int fd = open(dir, 0 /* O_RDONLY */);
            if (fd < 0) return;
            fsync(fd);
            close(fd);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }
}
