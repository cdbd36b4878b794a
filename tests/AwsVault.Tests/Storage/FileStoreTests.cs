using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AwsVault.Internal;
using AwsVault.Storage;
using AwsVault.Storage.Jwe;
using Xunit;
using Xunit.Abstractions;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Storage
{
    // Microsoft.PowerShell.SDK brings a top-level namespace Json (JsonSchema.Net), which C# finds before the
    // type imported by `using AwsVault.Internal`; the alias inside this namespace is found first.
    using Json = AwsVault.Internal.Json;

    [Collection(ProcessEnvironment.Name)]
    public class FileStoreTests
    {
        private const string Passphrase = "correct horse battery staple";
        private readonly ITestOutputHelper _output;

        public FileStoreTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void KeyRoundTrips()
        {
            using var vault = new TempVault();
            var store = vault.Open(Passphrase);
            Assert.Equal("file", store.Backend);
            Assert.Equal(Path.GetFullPath(vault.VaultDir), store.Location);

            store.SetKey("dev", TestKeys.Example);
            AccessKey key = vault.Open(Passphrase).GetKey("dev");
            Assert.Equal(TestKeys.ExampleId, key.AccessKeyId);
            Assert.Equal(TestKeys.ExampleSecret, key.SecretAccessKey);
            Assert.True(File.Exists(Path.Combine(vault.VaultDir, "dev")));
        }

        [Fact]
        public void WrittenItemIsWhatAwsVaultWrites()
        {
            using var vault = new TempVault();
            vault.Open(Passphrase).SetKey("dev", TestKeys.Example);
            string token = File.ReadAllText(Path.Combine(vault.VaultDir, "dev"));

            // Decoded by an independent JOSE implementation.
            string payload = Jose.JWT.Decode(token, Passphrase);
            Assert.Equal(JweTokenTests.KatItemJson, payload);
            var headers = Jose.JWT.Headers(token);
            Assert.Equal("PBES2-HS256+A128KW", headers["alg"]);
            Assert.Equal("A256GCM", headers["enc"]);
            Assert.Equal(8192L, Convert.ToInt64(headers["p2c"]));
            Assert.Matches("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? \\+0000 UTC$", (string)headers["created"]);
        }

        [Fact]
        public void ReadsTheKnownAnswerItem()
        {
            using var vault = new TempVault();
            Directory.CreateDirectory(vault.VaultDir);
            File.WriteAllText(Path.Combine(vault.VaultDir, "dev"), JweTokenTests.KatToken);

            var store = vault.Open(JweTokenTests.KatPassphrase);
            Assert.Equal(new[] { "dev" }, store.ListProfilesWithKeys());
            AccessKey key = store.GetKey("dev");
            Assert.Equal(TestKeys.ExampleId, key.AccessKeyId);
            Assert.Equal(TestKeys.ExampleSecret, key.SecretAccessKey);
        }

        [Fact]
        public void ReadsAnItemJoseJwtWrote()
        {
            using var vault = new TempVault();
            Directory.CreateDirectory(vault.VaultDir);
            AccessKey random = TestKeys.Random();
            // Field names in other cases and extra fields, as Go's decoder allows.
            string data = "{\"accessKeyId\":\"" + random.AccessKeyId + "\",\"secretaccesskey\":\"" + random.SecretAccessKey + "\",\"ProviderName\":\"x\"}";
            string item = "{\"key\":\"prod/admin\",\"DATA\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(data)) + "\",\"Label\":null,\"Extra\":[1,2]}";
            string token = Jose.JWT.Encode(item, Passphrase, Jose.JweAlgorithm.PBES2_HS256_A128KW, Jose.JweEncryption.A256GCM,
                extraHeaders: new Dictionary<string, object> { ["p2c"] = 8192 });
            File.WriteAllText(Path.Combine(vault.VaultDir, "prod%2Fadmin"), token);

            var store = vault.Open(Passphrase);
            Assert.Equal(new[] { "prod/admin" }, store.ListProfilesWithKeys());
            AccessKey key = store.GetKey("prod/admin");
            Assert.Equal(random.AccessKeyId, key.AccessKeyId);
            Assert.Equal(random.SecretAccessKey, key.SecretAccessKey);
        }

        [Fact]
        public void MissingItemsNeedNoPassphrase()
        {
            using var vault = new TempVault();
            var store = vault.Open(new ForbiddenPassphrase());
            Assert.Null(store.GetKey("dev"));
            Assert.False(store.HasKey("dev"));
            Assert.False(store.RemoveKey("dev"));
            var session = new SessionKey(SessionKey.GetSessionTokenType, "dev", "", DateTimeOffset.UtcNow.AddHours(1));
            Assert.Null(store.GetSession(session));
            Assert.False(store.RemoveSession(session));
            Assert.Empty(store.ListProfilesWithKeys());
            Assert.Empty(store.ListSessions());
            Assert.False(Directory.Exists(vault.VaultDir));
        }

        [Fact]
        public void ListingHasAndRemoveNeverAskForThePassphrase()
        {
            using var vault = new TempVault();
            var writer = vault.Open(Passphrase);
            writer.SetKey("dev", TestKeys.Random());
            writer.SetKey("prod", TestKeys.Random());
            var s1 = new SessionKey(SessionKey.GetSessionTokenType, "dev", "arn:aws:iam::111122223333:mfa/me", DateTimeOffset.UtcNow.AddHours(1));
            var s2 = new SessionKey(SessionKey.AssumeRoleType, "prod", "", DateTimeOffset.UtcNow.AddHours(2));
            writer.SetSession(s1, "{\"AccessKeyId\":\"ASIAEXAMPLE\"}");
            writer.SetSession(s2, "{}");
            File.WriteAllText(Path.Combine(vault.VaultDir, "oidc:https%3A%2F%2Fexample.awsapps.com%2Fstart"), "x");

            var store = vault.Open(new ForbiddenPassphrase());
            Assert.Equal(new[] { "dev", "prod" }, store.ListProfilesWithKeys());
            Assert.True(store.HasKey("dev"));
            Assert.False(store.HasKey("staging"));
            Assert.Equal(new[] { s1, s2 }.OrderBy(s => s.ToString(), StringComparer.Ordinal), store.ListSessions());
            var listed = store.ListSessions().Single(s => s.Equals(s1));
            Assert.Equal("dev", listed.ProfileName);
            Assert.Equal("arn:aws:iam::111122223333:mfa/me", listed.MfaSerial);
            Assert.True(store.RemoveSession(s1));
            Assert.False(store.RemoveSession(s1));
            Assert.True(store.RemoveKey("prod"));
            Assert.Equal(new[] { "dev" }, store.ListProfilesWithKeys());
            Assert.Single(store.ListSessions());
        }

        [Fact]
        public void SessionsRoundTrip()
        {
            using var vault = new TempVault();
            var store = vault.Open(Passphrase);
            var key = new SessionKey(SessionKey.AssumeRoleType, "prod/admin", "arn:aws:iam::111122223333:mfa/me", new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
            string json = "{\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"" + TestKeys.Random().SecretAccessKey + "\",\"SessionToken\":\"tok<&>\",\"Expiration\":\"2030-01-02T03:04:05Z\"}";
            store.SetSession(key, json);

            Assert.True(File.Exists(Path.Combine(vault.VaultDir, key.ToString())));
            Assert.Equal(json, vault.Open(Passphrase).GetSession(key));
            Assert.Empty(store.ListProfilesWithKeys());

            string token = File.ReadAllText(Path.Combine(vault.VaultDir, key.ToString()));
            var item = Json.ParseObject(Jose.JWT.Decode(token, Passphrase));
            Assert.Equal(key.ToString(), item["Key"]);
            Assert.Equal("aws-vault session for prod/admin (expires 2030-01-02T03:04:05Z)", item["Label"]);
            Assert.Equal("aws-vault session", item["Description"]);
            Assert.Equal(json, Encoding.UTF8.GetString(Convert.FromBase64String((string)item["Data"])));
        }

        [Fact]
        public void SessionDataMustBeJson()
        {
            using var vault = new TempVault();
            var key = new SessionKey(SessionKey.GetSessionTokenType, "dev", "", DateTimeOffset.UtcNow.AddHours(1));
            var e = Assert.Throws<ArgumentException>(() => vault.Open(new ForbiddenPassphrase()).SetSession(key, "secret-not-json"));
            Assert.DoesNotContain("secret-not-json", e.Message);
        }

        [Theory]
        [InlineData("team/dev", "team%2Fdev")]
        [InlineData("100%", "100%25")]
        [InlineData("a%2Fb/c", "a%252Fb%2Fc")]
        [InlineData(".hidden", "%2Ehidden")]
        [InlineData("ünïcødé", "ünïcødé")]
        [InlineData("with space", "with space")]
        public void FileNamesEscapeSlashAndPercent(string profile, string fileName)
        {
            if (OperatingSystem.IsWindows()) return; // Windows escapes more; see FileNameCodecTests.
            using var vault = new TempVault();
            AccessKey random = TestKeys.Random();
            vault.Open(Passphrase).SetKey(profile, random);

            Assert.Equal(new[] { fileName }, Directory.GetFiles(vault.VaultDir).Select(Path.GetFileName));
            var store = vault.Open(Passphrase);
            Assert.Equal(new[] { profile }, store.ListProfilesWithKeys());
            Assert.True(store.HasKey(profile));
            Assert.Equal(random.SecretAccessKey, store.GetKey(profile).SecretAccessKey);
            Assert.True(store.RemoveKey(profile));
            Assert.Empty(Directory.GetFiles(vault.VaultDir));
        }

        [Fact]
        public void ReservedNamesAreNotProfiles()
        {
            using var vault = new TempVault();
            var store = vault.Open(new ForbiddenPassphrase());
            var e = Assert.Throws<AwsVaultException>(() => store.SetKey("oidc:https://example", TestKeys.Example));
            Assert.Equal("InvalidProfileName", e.ErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.Category);
            string sessionName = new SessionKey(SessionKey.GetSessionTokenType, "dev", "", DateTimeOffset.UtcNow).ToString();
            Assert.Throws<AwsVaultException>(() => store.SetKey(sessionName, TestKeys.Example));
            Assert.Throws<AwsVaultException>(() => store.SetKey("", TestKeys.Example));
            Assert.Null(store.GetKey(sessionName));
            Assert.False(store.HasKey("oidc:x"));

            Directory.CreateDirectory(vault.VaultDir);
            File.WriteAllText(Path.Combine(vault.VaultDir, "session:dev:arn:1234"), "x");
            File.WriteAllText(Path.Combine(vault.VaultDir, "dev session (1234)"), "x");
            File.WriteAllText(Path.Combine(vault.VaultDir, ".DS_Store"), "x");
            File.WriteAllText(Path.Combine(vault.VaultDir, ".tmp-1-abc"), "x");
            Assert.Empty(store.ListProfilesWithKeys());
            Assert.Empty(store.ListSessions());
        }

        [Fact]
        public void ModesAreOwnerOnly()
        {
            if (OperatingSystem.IsWindows()) return;
            using var vault = new TempVault();
            string nested = Path.Combine(vault.VaultDir, "deeper", "keys");
            var store = new FileStore(nested, new FixedPassphrase(Passphrase));
            store.SetKey("dev", TestKeys.Random());
            store.SetSession(new SessionKey(SessionKey.GetSessionTokenType, "dev", "", DateTimeOffset.UtcNow.AddHours(1)), "{}");

            const UnixFileMode dirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            const UnixFileMode fileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(dirMode, File.GetUnixFileMode(vault.VaultDir));
            Assert.Equal(dirMode, File.GetUnixFileMode(Path.Combine(vault.VaultDir, "deeper")));
            Assert.Equal(dirMode, File.GetUnixFileMode(nested));
            foreach (string file in Directory.GetFiles(nested))
            {
                Assert.Equal(fileMode, File.GetUnixFileMode(file));
            }

            // Overwriting keeps the mode exactly 0600 even when the old file had other bits.
            File.SetUnixFileMode(Path.Combine(nested, "dev"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            store.SetKey("dev", TestKeys.Random());
            Assert.Equal(fileMode, File.GetUnixFileMode(Path.Combine(nested, "dev")));
        }

        [Fact]
        public void ExistingDirectoryModeIsLeftAlone()
        {
            if (OperatingSystem.IsWindows()) return;
            using var vault = new TempVault();
            Directory.CreateDirectory(vault.VaultDir);
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
            File.SetUnixFileMode(vault.VaultDir, mode);
            vault.Open(Passphrase).SetKey("dev", TestKeys.Random());
            Assert.Equal(mode, File.GetUnixFileMode(vault.VaultDir));
        }

        [Fact]
        public void WritesLeaveNoTempFiles()
        {
            using var vault = new TempVault();
            var store = vault.Open(Passphrase);
            for (int i = 0; i < 5; i++) store.SetKey("dev", TestKeys.Random());
            store.SetKey("prod", TestKeys.Random());
            Assert.Equal(new[] { "dev", "prod" }, Directory.GetFileSystemEntries(vault.VaultDir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void FailedWriteLeavesNoTempFileAndKeepsTheOldItem()
        {
            if (OperatingSystem.IsWindows()) return;
            using var vault = new TempVault();
            var store = vault.Open(Passphrase);
            AccessKey first = TestKeys.Random();
            store.SetKey("dev", first);
            // A directory where the item file should be makes the final rename fail.
            Directory.CreateDirectory(Path.Combine(vault.VaultDir, "blocked"));
            var e = Assert.Throws<AwsVaultException>(() => store.SetKey("blocked", TestKeys.Random()));
            Assert.Equal("VaultIoFailed", e.ErrorId);
            Assert.Equal(ErrorCategory.WriteError, e.Category);
            Assert.Equal(new[] { "blocked", "dev" }, Directory.GetFileSystemEntries(vault.VaultDir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(first.SecretAccessKey, store.GetKey("dev").SecretAccessKey);
        }

        [Fact]
        public void WrongPassphraseOnWriteChangesNothing()
        {
            using var vault = new TempVault();
            var good = vault.Open(Passphrase);
            good.SetKey("dev", TestKeys.Random());
            good.SetKey("prod", TestKeys.Random());
            good.SetSession(new SessionKey(SessionKey.GetSessionTokenType, "dev", "", DateTimeOffset.UtcNow.AddHours(1)), "{}");
            var before = vault.Snapshot();

            var source = new FixedPassphrase("not the passphrase");
            var store = vault.Open(source);
            var e = Assert.Throws<AwsVaultException>(() => store.SetKey("staging", TestKeys.Random()));
            Assert.Equal("VaultPassphraseIncorrect", e.ErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, e.Category);
            Assert.Contains(store.Location, e.Message);
            Assert.Contains("AWS_VAULT_FILE_PASSPHRASE", e.Message);
            Assert.DoesNotContain("not the passphrase", e.Message);
            Assert.Equal(1, source.Forgotten);
            Assert.Equal(store.Location, source.LastDirectory);

            Assert.Throws<AwsVaultException>(() => store.SetKey("dev", TestKeys.Random()));
            Assert.Throws<AwsVaultException>(() => store.SetSession(new SessionKey(SessionKey.AssumeRoleType, "x", "", DateTimeOffset.UtcNow.AddHours(1)), "{}"));
            Assert.Equal(before, vault.Snapshot());
        }

        [Fact]
        public void WrongPassphraseOnReadIsTheSameError()
        {
            using var vault = new TempVault();
            vault.Open(Passphrase).SetKey("dev", TestKeys.Random());
            var source = new FixedPassphrase("wrong");
            var e = Assert.Throws<AwsVaultException>(() => vault.Open(source).GetKey("dev"));
            Assert.Equal("VaultPassphraseIncorrect", e.ErrorId);
            Assert.Equal(1, source.Forgotten);
        }

        [Fact]
        public void CorruptItemsAreSkippedWhenCheckingThePassphrase()
        {
            using var vault = new TempVault();
            Directory.CreateDirectory(vault.VaultDir);
            File.WriteAllText(Path.Combine(vault.VaultDir, "aaa"), "garbage");
            File.WriteAllText(Path.Combine(vault.VaultDir, "bbb"), "a.b.c.d.e");
            vault.Open(Passphrase).SetKey("dev", TestKeys.Random());

            // Now "dev" is under Passphrase: another passphrase is refused even though two items are junk.
            var e = Assert.Throws<AwsVaultException>(() => vault.Open("other").SetKey("new", TestKeys.Random()));
            Assert.Equal("VaultPassphraseIncorrect", e.ErrorId);
        }

        [Fact]
        public void PassphraseIsAcceptedWhenOneItemUnwrapsEvenIfOthersUseAnother()
        {
            using var vault = new TempVault();
            vault.Open("old").SetKey("a-old", TestKeys.Random());
            vault.Open("old").SetKey("b-old", TestKeys.Random());
            Directory.CreateDirectory(vault.VaultDir);
            File.WriteAllText(Path.Combine(vault.VaultDir, "c-new"), JweToken.Encrypt(Encoding.UTF8.GetBytes(FileVaultItem.ForAccessKey("c-new", TestKeys.Random()).ToJson()), "new"));
            vault.Open("new").SetKey("d-new", TestKeys.Random());
            Assert.NotNull(vault.Open("new").GetKey("d-new"));
        }

        [Fact]
        public void ThreeRefusalsAreEnoughToCallThePassphraseWrong()
        {
            using var vault = new TempVault();
            for (int i = 0; i < 4; i++) vault.Open("old").SetKey("p" + i, TestKeys.Random());
            // Only the fifth item (tried last in name order) would accept "new".
            File.WriteAllText(Path.Combine(vault.VaultDir, "z"), JweToken.Encrypt(Encoding.UTF8.GetBytes(FileVaultItem.ForAccessKey("z", TestKeys.Random()).ToJson()), "new"));
            var e = Assert.Throws<AwsVaultException>(() => vault.Open("new").SetKey("q", TestKeys.Random()));
            Assert.Equal("VaultPassphraseIncorrect", e.ErrorId);
        }

        [Fact]
        public void VerifiedPassphraseIsNotCheckedAgain()
        {
            using var vault = new TempVault();
            vault.Open(Passphrase).SetKey("dev", TestKeys.Random());
            FileStore.ResetVerifiedPassphrases();
            vault.Open(Passphrase).SetKey("prod", TestKeys.Random()); // checked once, against "dev"

            // Now every item refuses the passphrase; a second check could only fail.
            foreach (string name in new[] { "dev", "prod" })
            {
                File.WriteAllText(Path.Combine(vault.VaultDir, name), JweToken.Encrypt(Encoding.UTF8.GetBytes(FileVaultItem.ForAccessKey(name, TestKeys.Random()).ToJson()), "other"));
            }
            vault.Open(Passphrase).SetKey("qa", TestKeys.Random());
            Assert.NotNull(vault.Open(Passphrase).GetKey("qa"));

            // Verification is per directory: the same passphrase in another vault is checked there.
            using var other = new TempVault();
            other.Open("other").SetKey("x", TestKeys.Random());
            Assert.Equal("VaultPassphraseIncorrect", Assert.Throws<AwsVaultException>(() => other.Open(Passphrase).SetKey("y", TestKeys.Random())).ErrorId);
        }

        [Fact]
        public void CorruptItemIsNamedAndOthersStillRead()
        {
            using var vault = new TempVault();
            var store = vault.Open(Passphrase);
            AccessKey dev = TestKeys.Random();
            store.SetKey("dev", dev);
            store.SetKey("prod", TestKeys.Random());
            store.SetKey("qa", TestKeys.Random());
            string prodPath = Path.Combine(vault.VaultDir, "prod");
            string qaPath = Path.Combine(vault.VaultDir, "qa");

            File.WriteAllText(prodPath, "this is not a token");
            var e = Assert.Throws<AwsVaultException>(() => vault.Open(Passphrase).GetKey("prod"));
            Assert.Equal("VaultItemCorrupt", e.ErrorId);
            Assert.Equal(ErrorCategory.InvalidData, e.Category);
            Assert.Contains("'prod'", e.Message);
            Assert.Contains(prodPath, e.Message);
            Assert.Contains("Delete the file", e.Message);
            Assert.DoesNotContain("this is not a token", e.Message);

            // Damage after a good unwrap (GCM tag) is corruption too, not a wrong passphrase.
            string[] parts = File.ReadAllText(qaPath).Split('.');
            parts[3] = (parts[3][0] == 'A' ? "B" : "A") + parts[3].Substring(1);
            File.WriteAllText(qaPath, string.Join(".", parts));
            var source = new FixedPassphrase(Passphrase);
            e = Assert.Throws<AwsVaultException>(() => vault.Open(source).GetKey("qa"));
            Assert.Equal("VaultItemCorrupt", e.ErrorId);
            Assert.Equal(0, source.Forgotten);

            Assert.Equal(dev.SecretAccessKey, vault.Open(Passphrase).GetKey("dev").SecretAccessKey);
            Assert.Equal(new[] { "dev", "prod", "qa" }, vault.Open(new ForbiddenPassphrase()).ListProfilesWithKeys());
            // Writing still works: corrupt items are skipped by the passphrase check.
            FileStore.ResetVerifiedPassphrases();
            vault.Open(Passphrase).SetKey("prod", TestKeys.Random());
            Assert.NotNull(vault.Open(Passphrase).GetKey("prod"));
        }

        [Theory]
        [InlineData("not json at all")]
        [InlineData("{\"Key\":\"dev\",\"Data\":\"%%%\"}")]
        [InlineData("{\"Key\":\"dev\",\"Data\":null}")]
        [InlineData("{\"Key\":\"dev\",\"Data\":\"bm90IGpzb24=\"}")]
        [InlineData("{\"Key\":\"dev\",\"Data\":\"e30=\"}")]
        [InlineData("{\"Key\":1}")]
        public void BadPayloadsAreCorrupt(string payload)
        {
            using var vault = new TempVault();
            Directory.CreateDirectory(vault.VaultDir);
            File.WriteAllText(Path.Combine(vault.VaultDir, "dev"), JweToken.Encrypt(Encoding.UTF8.GetBytes(payload), Passphrase));
            var e = Assert.Throws<AwsVaultException>(() => vault.Open(Passphrase).GetKey("dev"));
            Assert.Equal("VaultItemCorrupt", e.ErrorId);
            Assert.DoesNotContain(payload, e.Message);
        }

        [Fact]
        public void CorruptSessionSaysDeletingIsEnough()
        {
            using var vault = new TempVault();
            var key = new SessionKey(SessionKey.GetSessionTokenType, "dev", "", DateTimeOffset.UtcNow.AddHours(1));
            Directory.CreateDirectory(vault.VaultDir);
            File.WriteAllText(Path.Combine(vault.VaultDir, key.ToString()), "bad");
            var e = Assert.Throws<AwsVaultException>(() => vault.Open(Passphrase).GetSession(key));
            Assert.Equal("VaultItemCorrupt", e.ErrorId);
            Assert.Contains("cached session", e.Message);
        }

        [Fact]
        public void HotPathsTouchOneFile()
        {
            using var vault = new TempVault();
            vault.Open(Passphrase).SetKey("dev", TestKeys.Random());
            // Fifty valid items, each with its own salt: decrypting them all would derive fifty keys.
            for (int i = 0; i < 50; i++)
            {
                File.WriteAllText(Path.Combine(vault.VaultDir, "other" + i),
                    JweToken.Encrypt(Encoding.UTF8.GetBytes(FileVaultItem.ForAccessKey("other" + i, TestKeys.Random()).ToJson()), Passphrase, null, 1000));
            }
            Pbes2KeyCache.Clear();

            var source = new FixedPassphrase(Passphrase);
            var store = vault.Open(source);
            store.SetKey("prod", TestKeys.Random());   // one derivation, for the new salt
            store.GetKey("prod");                      // same salt: cached
            store.RemoveKey("prod");
            store.GetKey("dev");                       // one more derivation
            Assert.Equal(2, Pbes2KeyCache.Count);
            Assert.Equal(3, source.Asked); // asked only when a file is encrypted or decrypted
        }

        [Fact]
        public void ConcurrentWritersLoseNothing()
        {
            using var vault = new TempVault();
            vault.Open(Passphrase).SetKey("seed", TestKeys.Random());
            const int writers = 8, perWriter = 6;
            var expected = new Dictionary<string, AccessKey>[writers];
            var sharedValues = new HashSet<string>();
            var errors = new List<Exception>();
            using var stop = new CancellationTokenSource();

            // Readers poll the item every writer overwrites; they must always see a whole item.
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                var store = vault.Open(Passphrase);
                while (!stop.IsCancellationRequested)
                {
                    try { store.GetKey("shared"); }
                    catch (Exception e) { lock (errors) errors.Add(e); }
                }
            })).ToArray();

            Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
            {
                var store = vault.Open(Passphrase);
                expected[w] = new Dictionary<string, AccessKey>();
                for (int i = 0; i < perWriter; i++)
                {
                    var key = TestKeys.Random();
                    string profile = "w" + w + "-" + i;
                    store.SetKey(profile, key);
                    expected[w][profile] = key;
                    var shared = TestKeys.Random();
                    lock (sharedValues) sharedValues.Add(shared.SecretAccessKey);
                    store.SetKey("shared", shared);
                }
            });
            stop.Cancel();
            Task.WaitAll(readers);

            Assert.Empty(errors);
            var check = vault.Open(Passphrase);
            var listed = check.ListProfilesWithKeys();
            Assert.Equal(writers * perWriter + 2, listed.Count);
            foreach (var pair in expected.SelectMany(d => d))
            {
                Assert.Equal(pair.Value.SecretAccessKey, check.GetKey(pair.Key).SecretAccessKey);
            }
            Assert.Contains(check.GetKey("shared").SecretAccessKey, sharedValues);
            Assert.DoesNotContain(Directory.GetFileSystemEntries(vault.VaultDir), f => Path.GetFileName(f).StartsWith(".", StringComparison.Ordinal));
        }

        [Fact]
        public void EmptyPassphraseCounts()
        {
            using var vault = new TempVault();
            vault.Open("").SetKey("dev", TestKeys.Example);
            Assert.Equal(TestKeys.ExampleSecret, vault.Open("").GetKey("dev").SecretAccessKey);
            Assert.Equal(TestKeys.ExampleSecret, Json.ParseObject(Encoding.UTF8.GetString(Convert.FromBase64String((string)Json.ParseObject(
                Jose.JWT.Decode(File.ReadAllText(Path.Combine(vault.VaultDir, "dev")), ""))["Data"])))["SecretAccessKey"]);
        }

        [Fact]
        public void NullPassphraseIsAnError()
        {
            using var vault = new TempVault();
            var e = Assert.Throws<AwsVaultException>(() => vault.Open((string)null).SetKey("dev", TestKeys.Example));
            Assert.Equal("VaultPassphraseMissing", e.ErrorId);
        }

        [Fact]
        public void LabelsAreEscapedLikeGo()
        {
            using var vault = new TempVault();
            vault.Open(Passphrase).SetKey("a<b>&c", TestKeys.Example);
            string payload = Jose.JWT.Decode(File.ReadAllText(Path.Combine(vault.VaultDir, "a<b>&c")), Passphrase);
            Assert.Contains("\"Label\":\"aws-vault (a\\u003cb\\u003e\\u0026c)\"", payload);
        }

        [Fact]
        public void ErrorsNeverContainSecrets()
        {
            using var vault = new TempVault();
            AccessKey key = TestKeys.Random();
            vault.Open(Passphrase).SetKey("dev", key);
            var messages = new List<string>
            {
                Assert.Throws<AwsVaultException>(() => vault.Open("wrong passphrase text").GetKey("dev")).Message,
                Assert.Throws<AwsVaultException>(() => vault.Open("wrong passphrase text").SetKey("x", key)).Message,
            };
            File.WriteAllText(Path.Combine(vault.VaultDir, "dev"), File.ReadAllText(Path.Combine(vault.VaultDir, "dev")).Replace('.', ','));
            messages.Add(Assert.Throws<AwsVaultException>(() => vault.Open(Passphrase).GetKey("dev")).Message);
            foreach (string m in messages)
            {
                Assert.DoesNotContain("wrong passphrase text", m);
                Assert.DoesNotContain(Passphrase, m);
                Assert.DoesNotContain(key.SecretAccessKey, m);
                Assert.DoesNotContain(key.AccessKeyId, m);
            }
        }
    }

    [Collection(ProcessEnvironment.Name)]
    public class FileNameCodecTests
    {
        [Theory]
        [InlineData("dev", "dev", "dev")]
        [InlineData("a/b", "a%2Fb", "a%2Fb")]
        [InlineData("50%", "50%25", "50%25")]
        [InlineData(".x", "%2Ex", "%2Ex")]
        [InlineData("a.b", "a.b", "a.b")]
        [InlineData("a\\b:c*d?e\"f<g>h|i", "a\\b:c*d?e\"f<g>h|i", "a%5Cb%3Ac%2Ad%3Fe%22f%3Cg%3Eh%7Ci")]
        [InlineData("tab\there", "tab\there", "tab%09here")]
        [InlineData("ends.", "ends.", "ends%2E")]
        [InlineData("ends ", "ends ", "ends%20")]
        [InlineData("con", "con", "%63on")]
        [InlineData("NUL.txt", "NUL.txt", "%4EUL.txt")]
        [InlineData("console", "console", "console")]
        [InlineData("oidc:https://x", "oidc:https:%2F%2Fx", "oidc%3Ahttps%3A%2F%2Fx")]
        public void EncodesAndDecodes(string key, string unix, string windows)
        {
            Assert.Equal(unix, FileNameCodec.Encode(key, forWindows: false));
            Assert.Equal(windows, FileNameCodec.Encode(key, forWindows: true));
            Assert.Equal(key, FileNameCodec.Decode(unix));
            Assert.Equal(key, FileNameCodec.Decode(windows));
        }

        [Theory]
        [InlineData("100%", "100%")]
        [InlineData("a%zz", "a%zz")]
        [InlineData("a%2", "a%2")]
        [InlineData("%2f", "/")]
        [InlineData("%C3%A9", "é")]
        [InlineData("%C3", "%C3")]
        [InlineData("\U0001F511%2F", "\U0001F511/")]
        public void DecodingIsLenient(string name, string key)
        {
            Assert.Equal(key, FileNameCodec.Decode(name));
        }
    }
}
