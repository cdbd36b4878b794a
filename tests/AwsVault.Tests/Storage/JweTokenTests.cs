using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using AwsVault.Internal;
using AwsVault.Storage.Jwe;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Storage
{
    [Collection(ProcessEnvironment.Name)]
    public class JweTokenTests
    {
        private const string Passphrase = "correct horse battery staple";

        // Made once with jose-jwt 5.3.0 (PBES2-HS256+A128KW, A256GCM, p2c 8192) from the item below and
        // the passphrase "kat passphrase é"; kept so a change in any primitive shows up as a mismatch here.
        internal const string KatPassphrase = "kat passphrase \u00e9";
        internal const string KatToken =
            "eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ciLCJwMnMiOiJNV1hlZS11ZkE2NGlnb3BCIiwiZW5jIjoiQTI1NkdDTSIsInAyYyI6ODE5MiwiY3JlYXRlZCI6IjIwMjQtMDEtMDIgMDM6MDQ6MDUuMTIzNDU2Nzg5ICswMDAwIFVUQyJ9" +
            ".IiOklT6vx6vMvDGXqDeor07CfnDrdp0UKsorkFvkR0kRb1MfyEWI-g" +
            ".MM4aBSgKxOBHFliB" +
            "._6JEV0Ej_4_fOZ8eK0l-yDhpJhHJfmya1Max4J_pTBcrBuW8S3jZU4CwDJtxtpz7MVBQORzz6E6BgiEFjj-_77fltEWKxpguKo7xepeoNZbUaJL-ETAx5WWpxxv4svwgjlhLpioWnDgQn-l7zdNpQgaJHzc-dDJ1kJ5S0CRdti5QU-Xh_MMZ2RN_i_6b9Zm77GLitGtBCyAjRPRb2megpj_umDiEXiHURnLXsXpHfMiMFtVe5SVodbS_JomYkssiaFZZlKpgwipPNId2wQVKSGYIRQgl0E7UlZQy8Lmlj6gvIvg8yI38CWe8t_Xjm8l0jsyTuM_Kkl7ZWopRidtKfWaaKknDf3yx0w9fBBznN1MNgNKt4xOqrU0I8149GYL7SQMpXsfBp1r0wf8qf5sNsIB8eNibZpvseNir0lRGxciESGOPdiORD5t5oS1X5QLjnLuU1WTwhLtPXT33a1JMyyoYJ9bvpCYWJFQcjNd_4FWHGCzruB1A" +
            ".SDZk_77KlF360V7qvr7LgA";

        internal const string KatCredentialsJson =
            "{\"AccessKeyID\":\"AKIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"SessionToken\":\"\",\"Source\":\"\",\"CanExpire\":false,\"Expires\":\"0001-01-01T00:00:00Z\"}";

        internal static string KatItemJson =>
            "{\"Key\":\"dev\",\"Data\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(KatCredentialsJson)) +
            "\",\"Label\":\"aws-vault (dev)\",\"Description\":\"\",\"KeychainNotTrustApplication\":true,\"KeychainNotSynchronizable\":false}";

        [Fact]
        public void DecryptsTheKnownAnswerToken()
        {
            byte[] payload = JweToken.Decrypt(KatToken, KatPassphrase);
            Assert.Equal(KatItemJson, Encoding.UTF8.GetString(payload));
        }

        [Fact]
        public void KnownAnswerTokenWithWrongPassphraseIsWrongPassphrase()
        {
            var e = Assert.Throws<JweException>(() => JweToken.Decrypt(KatToken, "kat passphrase e"));
            Assert.Equal(JweFailure.WrongPassphrase, e.Failure);
        }

        [Fact]
        public void JoseJwtDecodesWhatWeWrite()
        {
            byte[] payload = Encoding.UTF8.GetBytes(KatItemJson);
            string token = JweToken.Encrypt(payload, Passphrase, new[] { new KeyValuePair<string, string>("created", "2024-01-02 03:04:05 +0000 UTC") });

            Assert.Equal(KatItemJson, Jose.JWT.Decode(token, Passphrase));
            var headers = Jose.JWT.Headers(token);
            Assert.Equal("PBES2-HS256+A128KW", headers["alg"]);
            Assert.Equal("A256GCM", headers["enc"]);
            Assert.Equal(8192L, Convert.ToInt64(headers["p2c"]));
            Assert.Equal("2024-01-02 03:04:05 +0000 UTC", headers["created"]);
            Assert.True(Base64Url.TryDecode((string)headers["p2s"], out byte[] salt));
            Assert.Equal(12, salt.Length);
        }

        [Fact]
        public void HeaderIsWrittenAsGoWritesAMap()
        {
            string token = JweToken.Encrypt(new byte[] { 1 }, Passphrase, new[] { new KeyValuePair<string, string>("created", "now") });
            Assert.True(Base64Url.TryDecode(token.Split('.')[0], out byte[] header));
            Assert.Matches("^\\{\"alg\":\"PBES2-HS256\\+A128KW\",\"created\":\"now\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"[A-Za-z0-9_-]{16}\"\\}$", Encoding.UTF8.GetString(header));
        }

        [Fact]
        public void WeDecryptWhatJoseJwtWrites()
        {
            string payload = "{\"Key\":\"x\",\"Data\":null}";
            string token = Jose.JWT.Encode(payload, Passphrase, Jose.JweAlgorithm.PBES2_HS256_A128KW, Jose.JweEncryption.A256GCM,
                extraHeaders: new Dictionary<string, object> { ["p2c"] = 8192 });
            Assert.Equal(payload, Encoding.UTF8.GetString(JweToken.Decrypt(token, Passphrase)));
        }

        [Theory]
        [InlineData(1000)]
        [InlineData(4096)]
        [InlineData(20000)]
        public void AcceptsOtherIterationCounts(int p2c)
        {
            string token = Jose.JWT.Encode("{}", Passphrase, Jose.JweAlgorithm.PBES2_HS256_A128KW, Jose.JweEncryption.A256GCM,
                extraHeaders: new Dictionary<string, object> { ["p2c"] = p2c });
            Assert.Equal("{}", Encoding.UTF8.GetString(JweToken.Decrypt(token, Passphrase)));
        }

        [Theory]
        [InlineData("999")]
        [InlineData("1000001")]
        [InlineData("0")]
        [InlineData("-8192")]
        [InlineData("8192.5")]
        [InlineData("\"8192\"")]
        [InlineData("1e300")]
        public void RejectsIterationCountsOutsideTheBoundsAsCorrupt(string p2c)
        {
            string token = WithHeader("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":" + p2c + ",\"p2s\":\"AAAAAAAAAAAAAAAA\"}");
            AssertCorrupt(() => JweToken.Decrypt(token, Passphrase));
        }

        [Fact]
        public void AcceptsIterationCountWrittenAsAFloat()
        {
            string token = JweToken.Encrypt(new byte[] { 42 }, Passphrase);
            string header = Decode(token.Split('.')[0]).Replace("\"p2c\":8192", "\"p2c\":8192.0");
            // The AAD changes with the header, so only parsing is checked here.
            Assert.Equal(8192, JweToken.Parse(WithHeader(header, token)).Iterations);
        }

        [Theory]
        [InlineData(8)]
        [InlineData(12)]
        [InlineData(32)]
        public void AcceptsAnySaltOfAtLeastEightBytes(int saltLength)
        {
            string p2s = Base64Url.Encode(new byte[saltLength]);
            string token = WithHeader("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"" + p2s + "\"}");
            Assert.Equal(saltLength, JweToken.Parse(token).Salt.Length);
        }

        [Theory]
        [InlineData(8, 1000)]
        [InlineData(32, 8192)]
        [InlineData(64, 100000)]
        public void DecryptsTokensBuiltFromBclPrimitives(int saltLength, int p2c)
        {
            // Built step by step from RFC 7518 with the BCL's PBKDF2 and AES-GCM, so this checks the salt
            // input (alg || 0x00 || p2s) and the AAD independently of our own encrypt path.
            byte[] salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(saltLength);
            string header = "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":" + p2c + ",\"p2s\":\"" + Base64Url.Encode(salt) + "\"}";
            string headerPart = Base64Url.Encode(Encoding.UTF8.GetBytes(header));
            byte[] fullSalt = new byte[19 + saltLength];
            Encoding.ASCII.GetBytes("PBES2-HS256+A128KW").CopyTo(fullSalt, 0);
            salt.CopyTo(fullSalt, 19);
            byte[] kek = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Passphrase), fullSalt, p2c, System.Security.Cryptography.HashAlgorithmName.SHA256, 16);
            byte[] cek = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            byte[] iv = System.Security.Cryptography.RandomNumberGenerator.GetBytes(12);
            byte[] plaintext = Encoding.UTF8.GetBytes("{\"Key\":\"k\"}");
            byte[] ciphertext = new byte[plaintext.Length];
            byte[] tag = new byte[16];
            using (var gcm = new System.Security.Cryptography.AesGcm(cek, 16))
            {
                gcm.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(headerPart));
            }
            string token = string.Join(".", headerPart, Base64Url.Encode(AesKeyWrap.Wrap(kek, cek)), Base64Url.Encode(iv), Base64Url.Encode(ciphertext), Base64Url.Encode(tag));

            Assert.Equal(plaintext, JweToken.Decrypt(token, Passphrase));
            Assert.Equal("{\"Key\":\"k\"}", Jose.JWT.Decode(token, Passphrase));
        }

        [Theory]
        [InlineData("")]
        [InlineData("not a token")]
        [InlineData("a.b.c")]
        [InlineData("a.b.c.d.e.f")]
        [InlineData("!!!.b.c.d.e")]
        public void MalformedTokensAreCorrupt(string token)
        {
            AssertCorrupt(() => JweToken.Decrypt(token, Passphrase));
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\"")]
        [InlineData("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"AAAAAAAAAAAAAAAA\"}")]
        [InlineData("{\"alg\":\"PBES2-HS512+A256KW\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"AAAAAAAAAAAAAAAA\"}")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128CBC-HS256\",\"p2c\":8192,\"p2s\":\"AAAAAAAAAAAAAAAA\"}")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2s\":\"AAAAAAAAAAAAAAAA\"}")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":8192}")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"AAAAAAAAAA\"}")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"A*AAAAAAAAAA\"}")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"AAAAAAAAAAAAAAAA\",\"zip\":\"DEF\"}")]
        [InlineData("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":8192,\"p2s\":\"AAAAAAAAAAAAAAAA\",\"crit\":[\"x\"]}")]
        public void BadHeadersAreCorrupt(string header)
        {
            AssertCorrupt(() => JweToken.Decrypt(WithHeader(header), Passphrase));
        }

        [Theory]
        [InlineData(1)] // encrypted key
        [InlineData(2)] // IV
        [InlineData(4)] // tag
        public void WrongPartLengthsAreCorrupt(int part)
        {
            string[] parts = JweToken.Encrypt(new byte[] { 1, 2, 3 }, Passphrase).Split('.');
            parts[part] = parts[part].Substring(0, parts[part].Length - 2);
            AssertCorrupt(() => JweToken.Decrypt(string.Join(".", parts), Passphrase));
        }

        [Fact]
        public void WrongPassphraseIsTellableFromDamage()
        {
            string token = JweToken.Encrypt(Encoding.UTF8.GetBytes("{\"a\":1}"), Passphrase);

            var wrong = Assert.Throws<JweException>(() => JweToken.Decrypt(token, Passphrase + "!"));
            Assert.Equal(JweFailure.WrongPassphrase, wrong.Failure);

            // The key unwraps, but the content no longer matches its tag: damage, not a wrong passphrase.
            string[] parts = token.Split('.');
            char[] ciphertext = parts[3].ToCharArray();
            ciphertext[0] = ciphertext[0] == 'A' ? 'B' : 'A';
            parts[3] = new string(ciphertext);
            AssertCorrupt(() => JweToken.Decrypt(string.Join(".", parts), Passphrase));

            parts = token.Split('.');
            parts[4] = Base64Url.Encode(new byte[16]);
            AssertCorrupt(() => JweToken.Decrypt(string.Join(".", parts), Passphrase));
        }

        [Fact]
        public void HeaderIsAuthenticated()
        {
            // Same alg/enc/p2c/p2s, one extra member: the KEK and CEK still work but the AAD differs.
            string token = JweToken.Encrypt(new byte[] { 1 }, Passphrase, new[] { new KeyValuePair<string, string>("created", "a") });
            string header = Decode(token.Split('.')[0]).Replace("\"created\":\"a\"", "\"created\":\"b\"");
            AssertCorrupt(() => JweToken.Decrypt(WithHeader(header, token), Passphrase));
        }

        [Fact]
        public void ExtraHeadersCannotReplaceTheAlgorithmParameters()
        {
            foreach (string name in new[] { "alg", "enc", "p2c", "p2s", "zip", "crit" })
            {
                Assert.Throws<ArgumentException>(() => JweToken.Encrypt(new byte[1], Passphrase, new[] { new KeyValuePair<string, string>(name, "x") }));
            }
        }

        [Fact]
        public void ErrorsDoNotContainTheTokenOrThePassphrase()
        {
            string token = JweToken.Encrypt(Encoding.UTF8.GetBytes("{\"secret\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}"), Passphrase);
            string[] parts = token.Split('.');
            var failures = new List<JweException>
            {
                Assert.Throws<JweException>(() => JweToken.Decrypt(token, "wrong")),
                Assert.Throws<JweException>(() => JweToken.Decrypt(parts[0] + ".x.y.z.w", Passphrase)),
                Assert.Throws<JweException>(() => JweToken.Decrypt(WithHeader("{\"alg\":\"" + Passphrase + "\"}"), Passphrase)),
            };
            foreach (var e in failures)
            {
                Assert.DoesNotContain(Passphrase, e.Message);
                foreach (string part in parts) Assert.DoesNotContain(part, e.Message);
            }
        }

        [Fact]
        public void RereadingATokenUsesTheCachedKey()
        {
            string token = JweToken.Encrypt(new byte[] { 7 }, Passphrase + Guid.NewGuid());
            Pbes2KeyCache.Clear();
            Assert.Throws<JweException>(() => JweToken.Decrypt(token, Passphrase));
            int afterFirst = Pbes2KeyCache.Count;
            Assert.Throws<JweException>(() => JweToken.Decrypt(token, Passphrase));
            Assert.Equal(afterFirst, Pbes2KeyCache.Count);
            Assert.Equal(1, afterFirst);
        }

        [Fact]
        public void KeyCacheIsBounded()
        {
            Pbes2KeyCache.Clear();
            for (int i = 0; i < Pbes2KeyCache.Capacity + 20; i++)
            {
                Pbes2KeyCache.GetOrDerive(new byte[] { 1 }, BitConverter.GetBytes(i), 1000, 16, () => new byte[16]);
            }
            Assert.Equal(Pbes2KeyCache.Capacity, Pbes2KeyCache.Count);
            Pbes2KeyCache.Clear();
        }

        [Fact]
        public void CreatedLooksLikeGoTimeString()
        {
            var t = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1234500);
            Assert.Equal("2024-05-06 05:08:09.12345 +0000 UTC", JweToken.FormatCreated(t));
            Assert.Equal("2024-05-06 05:08:09 +0000 UTC", JweToken.FormatCreated(new DateTimeOffset(2024, 5, 6, 5, 8, 9, TimeSpan.Zero)));
        }

        private static void AssertCorrupt(Func<object> action)
        {
            var e = Assert.Throws<JweException>(action);
            Assert.Equal(JweFailure.Corrupt, e.Failure);
        }

        private static string Decode(string part)
        {
            Assert.True(Base64Url.TryDecode(part, out byte[] bytes));
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A token with the given header and the other four parts of a real token.</summary>
        private static string WithHeader(string header, string token = null)
        {
            token = token ?? JweToken.Encrypt(new byte[] { 1, 2, 3 }, Passphrase);
            int dot = token.IndexOf('.');
            return Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + token.Substring(dot);
        }
    }
}
