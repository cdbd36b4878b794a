using System;
using System.Linq;
using System.Reflection;
using System.Security;
using System.Security.Cryptography;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Storage;
using BenchmarkDotNet.Attributes;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Cause of the file vault's cold cost: the module's own PBKDF2-HMAC-SHA256 (netstandard2.0 has no SHA-256
    /// PBKDF2, so it loops HMAC.ComputeHash 8192 times) against the platform's one-shot implementation that
    /// .NET 6+ (PowerShell 7.2+) has at run time. Baseline: the module as it is. Same output, checked in setup.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class Pbkdf2Benchmarks
    {
        private const int Iterations = 8192;   // aws-vault's file backend
        private const int KeyLength = 16;      // A128KW

        private Func<byte[], byte[], int, int, byte[]> _moduleDerive;
        private byte[] _password;
        private byte[] _salt;

        [GlobalSetup]
        public void Setup()
        {
            MethodInfo derive = typeof(FileStore).Assembly.GetType("AwsVault.Storage.Jwe.Pbkdf2Sha256", true)
                .GetMethod("Derive", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
            _moduleDerive = (Func<byte[], byte[], int, int, byte[]>)derive.CreateDelegate(typeof(Func<byte[], byte[], int, int, byte[]>));
            _password = System.Text.Encoding.UTF8.GetBytes(Sandbox.Passphrase);
            _salt = RandomNumberGenerator.GetBytes(24);   // "PBES2-HS256+A128KW" || 0x00 || p2s
            if (!Module().SequenceEqual(Platform())) throw new InvalidOperationException("The two PBKDF2 implementations disagree.");
        }

        [Benchmark(Baseline = true, Description = "module: Pbkdf2Sha256.Derive (HMAC loop)")]
        public byte[] Module() => _moduleDerive(_password, _salt, Iterations, KeyLength);

        [Benchmark(Description = "platform: Rfc2898DeriveBytes.Pbkdf2 (SHA-256)")]
        public byte[] Platform() => Rfc2898DeriveBytes.Pbkdf2(_password, _salt, Iterations, HashAlgorithmName.SHA256, KeyLength);
    }

    /// <summary>
    /// Cause of much of a memory hit's cost: AwsVaultSession builds its two SecureStrings one AppendChar at a
    /// time (the secret, 40 characters, and the session token, 428 here as from the emulator; AWS's are
    /// longer). Baseline: that loop. The alternative is SecureString's one-copy constructor, in netstandard2.0.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class SecureStringBenchmarks
    {
        private string _secret;
        private string _token;

        [GlobalSetup]
        public void Setup()
        {
            _secret = Sts.DevSecret;
            _token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(320));
        }

        [Benchmark(Baseline = true, Description = "module: AppendChar per character (secret + token)")]
        public int AppendChar()
        {
            using var a = Append(_secret);
            using var b = Append(_token);
            return a.Length + b.Length;
        }

        [Benchmark(Description = "new SecureString(char*, int) (secret + token)")]
        public int OneCopy()
        {
            using var a = Copy(_secret);
            using var b = Copy(_token);
            return a.Length + b.Length;
        }

        private static SecureString Append(string value)
        {
            var s = new SecureString();
            foreach (char c in value) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }

        private static unsafe SecureString Copy(string value)
        {
            fixed (char* p = value)
            {
                var s = new SecureString(p, value.Length);
                s.MakeReadOnly();
                return s;
            }
        }
    }
}
