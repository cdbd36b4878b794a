using System;
using System.Linq;
using System.Reflection;
using System.Security;
using System.Security.Cryptography;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Storage;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// The file vault's cold cost: one PBKDF2-HMAC-SHA256 of 8192 iterations per item salt. Both builds of the
    /// module use the platform's PBKDF2 (the hand-written HMAC loop that was the baseline here is gone).
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class Pbkdf2Benchmarks
    {
        private const int Iterations = 8192;   // aws-vault's file backend
        private const int KeyLength = 16;      // A128KW

        private Func<byte[], byte[], int, int, byte[]> _derive;
        private byte[] _password;
        private byte[] _salt;

        [GlobalSetup]
        public void Setup()
        {
            _derive = AwsVault.Storage.Jwe.Pbkdf2Sha256.Derive;
            _password = System.Text.Encoding.UTF8.GetBytes(Sandbox.Passphrase);
            _salt = RandomNumberGenerator.GetBytes(24);   // "PBES2-HS256+A128KW" || 0x00 || p2s
            if (!Rfc2898DeriveBytes.Pbkdf2(_password, _salt, Iterations, HashAlgorithmName.SHA256, KeyLength).SequenceEqual(Module()))
                throw new InvalidOperationException("The module's PBKDF2 disagrees with the platform's.");
        }

        [Benchmark(Description = "module on .NET: Pbkdf2Sha256.Derive (platform PBKDF2)")]
        public byte[] Module() => _derive(_password, _salt, Iterations, KeyLength);
    }

    /// <summary>
    /// AwsVaultSession's SecureStrings, built when first read: the secret (40 characters) and a session token
    /// (428 here, as from the emulator; AWS's are longer). Baseline: one AppendChar per character, which the
    /// module did on every call before; the module now makes each in one copy.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class SecureStringBenchmarks
    {
        private string _secret;
        private string _token;
        private Func<string, SecureString> _module;

        [GlobalSetup]
        public void Setup()
        {
            _secret = Sts.DevSecret;
            _token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(320));
            _module = AwsVault.Internal.SecureStrings.ReadOnlyCopy;
        }

        [Benchmark(Baseline = true, Description = "AppendChar per character (secret + token)")]
        public int AppendChar()
        {
            using var a = Append(_secret);
            using var b = Append(_token);
            return a.Length + b.Length;
        }

        [Benchmark(Description = "module: SecureStrings.ReadOnlyCopy (secret + token)")]
        public int OneCopy()
        {
            using var a = _module(_secret);
            using var b = _module(_token);
            return a.Length + b.Length;
        }

        private static SecureString Append(string value)
        {
            var s = new SecureString();
            foreach (char c in value) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }
    }
}
