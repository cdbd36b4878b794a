using System;
using System.Security.Cryptography;
using System.Text;

namespace AwsVault.Tests.Sts
{
    /// <summary>
    /// RFC 6238 TOTP as virtual MFA devices (and AWS) compute it: HMAC-SHA1, 30-second steps, 6 digits.
    /// The emulator verifies codes with it and tests produce codes with it.
    /// </summary>
    public static class Totp
    {
        public const int StepSeconds = 30;

        public static string Generate(string base32Secret, DateTimeOffset time) => Generate(base32Secret, time, 6);

        /// <summary>8 digits is only for checking against the RFC 6238 appendix B vectors.</summary>
        public static string Generate(string base32Secret, DateTimeOffset time, int digits)
            => GenerateForStep(Base32.Decode(base32Secret), TimeStep(time), digits);

        public static long TimeStep(DateTimeOffset time)
        {
            long seconds = time.ToUnixTimeSeconds();
            return seconds >= 0 ? seconds / StepSeconds : (seconds - (StepSeconds - 1)) / StepSeconds;
        }

        /// <summary>A new device secret, base32 like the Base32StringSeed IAM hands out for a virtual device.</summary>
        public static string NewSecret(int bytes = 20) => Base32.Encode(RandomNumberGenerator.GetBytes(bytes));

        internal static string GenerateForStep(byte[] key, long step, int digits = 6)
        {
            Span<byte> counter = stackalloc byte[8];
            for (int i = 7; i >= 0; i--)
            {
                counter[i] = (byte)(step & 0xff);
                step >>= 8;
            }
            byte[] hash = HMACSHA1.HashData(key, counter);
            int offset = hash[^1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
            int modulo = 1;
            for (int i = 0; i < digits; i++) modulo *= 10;
            return (binary % modulo).ToString().PadLeft(digits, '0');
        }
    }

    /// <summary>RFC 4648 base32, forgiving about case, spaces and padding as authenticator apps are.</summary>
    public static class Base32
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

        public static string Encode(byte[] data)
        {
            var sb = new StringBuilder((data.Length * 8 + 4) / 5);
            int buffer = 0, bits = 0;
            foreach (byte b in data)
            {
                buffer = (buffer << 8) | b;
                bits += 8;
                while (bits >= 5)
                {
                    sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                    bits -= 5;
                }
            }
            if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
            return sb.ToString();
        }

        public static byte[] Decode(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var bytes = new System.Collections.Generic.List<byte>(text.Length * 5 / 8);
            int buffer = 0, bits = 0;
            foreach (char raw in text)
            {
                if (raw == '=' || raw == ' ' || raw == '-') continue;
                int value = Alphabet.IndexOf(char.ToUpperInvariant(raw));
                if (value < 0) throw new FormatException("'" + raw + "' is not a base32 character.");
                buffer = (buffer << 5) | value;
                bits += 5;
                if (bits >= 8)
                {
                    bytes.Add((byte)(buffer >> (bits - 8)));
                    bits -= 8;
                }
            }
            return bytes.ToArray();
        }
    }
}
