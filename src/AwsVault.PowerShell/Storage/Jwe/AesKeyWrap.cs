using System;
using System.Security.Cryptography;

namespace AwsVault.Storage.Jwe
{
    /// <summary>
    /// AES Key Wrap (RFC 3394) with the default IV. In PBES2 the wrap's integrity check is the only thing
    /// that tells a wrong passphrase from a right one, so unwrap reports that failure on its own
    /// (a false return) rather than as a generic exception.
    /// </summary>
    internal static class AesKeyWrap
    {
        private const ulong DefaultIv = 0xA6A6A6A6A6A6A6A6UL;

        public static byte[] Wrap(byte[] kek, byte[] keyData)
        {
            CheckKek(kek);
            if (keyData == null) throw new ArgumentNullException(nameof(keyData));
            if (keyData.Length < 16 || keyData.Length % 8 != 0) throw new ArgumentException("Key data must be a multiple of 8 bytes, at least 16.", nameof(keyData));

            int n = keyData.Length / 8;
            var r = new byte[keyData.Length];
            Buffer.BlockCopy(keyData, 0, r, 0, keyData.Length);
            var block = new byte[16];
            var output = new byte[16];
            ulong a = DefaultIv;

            using (Aes aes = CreateAes(kek))
            using (ICryptoTransform enc = aes.CreateEncryptor())
            {
                for (int j = 0; j < 6; j++)
                {
                    for (int i = 0; i < n; i++)
                    {
                        BigEndian.WriteUInt64(block, 0, a);
                        Buffer.BlockCopy(r, i * 8, block, 8, 8);
                        enc.TransformBlock(block, 0, 16, output, 0);
                        ulong t = (ulong)(n * j + i + 1);
                        a = BigEndian.ReadUInt64(output, 0) ^ t;
                        Buffer.BlockCopy(output, 8, r, i * 8, 8);
                    }
                }
            }

            var result = new byte[keyData.Length + 8];
            BigEndian.WriteUInt64(result, 0, a);
            Buffer.BlockCopy(r, 0, result, 8, r.Length);
            Array.Clear(r, 0, r.Length);
            Array.Clear(block, 0, block.Length);
            Array.Clear(output, 0, output.Length);
            return result;
        }

        /// <summary>
        /// Unwraps; false means the integrity check failed (with PBES2: the passphrase is wrong).
        /// Malformed input lengths throw ArgumentException, because that is a broken token, not a wrong key.
        /// </summary>
        public static bool TryUnwrap(byte[] kek, byte[] wrapped, out byte[] keyData)
        {
            CheckKek(kek);
            if (wrapped == null) throw new ArgumentNullException(nameof(wrapped));
            if (wrapped.Length < 24 || wrapped.Length % 8 != 0) throw new ArgumentException("Wrapped key must be a multiple of 8 bytes, at least 24.", nameof(wrapped));

            int n = wrapped.Length / 8 - 1;
            var r = new byte[n * 8];
            Buffer.BlockCopy(wrapped, 8, r, 0, r.Length);
            ulong a = BigEndian.ReadUInt64(wrapped, 0);
            var block = new byte[16];
            var output = new byte[16];

            using (Aes aes = CreateAes(kek))
            using (ICryptoTransform dec = aes.CreateDecryptor())
            {
                for (int j = 5; j >= 0; j--)
                {
                    for (int i = n - 1; i >= 0; i--)
                    {
                        ulong t = (ulong)(n * j + i + 1);
                        BigEndian.WriteUInt64(block, 0, a ^ t);
                        Buffer.BlockCopy(r, i * 8, block, 8, 8);
                        dec.TransformBlock(block, 0, 16, output, 0);
                        a = BigEndian.ReadUInt64(output, 0);
                        Buffer.BlockCopy(output, 8, r, i * 8, 8);
                    }
                }
            }
            Array.Clear(block, 0, block.Length);
            Array.Clear(output, 0, output.Length);

            if (a != DefaultIv)
            {
                Array.Clear(r, 0, r.Length);
                keyData = null;
                return false;
            }
            keyData = r;
            return true;
        }

        private static void CheckKek(byte[] kek)
        {
            if (kek == null) throw new ArgumentNullException(nameof(kek));
            if (kek.Length != 16 && kek.Length != 24 && kek.Length != 32) throw new ArgumentException("A key-encryption key is 16, 24 or 32 bytes.", nameof(kek));
        }

        internal static Aes CreateAes(byte[] key)
        {
            Aes aes = Aes.Create();
            aes.Mode = CipherMode.ECB;
            aes.Padding = PaddingMode.None;
            aes.Key = key;
            return aes;
        }
    }
}
