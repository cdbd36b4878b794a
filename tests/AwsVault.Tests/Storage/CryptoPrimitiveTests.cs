using System;
using System.Security.Cryptography;
using System.Text;
using AwsVault.Storage.Jwe;
using Xunit;
using static AwsVault.Tests.Storage.TestKeys;

namespace AwsVault.Tests.Storage
{
    public class Pbkdf2Sha256Tests
    {
        [Fact]
        public void MatchesPublishedVector()
        {
            // PBKDF2-HMAC-SHA256 vector from RFC 7914 §11.
            byte[] key = Pbkdf2Sha256.Derive(Encoding.ASCII.GetBytes("passwd"), Encoding.ASCII.GetBytes("salt"), 1, 64);
            Assert.Equal(Hex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"), key);
        }

        [Theory]
        [InlineData("", 8, 1, 16)]
        [InlineData("correct horse battery staple", 30, 8192, 16)]
        [InlineData("p\u00e4ssw\u00f6rd \U0001F511", 12, 1000, 32)]
        [InlineData("a passphrase longer than one sixty-four byte SHA-256 block, so HMAC hashes the key first", 16, 3, 33)]
        [InlineData("x", 0, 2, 65)]
        public void MatchesBcl(string password, int saltLength, int iterations, int length)
        {
            byte[] pw = Encoding.UTF8.GetBytes(password);
            byte[] salt = RandomNumberGenerator.GetBytes(saltLength);
            byte[] expected = Rfc2898DeriveBytes.Pbkdf2(pw, salt, iterations, HashAlgorithmName.SHA256, length);
            Assert.Equal(expected, Pbkdf2Sha256.Derive(pw, salt, iterations, length));
        }
    }

    public class AesKeyWrapTests
    {
        // RFC 3394 §4.1–4.6.
        [Theory]
        [InlineData("000102030405060708090A0B0C0D0E0F", "00112233445566778899AABBCCDDEEFF", "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5")]
        [InlineData("000102030405060708090A0B0C0D0E0F1011121314151617", "00112233445566778899AABBCCDDEEFF", "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D")]
        [InlineData("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "00112233445566778899AABBCCDDEEFF", "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7")]
        [InlineData("000102030405060708090A0B0C0D0E0F1011121314151617", "00112233445566778899AABBCCDDEEFF0001020304050607", "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2")]
        [InlineData("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "00112233445566778899AABBCCDDEEFF0001020304050607", "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1")]
        [InlineData("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F", "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21")]
        public void MatchesRfc3394(string kek, string key, string wrapped)
        {
            Assert.Equal(Hex(wrapped), AesKeyWrap.Wrap(Hex(kek), Hex(key)));
            Assert.True(AesKeyWrap.TryUnwrap(Hex(kek), Hex(wrapped), out byte[] unwrapped));
            Assert.Equal(Hex(key), unwrapped);
        }

        [Fact]
        public void UnwrapWithWrongKeyReportsIntegrityFailure()
        {
            byte[] kek = RandomNumberGenerator.GetBytes(16);
            byte[] cek = RandomNumberGenerator.GetBytes(32);
            byte[] wrapped = AesKeyWrap.Wrap(kek, cek);
            kek[0] ^= 1;
            Assert.False(AesKeyWrap.TryUnwrap(kek, wrapped, out byte[] result));
            Assert.Null(result);
        }

        [Fact]
        public void TamperedWrapReportsIntegrityFailure()
        {
            byte[] kek = RandomNumberGenerator.GetBytes(16);
            byte[] wrapped = AesKeyWrap.Wrap(kek, RandomNumberGenerator.GetBytes(32));
            wrapped[20] ^= 0x80;
            Assert.False(AesKeyWrap.TryUnwrap(kek, wrapped, out _));
        }

        [Fact]
        public void MalformedLengthsAreNotIntegrityFailures()
        {
            byte[] kek = new byte[16];
            Assert.Throws<ArgumentException>(() => AesKeyWrap.TryUnwrap(kek, new byte[23], out _));
            Assert.Throws<ArgumentException>(() => AesKeyWrap.TryUnwrap(kek, new byte[16], out _));
            Assert.Throws<ArgumentException>(() => AesKeyWrap.Wrap(kek, new byte[12]));
            Assert.Throws<ArgumentException>(() => AesKeyWrap.Wrap(new byte[15], new byte[16]));
        }
    }

    public class AesGcm256Tests
    {
        private const string P64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
        private const string P60 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
        private const string Aad20 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
        private const string K128 = "feffe9928665731c6d6a8f9467308308";
        private const string K256 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";

        // The test cases of McGrew & Viega, "The Galois/Counter Mode of Operation", as used by NIST.
        [Theory]
        [InlineData("00000000000000000000000000000000", "000000000000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a")]
        [InlineData("00000000000000000000000000000000", "000000000000000000000000", "00000000000000000000000000000000", "", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf")]
        [InlineData(K128, "cafebabefacedbaddecaf888", P64, "", "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985", "4d5c2af327cd64a62cf35abd2ba6fab4")]
        [InlineData(K128, "cafebabefacedbaddecaf888", P60, Aad20, "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091", "5bc94fbc3221a5db94fae95ae7121a47")]
        [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b")]
        [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919")]
        [InlineData(K256, "cafebabefacedbaddecaf888", P64, "", "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad", "b094dac5d93471bdec1a502270e3cc6c")]
        [InlineData(K256, "cafebabefacedbaddecaf888", P60, Aad20, "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662", "76fc6ece0f4e1768cddf8853bb2d551b")]
        // (The 64- and 480-bit IV vectors of the GCM spec are gone: the platform's AesGcm takes 96-bit nonces
        // only, which is all A256GCM uses.)
        public void MatchesPublishedVectors(string key, string iv, string plaintext, string aad, string ciphertext, string tag)
        {
            byte[] c = AesGcm256.Encrypt(Hex(key), Hex(iv), Hex(plaintext), Hex(aad), out byte[] t);
            Assert.Equal(Hex(ciphertext), c);
            Assert.Equal(Hex(tag), t);

            Assert.True(AesGcm256.TryDecrypt(Hex(key), Hex(iv), Hex(ciphertext), Hex(tag), Hex(aad), out byte[] p));
            Assert.Equal(Hex(plaintext), p);
        }

        public static TheoryData<int, int> Lengths()
        {
            var data = new TheoryData<int, int>();
            foreach (int p in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 4097 })
            {
                foreach (int a in new[] { 0, 1, 13, 16, 20, 47, 300 })
                {
                    data.Add(p, a);
                }
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(Lengths))]
        public void MatchesBclOnRandomInput(int plaintextLength, int aadLength)
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            byte[] nonce = RandomNumberGenerator.GetBytes(12);
            byte[] plaintext = RandomNumberGenerator.GetBytes(plaintextLength);
            byte[] aad = RandomNumberGenerator.GetBytes(aadLength);

            var expectedCiphertext = new byte[plaintextLength];
            var expectedTag = new byte[16];
            using (var bcl = new System.Security.Cryptography.AesGcm(key, 16))
            {
                bcl.Encrypt(nonce, plaintext, expectedCiphertext, expectedTag, aad);
            }

            byte[] ciphertext = AesGcm256.Encrypt(key, nonce, plaintext, aad, out byte[] tag);
            Assert.Equal(expectedCiphertext, ciphertext);
            Assert.Equal(expectedTag, tag);

            Assert.True(AesGcm256.TryDecrypt(key, nonce, ciphertext, tag, aad, out byte[] decrypted));
            Assert.Equal(plaintext, decrypted);
        }

        [Theory]
        [InlineData("ciphertext")]
        [InlineData("tag")]
        [InlineData("aad")]
        [InlineData("nonce")]
        public void AnyChangeFailsTheTag(string part)
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            byte[] nonce = RandomNumberGenerator.GetBytes(12);
            byte[] aad = RandomNumberGenerator.GetBytes(20);
            byte[] ciphertext = AesGcm256.Encrypt(key, nonce, RandomNumberGenerator.GetBytes(40), aad, out byte[] tag);
            byte[] target = part switch { "ciphertext" => ciphertext, "tag" => tag, "aad" => aad, _ => nonce };
            target[target.Length - 1] ^= 1;

            Assert.False(AesGcm256.TryDecrypt(key, nonce, ciphertext, tag, aad, out byte[] plaintext));
            Assert.Null(plaintext);
        }

        [Fact]
        public void ShortTagIsRejected()
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            byte[] nonce = RandomNumberGenerator.GetBytes(12);
            byte[] ciphertext = AesGcm256.Encrypt(key, nonce, new byte[5], null, out byte[] tag);
            Assert.False(AesGcm256.TryDecrypt(key, nonce, ciphertext, tag.AsSpan(0, 12).ToArray(), null, out _));
        }
    }
}
