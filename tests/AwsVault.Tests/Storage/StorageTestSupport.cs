using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using AwsVault.Storage;
using Xunit.Sdk;

namespace AwsVault.Tests.Storage
{
    /// <summary>A passphrase source that answers with one passphrase and counts what it was asked.</summary>
    internal sealed class FixedPassphrase : IPassphraseSource
    {
        private readonly string _passphrase;

        public FixedPassphrase(string passphrase)
        {
            _passphrase = passphrase;
        }

        public int Asked { get; private set; }
        public int Forgotten { get; private set; }
        public string LastDirectory { get; private set; }

        public string GetPassphrase(string vaultDirectory)
        {
            Asked++;
            LastDirectory = vaultDirectory;
            return _passphrase;
        }

        public void Forget(string vaultDirectory)
        {
            Forgotten++;
        }
    }

    /// <summary>For operations that must never need the passphrase: any call fails the test.</summary>
    internal sealed class ForbiddenPassphrase : IPassphraseSource
    {
        public string GetPassphrase(string vaultDirectory) => throw new XunitException("The passphrase was asked for, but this operation must not need it.");

        public void Forget(string vaultDirectory) => throw new XunitException("Forget was called, but this operation must not touch the passphrase.");
    }

    /// <summary>A vault directory of its own (not yet created) under a private temp root.</summary>
    internal sealed class TempVault : IDisposable
    {
        public TempVault()
        {
            Root = Path.Combine(Path.GetTempPath(), "awsvault-store-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Root);
            VaultDir = Path.Combine(Root, "keys");
        }

        public string Root { get; }

        public string VaultDir { get; }

        public FileStore Open(IPassphraseSource source) => new FileStore(VaultDir, source);

        public FileStore Open(string passphrase) => new FileStore(VaultDir, new FixedPassphrase(passphrase));

        /// <summary>Every file's name, bytes and (on Unix) mode, to prove that nothing changed.</summary>
        public Dictionary<string, string> Snapshot()
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!Directory.Exists(VaultDir)) return result;
            foreach (string file in Directory.GetFiles(VaultDir).OrderBy(f => f, StringComparer.Ordinal))
            {
                string mode = OperatingSystem.IsWindows() ? "" : File.GetUnixFileMode(file).ToString();
                result[Path.GetFileName(file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))) + " " + mode + " " + File.GetLastWriteTimeUtc(file).Ticks;
            }
            return result;
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    internal static class TestKeys
    {
        public const string ExampleId = "AKIAIOSFODNN7EXAMPLE";
        public const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        public static AccessKey Example => new AccessKey(ExampleId, ExampleSecret);

        private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        private const string Mixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        /// <summary>A random key of the right shape, made at run time so no real-looking secret is committed.</summary>
        public static AccessKey Random()
        {
            return new AccessKey("AKIA" + RandomString(Upper, 16), RandomString(Mixed, 40));
        }

        private static string RandomString(string alphabet, int length)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }

        public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));
    }
}
