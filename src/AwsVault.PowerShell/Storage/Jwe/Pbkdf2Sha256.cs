using System;
using System.Security.Cryptography;

namespace AwsVault.Storage.Jwe
{
    /// <summary>
    /// PBKDF2 with HMAC-SHA256 (RFC 8018), the key derivation of PBES2-HS256+A128KW. Both builds use the
    /// platform: Rfc2898DeriveBytes.Pbkdf2 on .NET 8, and on .NET Framework 4.7.2 the Rfc2898DeriveBytes
    /// constructor that takes a HashAlgorithmName.
    /// </summary>
    internal static class Pbkdf2Sha256
    {
        /// <summary>The type that does the work in this build, for tests and diagnostics.</summary>
        internal static Type Implementation => typeof(Rfc2898DeriveBytes);

        public static byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
        {
            if (password == null) throw new ArgumentNullException(nameof(password));
            if (salt == null) throw new ArgumentNullException(nameof(salt));
            if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations));
            if (length < 1) throw new ArgumentOutOfRangeException(nameof(length));
#if NETFRAMEWORK
            // .NET Framework's Rfc2898DeriveBytes wants a salt of at least 8 bytes; PBES2 salts are longer
            // (the algorithm name, a zero byte and p2s), so that check never fires here.
            using (var pbkdf2 = new Rfc2898DeriveBytes(password, salt, iterations, HashAlgorithmName.SHA256))
            {
                return pbkdf2.GetBytes(length);
            }
#else
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);
#endif
        }
    }
}
