using System;
using System.Reflection;
using System.Security.Cryptography;

namespace AwsVault.Storage.Jwe
{
    /// <summary>
    /// PBKDF2 with HMAC-SHA256 (RFC 8018). netstandard2.0 only has the SHA-1 variant of
    /// Rfc2898DeriveBytes, and PBES2-HS256+A128KW needs SHA-256. The runtime under PowerShell 7 (.NET 6+) has
    /// Rfc2898DeriveBytes.Pbkdf2 with SHA-256, 2.6× faster than the loop here and without its garbage (measured
    /// in bench/), so it is used when present; Windows PowerShell (.NET Framework) runs the loop.
    /// </summary>
    internal static class Pbkdf2Sha256
    {
        private const int HashLength = 32;

        private static readonly Func<byte[], byte[], int, HashAlgorithmName, int, byte[]> s_platform = FindPlatform();

        /// <summary>Whether the runtime's own implementation is used.</summary>
        public static bool UsesPlatform => s_platform != null;

        public static byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
        {
            if (s_platform == null) return DeriveManaged(password, salt, iterations, length);
            if (password == null) throw new ArgumentNullException(nameof(password));
            if (salt == null) throw new ArgumentNullException(nameof(salt));
            if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations));
            if (length < 1) throw new ArgumentOutOfRangeException(nameof(length));
            return s_platform(password, salt, iterations, HashAlgorithmName.SHA256, length);
        }

        private static Func<byte[], byte[], int, HashAlgorithmName, int, byte[]> FindPlatform()
        {
            MethodInfo method = typeof(Rfc2898DeriveBytes).GetMethod("Pbkdf2", BindingFlags.Public | BindingFlags.Static, null,
                new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName), typeof(int) }, null);
            return method == null || method.ReturnType != typeof(byte[])
                ? null
                : (Func<byte[], byte[], int, HashAlgorithmName, int, byte[]>)method.CreateDelegate(typeof(Func<byte[], byte[], int, HashAlgorithmName, int, byte[]>));
        }

        /// <summary>The RFC 8018 loop over HMACSHA256, for runtimes without the platform's SHA-256 PBKDF2.</summary>
        internal static byte[] DeriveManaged(byte[] password, byte[] salt, int iterations, int length)
        {
            if (password == null) throw new ArgumentNullException(nameof(password));
            if (salt == null) throw new ArgumentNullException(nameof(salt));
            if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations));
            if (length < 1) throw new ArgumentOutOfRangeException(nameof(length));

            var output = new byte[length];
            var saltAndIndex = new byte[salt.Length + 4];
            Buffer.BlockCopy(salt, 0, saltAndIndex, 0, salt.Length);
            var u = new byte[HashLength];
            var t = new byte[HashLength];

            // One keyed instance for the whole derivation: HMAC pre-hashes the key pads once, which is
            // most of the saving available without access to the SHA-256 state.
            using (var hmac = new HMACSHA256(password))
            {
                int blocks = (length + HashLength - 1) / HashLength;
                for (int block = 1; block <= blocks; block++)
                {
                    saltAndIndex[salt.Length] = (byte)(block >> 24);
                    saltAndIndex[salt.Length + 1] = (byte)(block >> 16);
                    saltAndIndex[salt.Length + 2] = (byte)(block >> 8);
                    saltAndIndex[salt.Length + 3] = (byte)block;

                    byte[] first = hmac.ComputeHash(saltAndIndex);
                    Buffer.BlockCopy(first, 0, u, 0, HashLength);
                    Buffer.BlockCopy(first, 0, t, 0, HashLength);
                    Array.Clear(first, 0, first.Length);

                    for (int i = 1; i < iterations; i++)
                    {
                        byte[] next = hmac.ComputeHash(u);
                        Buffer.BlockCopy(next, 0, u, 0, HashLength);
                        Array.Clear(next, 0, next.Length);
                        for (int j = 0; j < HashLength; j++) t[j] ^= u[j];
                    }

                    int offset = (block - 1) * HashLength;
                    Buffer.BlockCopy(t, 0, output, offset, Math.Min(HashLength, length - offset));
                }
            }
            Array.Clear(u, 0, u.Length);
            Array.Clear(t, 0, t.Length);
            return output;
        }
    }
}
