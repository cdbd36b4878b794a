using System;
using System.Security.Cryptography;

namespace AwsVault.Storage.Jwe
{
    /// <summary>
    /// AES-GCM (NIST SP 800-38D) built on AES-ECB, because .NET Framework has no AesGcm class. Compiled only
    /// into the net472 build (Windows PowerShell, pwsh 7.2/7.3); the net8.0 build uses the platform's AesGcm
    /// through <see cref="AesGcm256"/>. 128-, 192- and 256-bit keys; tags are 16 bytes.
    /// GHASH multiplies with masks instead of branches or tables, so its timing does not depend on H or
    /// on the data; tags are compared in constant time, and nothing is decrypted before the tag checks.
    /// </summary>
    internal sealed class ManagedAesGcm : IDisposable
    {
        public const int TagSize = AesGcm256.TagSize;
        private const int BlockSize = 16;

        private readonly Aes _aes;
        private readonly ICryptoTransform _encryptor;
        private readonly ulong _hHi;
        private readonly ulong _hLo;
        private bool _disposed;

        public ManagedAesGcm(byte[] key)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            if (key.Length != 16 && key.Length != 24 && key.Length != 32) throw new ArgumentException("An AES key is 16, 24 or 32 bytes.", nameof(key));
            _aes = AesKeyWrap.CreateAes(key);
            _encryptor = _aes.CreateEncryptor();
            var h = new byte[BlockSize];
            _encryptor.TransformBlock(new byte[BlockSize], 0, BlockSize, h, 0);
            _hHi = BigEndian.ReadUInt64(h, 0);
            _hLo = BigEndian.ReadUInt64(h, 8);
            Array.Clear(h, 0, h.Length);
        }

        public void Encrypt(byte[] nonce, byte[] plaintext, byte[] ciphertext, byte[] tag, byte[] aad = null)
        {
            CheckState();
            if (plaintext == null) throw new ArgumentNullException(nameof(plaintext));
            if (ciphertext == null || ciphertext.Length != plaintext.Length) throw new ArgumentException("The ciphertext buffer must be as long as the plaintext.", nameof(ciphertext));
            if (tag == null || tag.Length != TagSize) throw new ArgumentException("The tag buffer must be 16 bytes.", nameof(tag));
            aad = aad ?? Array.Empty<byte>();

            byte[] j0 = ComputeJ0(nonce);
            Ctr(j0, plaintext, ciphertext);
            ComputeTag(j0, aad, ciphertext, tag);
            Array.Clear(j0, 0, j0.Length);
        }

        /// <summary>False when the tag does not match; the plaintext buffer is then left zeroed.</summary>
        public bool TryDecrypt(byte[] nonce, byte[] ciphertext, byte[] tag, byte[] plaintext, byte[] aad = null)
        {
            CheckState();
            if (ciphertext == null) throw new ArgumentNullException(nameof(ciphertext));
            if (plaintext == null || plaintext.Length != ciphertext.Length) throw new ArgumentException("The plaintext buffer must be as long as the ciphertext.", nameof(plaintext));
            if (tag == null) throw new ArgumentNullException(nameof(tag));
            aad = aad ?? Array.Empty<byte>();
            if (tag.Length != TagSize)
            {
                Array.Clear(plaintext, 0, plaintext.Length);
                return false;
            }

            byte[] j0 = ComputeJ0(nonce);
            var expected = new byte[TagSize];
            ComputeTag(j0, aad, ciphertext, expected);
            int diff = 0;
            for (int i = 0; i < TagSize; i++) diff |= expected[i] ^ tag[i];
            if (diff != 0)
            {
                Array.Clear(j0, 0, j0.Length);
                Array.Clear(plaintext, 0, plaintext.Length);
                return false;
            }
            Ctr(j0, ciphertext, plaintext);
            Array.Clear(j0, 0, j0.Length);
            return true;
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _encryptor.Dispose();
            _aes.Dispose();
        }

        private void CheckState()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(ManagedAesGcm));
        }

        private byte[] ComputeJ0(byte[] nonce)
        {
            if (nonce == null) throw new ArgumentNullException(nameof(nonce));
            if (nonce.Length == 0) throw new ArgumentException("The nonce must not be empty.", nameof(nonce));
            var j0 = new byte[BlockSize];
            if (nonce.Length == 12)
            {
                Buffer.BlockCopy(nonce, 0, j0, 0, 12);
                j0[15] = 1;
                return j0;
            }
            // Any other length is hashed into the first counter block (SP 800-38D 7.1 step 2).
            ulong yHi = 0, yLo = 0;
            GhashUpdate(ref yHi, ref yLo, nonce);
            GhashBlock(ref yHi, ref yLo, 0, (ulong)nonce.Length * 8);
            BigEndian.WriteUInt64(j0, 0, yHi);
            BigEndian.WriteUInt64(j0, 8, yLo);
            return j0;
        }

        /// <summary>GCTR from inc32(J0). All counter blocks go through ECB in one call: each call into the
        /// platform cipher costs more than the AES rounds for a block.</summary>
        private void Ctr(byte[] j0, byte[] input, byte[] output)
        {
            int length = input.Length;
            if (length == 0) return;
            int blocks = (length + BlockSize - 1) / BlockSize;
            var counters = new byte[blocks * BlockSize];
            uint counter = (uint)((j0[12] << 24) | (j0[13] << 16) | (j0[14] << 8) | j0[15]);
            for (int b = 0; b < blocks; b++)
            {
                counter++;
                int o = b * BlockSize;
                Buffer.BlockCopy(j0, 0, counters, o, 12);
                counters[o + 12] = (byte)(counter >> 24);
                counters[o + 13] = (byte)(counter >> 16);
                counters[o + 14] = (byte)(counter >> 8);
                counters[o + 15] = (byte)counter;
            }
            var keystream = new byte[counters.Length];
            _encryptor.TransformBlock(counters, 0, counters.Length, keystream, 0);
            for (int i = 0; i < length; i++) output[i] = (byte)(input[i] ^ keystream[i]);
            Array.Clear(keystream, 0, keystream.Length);
        }

        private void ComputeTag(byte[] j0, byte[] aad, byte[] ciphertext, byte[] tag)
        {
            ulong sHi = 0, sLo = 0;
            GhashUpdate(ref sHi, ref sLo, aad);
            GhashUpdate(ref sHi, ref sLo, ciphertext);
            GhashBlock(ref sHi, ref sLo, (ulong)aad.Length * 8, (ulong)ciphertext.Length * 8);

            var ej0 = new byte[BlockSize];
            _encryptor.TransformBlock(j0, 0, BlockSize, ej0, 0);
            BigEndian.WriteUInt64(tag, 0, sHi ^ BigEndian.ReadUInt64(ej0, 0));
            BigEndian.WriteUInt64(tag, 8, sLo ^ BigEndian.ReadUInt64(ej0, 8));
            Array.Clear(ej0, 0, ej0.Length);
        }

        /// <summary>Absorbs data zero-padded to whole blocks, as GHASH does for A and C separately.</summary>
        private void GhashUpdate(ref ulong yHi, ref ulong yLo, byte[] data)
        {
            int full = data.Length / BlockSize * BlockSize;
            for (int o = 0; o < full; o += BlockSize)
            {
                GhashBlock(ref yHi, ref yLo, BigEndian.ReadUInt64(data, o), BigEndian.ReadUInt64(data, o + 8));
            }
            int rest = data.Length - full;
            if (rest > 0)
            {
                var last = new byte[BlockSize];
                Buffer.BlockCopy(data, full, last, 0, rest);
                GhashBlock(ref yHi, ref yLo, BigEndian.ReadUInt64(last, 0), BigEndian.ReadUInt64(last, 8));
                Array.Clear(last, 0, last.Length);
            }
        }

        private void GhashBlock(ref ulong yHi, ref ulong yLo, ulong xHi, ulong xLo)
        {
            yHi ^= xHi;
            yLo ^= xLo;
            MultiplyByH(ref yHi, ref yLo);
        }

        /// <summary>
        /// Y = Y·H in GF(2^128) with GCM's reflected bit order (bit 0 is the most significant bit of
        /// byte 0). Each step selects with an all-ones/all-zeros mask rather than an if, so the
        /// instruction stream is the same for every H and Y.
        /// </summary>
        private void MultiplyByH(ref ulong yHi, ref ulong yLo)
        {
            ulong zHi = 0, zLo = 0;
            ulong vHi = _hHi, vLo = _hLo;
            ulong x = yHi;
            for (int half = 0; half < 2; half++)
            {
                for (int i = 63; i >= 0; i--)
                {
                    ulong take = 0UL - ((x >> i) & 1UL);
                    zHi ^= vHi & take;
                    zLo ^= vLo & take;
                    ulong reduce = 0UL - (vLo & 1UL);
                    vLo = (vLo >> 1) | (vHi << 63);
                    vHi = (vHi >> 1) ^ (0xE100000000000000UL & reduce);
                }
                x = yLo;
            }
            yHi = zHi;
            yLo = zLo;
        }
    }
}
