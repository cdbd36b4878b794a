using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using System.Text;
using AwsVault.Internal;
using AwsVault.Sso;
using AwsVault.Storage;
using AwsVault.Tests.Engine;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using AwsVault.Tests.Storage;
using Xunit;

namespace AwsVault.Tests.Sso
{
    internal static class SsoSamples
    {
        public const string StartUrl = "https://example.awsapps.com/start";
        public const string AccessToken = "access-token-7f3a9c1e";
        public const string RefreshToken = "refresh-token-b2d4e6f8";
        public const string ClientId = "client-id-5a6b7c";
        public const string ClientSecret = "client-secret-9d8e7f";

        public static readonly string[] Secrets = { AccessToken, RefreshToken, ClientSecret };

        public static SsoStoredToken Token(DateTimeOffset expiresAt, bool withRefresh = true) => new SsoStoredToken
        {
            StartUrl = StartUrl,
            Region = "eu-west-1",
            AccessToken = AccessToken,
            ExpiresAt = expiresAt,
            RefreshToken = withRefresh ? RefreshToken : null,
            Registration = withRefresh
                ? new SsoClientRegistration(ClientId, ClientSecret, new DateTimeOffset(2027, 3, 4, 5, 6, 7, TimeSpan.Zero), new[] { "sso:account:access" })
                : null,
        };

        public static void AssertSame(SsoStoredToken expected, SsoStoredToken actual)
        {
            Assert.NotNull(actual);
            Assert.Equal(expected.StartUrl, actual.StartUrl);
            Assert.Equal(expected.Region, actual.Region);
            Assert.Equal(expected.AccessToken, actual.AccessToken);
            Assert.Equal(expected.ExpiresAt.ToUnixTimeSeconds(), actual.ExpiresAt.ToUnixTimeSeconds());
            Assert.Equal(expected.RefreshToken, actual.RefreshToken);
            if (expected.Registration == null)
            {
                Assert.Null(actual.Registration);
                return;
            }
            Assert.Equal(expected.Registration.ClientId, actual.Registration.ClientId);
            Assert.Equal(expected.Registration.ClientSecret, actual.Registration.ClientSecret);
            Assert.Equal(expected.Registration.ExpiresAt, actual.Registration.ExpiresAt);
            Assert.Equal(expected.Registration.Scopes, actual.Registration.Scopes);
        }
    }

    /// <summary>Sign-ins kept in the file vault and the in-memory store: encrypted, and invisible to the profile and
    /// session listings.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class VaultSsoTokenStoreTests : IDisposable
    {
        private static readonly DateTimeOffset Expires = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);
        private readonly TempVault _vault = new TempVault();

        public void Dispose() => _vault.Dispose();

        [Fact]
        public void RoundTripsThroughTheFileVaultEncrypted()
        {
            FileStore store = _vault.Open("pass");
            var tokens = new VaultSsoTokenStore(store);
            SsoStoredToken token = SsoSamples.Token(Expires);

            tokens.Set("my-sso", token);
            tokens.Set(SsoSamples.StartUrl, SsoSamples.Token(Expires, withRefresh: false));

            SsoSamples.AssertSame(token, new VaultSsoTokenStore(_vault.Open("pass")).Get("my-sso"));
            SsoSamples.AssertSame(SsoSamples.Token(Expires, withRefresh: false), tokens.Get(SsoSamples.StartUrl));
            Assert.Null(tokens.Get("other"));

            // One file per sign-in, named like aws-vault's oidc items, and no secret readable on disk.
            Assert.True(File.Exists(store.PathFor("oidc:my-sso")));
            Assert.True(File.Exists(store.PathFor("oidc:" + SsoSamples.StartUrl)));
            foreach (string file in Directory.GetFiles(_vault.VaultDir))
            {
                string text = File.ReadAllText(file);
                foreach (string secret in SsoSamples.Secrets.Append(SsoSamples.ClientId)) Assert.DoesNotContain(secret, text);
                Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(SsoSamples.AccessToken)), text);
            }
        }

        [Fact]
        public void ListingsIgnoreSignInsAndRemoveDeletesOnlyTheSignIn()
        {
            FileStore store = _vault.Open("pass");
            store.SetKey("dev", new AccessKey("AKIAEXAMPLE12345678", "secret/key+value"));
            var session = new SessionKey(SessionKey.GetSessionTokenType, "dev", "", Expires);
            store.SetSession(session, "{\"AccessKeyId\":\"ASIA\"}");
            var tokens = new VaultSsoTokenStore(store);
            tokens.Set("my-sso", SsoSamples.Token(Expires));
            // A session name that SessionKey could parse must still not surface as a session.
            tokens.Set("a,ZGV2,,1893456000", SsoSamples.Token(Expires));

            FileStore reader = _vault.Open(new ForbiddenPassphrase());
            Assert.Equal(new[] { "dev" }, reader.ListProfilesWithKeys());
            Assert.Equal(new[] { session }, reader.ListSessions());
            Assert.Equal(new[] { "a,ZGV2,,1893456000", "my-sso" }, reader.ListSsoTokens());
            Assert.False(reader.HasKey("oidc:my-sso"));

            Assert.True(tokens.Remove("my-sso"));
            Assert.False(tokens.Remove("my-sso"));
            Assert.Null(tokens.Get("my-sso"));
            Assert.NotNull(store.GetKey("dev"));
            Assert.NotNull(store.GetSession(session));
        }

        [Fact]
        public void AProfileCannotTakeASignInsName()
        {
            FileStore store = _vault.Open("pass");
            var e = Assert.Throws<AwsVaultException>(() => store.SetKey("oidc:my-sso", new AccessKey("AKIAEXAMPLE12345678", "s")));
            Assert.Equal(ErrorIds.InvalidProfileName, e.ErrorId);
        }

        [Fact]
        public void ReadsTheItemAwsVaultWrites()
        {
            // What aws-vault's OIDCTokenKeyring stores (the fork's registration members included): CreateTokenOutput
            // in Token, the expiry in Expiration. No StartURL/Region: those are ours.
            FileStore store = _vault.Open("pass");
            store.SetSsoToken(SsoSamples.StartUrl,
                "{\"Token\":{\"AccessToken\":\"" + SsoSamples.AccessToken + "\",\"ExpiresIn\":3600,\"IdToken\":null,\"RefreshToken\":\"" + SsoSamples.RefreshToken +
                "\",\"TokenType\":\"Bearer\",\"ResultMetadata\":{}},\"Expiration\":\"2026-12-04T20:00:00.123456789+01:00\"," +
                "\"ClientID\":\"" + SsoSamples.ClientId + "\",\"ClientSecret\":\"" + SsoSamples.ClientSecret + "\",\"ClientSecretExpiresAt\":\"2027-03-04T05:06:07Z\"}");

            SsoStoredToken token = new VaultSsoTokenStore(store).Get(SsoSamples.StartUrl);

            Assert.Equal(SsoSamples.AccessToken, token.AccessToken);
            Assert.Equal(SsoSamples.RefreshToken, token.RefreshToken);
            Assert.Equal(new DateTimeOffset(2026, 12, 4, 19, 0, 0, TimeSpan.Zero).AddTicks(1234567), token.ExpiresAt);
            Assert.Equal(SsoSamples.ClientSecret, token.Registration.ClientSecret);
            Assert.Equal(new DateTimeOffset(2027, 3, 4, 5, 6, 7, TimeSpan.Zero), token.Registration.ExpiresAt);
        }

        [Fact]
        public void WritesAwsVaultsShape()
        {
            string json = VaultSsoTokenStore.ToJson(SsoSamples.Token(Expires), Expires.AddSeconds(-3600));
            Dictionary<string, object> obj = AwsVault.Internal.Json.ParseObject(json);
            var inner = (Dictionary<string, object>)obj["Token"];
            Assert.Equal(SsoSamples.AccessToken, inner["AccessToken"]);
            Assert.Equal(3600L, inner["ExpiresIn"]);
            Assert.Equal(SsoSamples.RefreshToken, inner["RefreshToken"]);
            Assert.Equal("2026-12-04T20:00:00Z", obj["Expiration"]);
            Assert.Equal(SsoSamples.ClientId, obj["ClientID"]);
            Assert.Equal("2027-03-04T05:06:07Z", obj["ClientSecretExpiresAt"]);
        }

        [Fact]
        public void AnUnreadableItemIsNoSignInAndTheReasonHoldsNoSecret()
        {
            var memory = new InMemoryStore();
            var logged = new List<string>();
            var tokens = new VaultSsoTokenStore(memory, logged.Add);
            memory.SetSsoToken("bad-json", "{\"Token\":");
            memory.SetSsoToken("no-expiry", "{\"Token\":{\"AccessToken\":\"" + SsoSamples.AccessToken + "\"}}");
            memory.SetSsoToken("no-access", "{\"Token\":{\"RefreshToken\":\"" + SsoSamples.RefreshToken + "\"},\"Expiration\":\"2026-12-04T20:00:00Z\"}");

            Assert.Null(tokens.Get("bad-json"));
            Assert.Null(tokens.Get("no-expiry"));
            Assert.Null(tokens.Get("no-access"));
            Assert.Equal(3, logged.Count);
            foreach (string line in logged)
            {
                foreach (string secret in SsoSamples.Secrets) Assert.DoesNotContain(secret, line);
            }
        }

        [Fact]
        public void RoundTripsThroughTheInMemoryStore()
        {
            var tokens = new VaultSsoTokenStore(new InMemoryStore());
            tokens.Set("k", SsoSamples.Token(Expires));
            SsoSamples.AssertSame(SsoSamples.Token(Expires), tokens.Get("k"));
            Assert.True(tokens.Remove("k"));
            Assert.Null(tokens.Get("k"));
        }
    }

    /// <summary>The same through SecretManagement (the stand-in): a string secret under its own prefix.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class SecretManagementSsoTokenStoreTests : StandInTestBase
    {
        [Fact]
        public void RoundTripsAndStaysOutOfTheListings()
        {
            Register("V");
            Runspace previous = Runspace.DefaultRunspace;
            Runspace.DefaultRunspace = Ps.Runspace;
            try
            {
                var store = new SecretManagementStore("V");
                var expires = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);
                store.SetKey("dev", new AccessKey("AKIAEXAMPLE12345678", "secret"));
                var tokens = new VaultSsoTokenStore(store);
                tokens.Set("my-sso", SsoSamples.Token(expires));
                tokens.Set(SsoSamples.StartUrl, SsoSamples.Token(expires, withRefresh: false));

                SsoSamples.AssertSame(SsoSamples.Token(expires), tokens.Get("my-sso"));
                SsoSamples.AssertSame(SsoSamples.Token(expires, withRefresh: false), tokens.Get(SsoSamples.StartUrl));
                Assert.Equal(new[] { "dev" }, store.ListProfilesWithKeys());
                Assert.Empty(store.ListSessions());
                Assert.Equal(new[] { "https://example.awsapps.com/start", "my-sso" }, store.ListSsoTokens());
                var names = Ok("Get-SecretInfo -Vault V | ForEach-Object Name").Output.Select(o => o.ToString()).ToList();
                Assert.Contains(SecretNameCodec.SsoTokenPrefix + "my-2Dsso", names);
                Assert.All(names, n => Assert.Matches("^[A-Za-z0-9-]+$", n));

                Assert.True(tokens.Remove("my-sso"));
                Assert.False(tokens.Remove("my-sso"));
                Assert.Null(tokens.Get("my-sso"));
                Assert.NotNull(store.GetKey("dev"));
            }
            finally
            {
                Runspace.DefaultRunspace = previous;
            }
        }
    }

    /// <summary>The AWS CLI's ~/.aws/sso/cache, written here as the CLI writes it and read without a change.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class AwsCliSsoTokenCacheTests : IDisposable
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 4, 19, 0, 0, TimeSpan.Zero);
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "awsvault-ssocache-" + Guid.NewGuid().ToString("N").Substring(0, 12));

        public AwsCliSsoTokenCacheTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        private static string Sha1Name(string key) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant() + ".json";

        private void Write(string key, string json) => File.WriteAllText(Path.Combine(_dir, Sha1Name(key)), json);

        private static string SessionFile(string expiresAt, string registrationExpiresAt = "2027-03-04T05:06:07Z", bool refresh = true) =>
            "{\"startUrl\": \"" + SsoSamples.StartUrl + "\", \"region\": \"eu-west-1\", \"accessToken\": \"" + SsoSamples.AccessToken +
            "\", \"expiresAt\": \"" + expiresAt + "\", \"clientId\": \"" + SsoSamples.ClientId + "\", \"clientSecret\": \"" + SsoSamples.ClientSecret +
            "\", \"registrationExpiresAt\": \"" + registrationExpiresAt + "\"" + (refresh ? ", \"refreshToken\": \"" + SsoSamples.RefreshToken + "\"" : "") + "}";

        private static string LegacyFile(string expiresAt) =>
            "{\"startUrl\": \"" + SsoSamples.StartUrl + "\", \"region\": \"eu-west-1\", \"accessToken\": \"" + SsoSamples.AccessToken + "\", \"expiresAt\": \"" + expiresAt + "\"}";

        private Dictionary<string, string> Listing() =>
            Directory.GetFileSystemEntries(_dir).OrderBy(f => f, StringComparer.Ordinal)
                     .ToDictionary(f => f, f => File.GetLastWriteTimeUtc(f).Ticks + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

        [Fact]
        public void FileNameIsTheSha1HexOfTheKey()
        {
            // Known SHA-1 values, computed outside .NET.
            Assert.Equal("04f8e4a98c7d813fc1022c48992b4fe8aade4d50.json", AwsCliSsoTokenCache.FileNameFor("example-sso"));
            Assert.Equal(Sha1Name(SsoSamples.StartUrl), AwsCliSsoTokenCache.FileNameFor(SsoSamples.StartUrl));
        }

        [Fact]
        public void ReadsAnSsoSessionTokenWithItsRegistration()
        {
            Write("my-sso", SessionFile("2026-12-04T20:00:00Z"));
            SsoStoredToken token = new AwsCliSsoTokenCache(_dir).Read("my-sso", SsoSamples.StartUrl, Now, out string reason);
            Assert.Null(reason);
            Assert.Equal(SsoSamples.AccessToken, token.AccessToken);
            Assert.Equal(new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero), token.ExpiresAt);
            Assert.Equal(SsoSamples.RefreshToken, token.RefreshToken);
            Assert.Equal("eu-west-1", token.Region);
            Assert.Equal(SsoSamples.ClientId, token.Registration.ClientId);
            Assert.Equal(SsoSamples.ClientSecret, token.Registration.ClientSecret);
            Assert.Equal(new DateTimeOffset(2027, 3, 4, 5, 6, 7, TimeSpan.Zero), token.Registration.ExpiresAt);
        }

        [Fact]
        public void ReadsALegacyTokenInTheOlderUtcSpelling()
        {
            Write(SsoSamples.StartUrl, LegacyFile("2026-12-04T20:00:00UTC"));
            SsoStoredToken token = new AwsCliSsoTokenCache(_dir).Read(SsoSamples.StartUrl, SsoSamples.StartUrl, Now, out string reason);
            Assert.Null(reason);
            Assert.Equal(new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero), token.ExpiresAt);
            Assert.Null(token.RefreshToken);
            Assert.Null(token.Registration);
        }

        [Fact]
        public void AnExpiredTokenThatCanBeRefreshedIsReturned()
        {
            Write("my-sso", SessionFile("2026-12-04T18:00:00Z"));
            SsoStoredToken token = new AwsCliSsoTokenCache(_dir).Read("my-sso", SsoSamples.StartUrl, Now, out string reason);
            Assert.NotNull(token);
            Assert.False(token.IsValidAt(Now, TimeSpan.Zero));
            Assert.True(token.CanRefreshAt(Now));
        }

        [Theory]
        [InlineData("legacy-expired")]
        [InlineData("session-expired-no-refresh")]
        [InlineData("session-expired-registration-expired")]
        [InlineData("malformed")]
        [InlineData("not-an-object")]
        [InlineData("no-access-token")]
        [InlineData("no-expiry")]
        [InlineData("bad-expiry")]
        [InlineData("other-start-url")]
        [InlineData("missing")]
        public void UnusableFilesGiveNullAndAReasonWithoutSecrets(string kind)
        {
            string key = kind.StartsWith("legacy", StringComparison.Ordinal) ? SsoSamples.StartUrl : "my-sso";
            switch (kind)
            {
                case "legacy-expired": Write(key, LegacyFile("2026-12-04T18:59:59Z")); break;
                case "session-expired-no-refresh": Write(key, SessionFile("2026-12-04T18:00:00Z", refresh: false)); break;
                case "session-expired-registration-expired": Write(key, SessionFile("2026-12-04T18:00:00Z", "2026-12-01T00:00:00Z")); break;
                case "malformed": Write(key, "{\"accessToken\": \"" + SsoSamples.AccessToken + "\", "); break;
                case "not-an-object": Write(key, "[\"" + SsoSamples.AccessToken + "\"]"); break;
                case "no-access-token": Write(key, "{\"expiresAt\": \"2026-12-04T20:00:00Z\", \"refreshToken\": \"" + SsoSamples.RefreshToken + "\"}"); break;
                case "no-expiry": Write(key, "{\"accessToken\": \"" + SsoSamples.AccessToken + "\"}"); break;
                case "bad-expiry": Write(key, "{\"accessToken\": \"" + SsoSamples.AccessToken + "\", \"expiresAt\": 12}"); break;
                case "other-start-url": Write(key, SessionFile("2026-12-04T20:00:00Z").Replace(SsoSamples.StartUrl, "https://other.awsapps.com/start")); break;
            }
            SsoStoredToken token = new AwsCliSsoTokenCache(_dir).Read(key, SsoSamples.StartUrl, Now, out string reason);
            Assert.Null(token);
            Assert.False(string.IsNullOrEmpty(reason));
            foreach (string secret in SsoSamples.Secrets) Assert.DoesNotContain(secret, reason);
        }

        [Fact]
        public void AMissingDirectoryIsNoTokenAndIsNotCreated()
        {
            string dir = Path.Combine(_dir, "absent", "cache");
            Assert.Null(new AwsCliSsoTokenCache(dir).Read("my-sso", null, Now, out string reason));
            Assert.Contains("does not exist", reason);
            Assert.False(Directory.Exists(Path.Combine(_dir, "absent")));
        }

        [Fact]
        public void ReadingChangesNothingInTheCache()
        {
            Write("my-sso", SessionFile("2026-12-04T18:00:00Z"));
            Write(SsoSamples.StartUrl, LegacyFile("2026-12-04T18:00:00Z"));
            Write("broken", "{");
            File.SetLastWriteTimeUtc(Path.Combine(_dir, Sha1Name("my-sso")), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            var before = Listing();

            var cache = new AwsCliSsoTokenCache(_dir);
            foreach (string key in new[] { "my-sso", SsoSamples.StartUrl, "broken", "absent" })
            {
                cache.Read(key, SsoSamples.StartUrl, Now, out _);
                cache.Read(key, null, Now.AddDays(400), out _);
            }

            Assert.Equal(before, Listing());
        }
    }

    /// <summary>The default directory follows HOME as the rest of the module does.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class AwsCliSsoTokenCacheHomeTests
    {
        [Fact]
        public void DefaultDirectoryIsUnderHome()
        {
            using (var env = new TestEnvironment())
            {
                Assert.Equal(Path.Combine(env.Home, ".aws", "sso", "cache"), AwsCliSsoTokenCache.DefaultDirectory);
                string dir = Path.Combine(env.Home, ".aws", "sso", "cache");
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, AwsCliSsoTokenCache.FileNameFor("my-sso")),
                    "{\"startUrl\":\"" + SsoSamples.StartUrl + "\",\"region\":\"eu-west-1\",\"accessToken\":\"" + SsoSamples.AccessToken + "\",\"expiresAt\":\"2999-01-01T00:00:00Z\"}");
                Assert.Equal(SsoSamples.AccessToken, new AwsCliSsoTokenCache().Read("my-sso", SsoSamples.StartUrl, DateTimeOffset.UtcNow, out _).AccessToken);
            }
        }
    }
}
