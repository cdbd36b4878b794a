using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using AwsVault.Internal;

namespace AwsVault.Storage.Jwe
{
    /// <summary>Why a token could not be decrypted; the file vault turns these into different errors.</summary>
    internal enum JweFailure
    {
        /// <summary>Not a well-formed PBES2-HS256+A128KW / A256GCM token, or its content fails its tag.</summary>
        Corrupt,

        /// <summary>The key unwrap integrity check failed: the passphrase is not the one it was written with.</summary>
        WrongPassphrase,
    }

    /// <summary>Messages name the problem, never any part of the token: headers and payload may be secret.</summary>
    internal sealed class JweException : Exception
    {
        public JweException(JweFailure failure, string message)
            : base(message)
        {
            Failure = failure;
        }

        public JweFailure Failure { get; }
    }

    /// <summary>
    /// A JWE compact token (RFC 7516) with PBES2-HS256+A128KW key management and A256GCM content
    /// encryption (RFC 7518), the only combination aws-vault's file backend (99designs/keyring on
    /// jose2go) writes. Parse checks the structure; decryption then tells a wrong passphrase (key unwrap
    /// fails) from a damaged item (anything else).
    /// </summary>
    internal sealed class JweToken
    {
        public const string Algorithm = "PBES2-HS256+A128KW";
        public const string Encryption = "A256GCM";
        public const int DefaultIterations = 8192;
        public const int MinIterations = 1000;
        public const int MaxIterations = 1000000;
        public const int MinSaltLength = 8;

        // What jose2go writes: a 12-byte salt, a 96-bit IV (RFC 7518 requires it for GCM), a 256-bit CEK.
        private const int WriteSaltLength = 12;
        private const int IvLength = 12;
        private const int CekLength = 32;
        private const int KekLength = 16;
        private const int WrappedCekLength = CekLength + 8;

        private static readonly byte[] AlgorithmSaltPrefix = Encoding.UTF8.GetBytes(Algorithm + "\0");

        private readonly byte[] _aad;
        private readonly byte[] _encryptedKey;
        private readonly byte[] _iv;
        private readonly byte[] _ciphertext;
        private readonly byte[] _tag;

        private JweToken(Dictionary<string, object> header, byte[] aad, byte[] salt, int iterations, byte[] encryptedKey, byte[] iv, byte[] ciphertext, byte[] tag)
        {
            Header = header;
            _aad = aad;
            Salt = salt;
            Iterations = iterations;
            _encryptedKey = encryptedKey;
            _iv = iv;
            _ciphertext = ciphertext;
            _tag = tag;
        }

        /// <summary>The protected header as parsed (alg, enc, p2c, p2s and any extra members such as "created").</summary>
        public IReadOnlyDictionary<string, object> Header { get; }

        public byte[] Salt { get; }

        public int Iterations { get; }

        /// <summary>Checks the token's structure and header. Throws <see cref="JweException"/> (Corrupt).</summary>
        public static JweToken Parse(string token)
        {
            if (string.IsNullOrEmpty(token)) throw Corrupt("the token is empty");
            string trimmed = token.Trim();
            string[] parts = trimmed.Split('.');
            if (parts.Length != 5) throw Corrupt("a JWE compact token has 5 parts, this one has " + parts.Length.ToString(CultureInfo.InvariantCulture));

            if (!Base64Url.TryDecode(parts[0], out byte[] headerBytes) || headerBytes.Length == 0) throw Corrupt("the protected header is not base64url");
            Dictionary<string, object> header;
            try
            {
                header = Json.ParseObject(headerBytes);
            }
            catch (FormatException e)
            {
                throw Corrupt("the protected header is not a JSON object (" + e.Message + ")");
            }

            if (!(header.TryGetValue("alg", out object alg) && alg is string algText && algText == Algorithm))
            {
                throw Corrupt("the key management algorithm is not " + Algorithm);
            }
            if (!(header.TryGetValue("enc", out object enc) && enc is string encText && encText == Encryption))
            {
                throw Corrupt("the content encryption is not " + Encryption);
            }
            if (header.ContainsKey("zip")) throw Corrupt("compressed tokens are not supported");
            if (header.ContainsKey("crit")) throw Corrupt("critical header extensions are not supported");

            int iterations = ReadIterations(header);
            if (!(header.TryGetValue("p2s", out object p2s) && p2s is string p2sText && Base64Url.TryDecode(p2sText, out byte[] salt)))
            {
                throw Corrupt("the PBES2 salt (p2s) is missing or not base64url");
            }
            if (salt.Length < MinSaltLength) throw Corrupt("the PBES2 salt is shorter than " + MinSaltLength.ToString(CultureInfo.InvariantCulture) + " bytes");

            if (!Base64Url.TryDecode(parts[1], out byte[] encryptedKey) || encryptedKey.Length != WrappedCekLength) throw Corrupt("the encrypted key is not a wrapped 256-bit key");
            if (!Base64Url.TryDecode(parts[2], out byte[] iv) || iv.Length != IvLength) throw Corrupt("the initialization vector is not 96 bits");
            if (!Base64Url.TryDecode(parts[3], out byte[] ciphertext)) throw Corrupt("the ciphertext is not base64url");
            if (!Base64Url.TryDecode(parts[4], out byte[] tag) || tag.Length != AesGcm256.TagSize) throw Corrupt("the authentication tag is not 128 bits");

            // The AAD is the header exactly as it appears in the token, not a re-encoding of it.
            byte[] aad = Encoding.ASCII.GetBytes(parts[0]);
            return new JweToken(header, aad, salt, iterations, encryptedKey, iv, ciphertext, tag);
        }

        /// <summary>Parses and decrypts in one step.</summary>
        public static byte[] Decrypt(string token, string passphrase) => Parse(token).Decrypt(passphrase);

        /// <summary>
        /// Unwraps the content key. False means the passphrase is wrong for this token; nothing else
        /// can fail here because Parse checked the structure.
        /// </summary>
        public bool TryUnwrapKey(string passphrase, out byte[] cek)
        {
            if (passphrase == null) throw new ArgumentNullException(nameof(passphrase));
            byte[] kek = DeriveKek(passphrase, Salt, Iterations);
            try
            {
                return AesKeyWrap.TryUnwrap(kek, _encryptedKey, out cek);
            }
            finally
            {
                Array.Clear(kek, 0, kek.Length);
            }
        }

        /// <summary>The payload; throws <see cref="JweException"/> with WrongPassphrase or Corrupt.</summary>
        public byte[] Decrypt(string passphrase)
        {
            if (!TryUnwrapKey(passphrase, out byte[] cek))
            {
                throw new JweException(JweFailure.WrongPassphrase, "The passphrase does not decrypt this token (key unwrap failed).");
            }
            try
            {
                if (!AesGcm256.TryDecrypt(cek, _iv, _ciphertext, _tag, _aad, out byte[] plaintext))
                {
                    throw Corrupt("the content does not match its authentication tag");
                }
                return plaintext;
            }
            finally
            {
                Array.Clear(cek, 0, cek.Length);
            }
        }

        /// <summary>
        /// Encrypts the way aws-vault's file backend does. extraHeaders (such as "created") are added to
        /// the protected header; they may not replace alg, enc, p2c, p2s or add zip/crit.
        /// </summary>
        public static string Encrypt(byte[] payload, string passphrase, IEnumerable<KeyValuePair<string, string>> extraHeaders = null)
            => Encrypt(payload, passphrase, extraHeaders, DefaultIterations);

        internal static string Encrypt(byte[] payload, string passphrase, IEnumerable<KeyValuePair<string, string>> extraHeaders, int iterations)
        {
            if (payload == null) throw new ArgumentNullException(nameof(payload));
            if (passphrase == null) throw new ArgumentNullException(nameof(passphrase));
            if (iterations < MinIterations || iterations > MaxIterations) throw new ArgumentOutOfRangeException(nameof(iterations));

            byte[] salt = Pbes2KeyCache.RandomBytes(WriteSaltLength);
            byte[] cek = Pbes2KeyCache.RandomBytes(CekLength);
            byte[] iv = Pbes2KeyCache.RandomBytes(IvLength);
            byte[] kek = DeriveKek(passphrase, salt, iterations);
            try
            {
                byte[] encryptedKey = AesKeyWrap.Wrap(kek, cek);

                // Go's encoding/json writes a map's keys in sorted order; jose2go's header is a map, so
                // sorting here makes the header byte-for-byte what aws-vault writes.
                var members = new SortedDictionary<string, Action<JsonObjectWriter>>(StringComparer.Ordinal)
                {
                    ["alg"] = w => w.String("alg", Algorithm),
                    ["enc"] = w => w.String("enc", Encryption),
                    ["p2c"] = w => w.Number("p2c", iterations),
                    ["p2s"] = w => w.String("p2s", Base64Url.Encode(salt)),
                };
                if (extraHeaders != null)
                {
                    foreach (var pair in extraHeaders)
                    {
                        if (pair.Key == null || members.ContainsKey(pair.Key) || pair.Key == "zip" || pair.Key == "crit")
                        {
                            throw new ArgumentException("Extra headers may not set alg, enc, p2c, p2s, zip or crit.", nameof(extraHeaders));
                        }
                        string name = pair.Key, value = pair.Value;
                        members[name] = w => w.String(name, value);
                    }
                }
                var writer = new JsonObjectWriter();
                foreach (var member in members.Values) member(writer);
                string headerPart = Base64Url.Encode(Encoding.UTF8.GetBytes(writer.ToString()));

                byte[] aad = Encoding.ASCII.GetBytes(headerPart);
                byte[] ciphertext = AesGcm256.Encrypt(cek, iv, payload, aad, out byte[] tag);
                return headerPart + "." + Base64Url.Encode(encryptedKey) + "." + Base64Url.Encode(iv) + "." +
                       Base64Url.Encode(ciphertext) + "." + Base64Url.Encode(tag);
            }
            finally
            {
                Array.Clear(kek, 0, kek.Length);
                Array.Clear(cek, 0, cek.Length);
            }
        }

        /// <summary>Go's time.Time.String() layout, which is what aws-vault puts in "created"; written in UTC.</summary>
        public static string FormatCreated(DateTimeOffset time)
        {
            DateTime utc = time.UtcDateTime;
            string text = utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            string fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
            if (fraction.Length > 0) text += "." + fraction;
            return text + " +0000 UTC";
        }

        private static byte[] DeriveKek(string passphrase, byte[] salt, int iterations)
        {
            byte[] password = Encoding.UTF8.GetBytes(passphrase);
            var fullSalt = new byte[AlgorithmSaltPrefix.Length + salt.Length];
            Buffer.BlockCopy(AlgorithmSaltPrefix, 0, fullSalt, 0, AlgorithmSaltPrefix.Length);
            Buffer.BlockCopy(salt, 0, fullSalt, AlgorithmSaltPrefix.Length, salt.Length);
            try
            {
                return Pbes2KeyCache.GetOrDerive(password, fullSalt, iterations, KekLength,
                    () => Pbkdf2Sha256.Derive(password, fullSalt, iterations, KekLength));
            }
            finally
            {
                Array.Clear(password, 0, password.Length);
            }
        }

        private static int ReadIterations(Dictionary<string, object> header)
        {
            if (!header.TryGetValue("p2c", out object p2c)) throw Corrupt("the PBES2 iteration count (p2c) is missing");
            long count;
            switch (p2c)
            {
                case long l:
                    count = l;
                    break;
                // Go decodes JSON numbers as float64, so jose2go accepts 8192.0; so do we.
                case double d when d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue:
                    count = (long)d;
                    break;
                default:
                    throw Corrupt("the PBES2 iteration count (p2c) is not an integer");
            }
            if (count < MinIterations || count > MaxIterations)
            {
                throw Corrupt("the PBES2 iteration count " + count.ToString(CultureInfo.InvariantCulture) + " is outside " +
                              MinIterations.ToString(CultureInfo.InvariantCulture) + ".." + MaxIterations.ToString(CultureInfo.InvariantCulture));
            }
            return (int)count;
        }

        private static JweException Corrupt(string reason) => new JweException(JweFailure.Corrupt, "The token is not a valid vault item: " + reason + ".");
    }
}
