using System;

namespace AwsVault.Storage.Jwe
{
    /// <summary>
    /// AES-GCM with 16-byte tags, the content encryption of the file vault's JWE (A256GCM). On .NET 8 it is the
    /// platform's <see cref="System.Security.Cryptography.AesGcm"/>; the net472 build, which has no such class,
    /// uses <see cref="ManagedAesGcm"/>.
    /// </summary>
    internal static class AesGcm256
    {
        public const int TagSize = 16;

        /// <summary>The type that does the work in this build, for tests and diagnostics.</summary>
#if NETFRAMEWORK
        internal static Type Implementation => typeof(ManagedAesGcm);
#else
        internal static Type Implementation => typeof(System.Security.Cryptography.AesGcm);
#endif

        public static byte[] Encrypt(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad, out byte[] tag)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            if (nonce == null) throw new ArgumentNullException(nameof(nonce));
            if (plaintext == null) throw new ArgumentNullException(nameof(plaintext));
            var ciphertext = new byte[plaintext.Length];
            tag = new byte[TagSize];
#if NETFRAMEWORK
            using (var gcm = new ManagedAesGcm(key))
            {
                gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
            }
#else
            using (var gcm = new System.Security.Cryptography.AesGcm(key, TagSize))
            {
                gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
            }
#endif
            return ciphertext;
        }

        /// <summary>False when the tag does not verify; nothing is returned from a ciphertext that fails it.</summary>
        public static bool TryDecrypt(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] aad, out byte[] plaintext)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            if (nonce == null) throw new ArgumentNullException(nameof(nonce));
            if (ciphertext == null) throw new ArgumentNullException(nameof(ciphertext));
            if (tag == null) throw new ArgumentNullException(nameof(tag));
            plaintext = null;
            if (tag.Length != TagSize) return false;
            var output = new byte[ciphertext.Length];
#if NETFRAMEWORK
            using (var gcm = new ManagedAesGcm(key))
            {
                if (!gcm.TryDecrypt(nonce, ciphertext, tag, output, aad)) return false;
            }
#else
            using (var gcm = new System.Security.Cryptography.AesGcm(key, TagSize))
            {
                try
                {
                    gcm.Decrypt(nonce, ciphertext, tag, output, aad);
                }
                catch (System.Security.Cryptography.AuthenticationTagMismatchException)
                {
                    return false;
                }
            }
#endif
            plaintext = output;
            return true;
        }
    }
}
