using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using AwsVault.Storage;

namespace AwsVault.Tests.VaultWriter
{
    /// <summary>
    /// Overwrites a few profiles' keys in a file vault, round-robin, until killed (or --count writes are done).
    /// Before each write it prints what it is about to write and after it that the write returned, so a test
    /// that kills it knows which item may hold the old value or the new one:
    ///
    ///   R                                  the store is open; writes follow
    ///   B n profile accessKeyId secret     write n begins
    ///   E n                                write n returned
    ///
    /// Keys are random, made here at run time. The passphrase comes from AWS_VAULT_FILE_PASSPHRASE, so it never
    /// appears on a command line.
    /// </summary>
    internal static class Program
    {
        private const string Usage = "usage: VaultWriter --vault DIR --profiles a,b,c [--count N]";

        private static int Main(string[] args)
        {
            string vault = null, profiles = null;
            long count = long.MaxValue;
            for (int i = 0; i < args.Length; i++)
            {
                string value = i + 1 < args.Length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--vault": vault = value; i++; break;
                    case "--profiles": profiles = value; i++; break;
                    case "--count": count = long.Parse(value ?? "", CultureInfo.InvariantCulture); i++; break;
                    default:
                        Console.Error.WriteLine(Usage);
                        return 64;
                }
            }
            string passphrase = Environment.GetEnvironmentVariable("AWS_VAULT_FILE_PASSPHRASE");
            if (vault == null || string.IsNullOrEmpty(profiles) || passphrase == null)
            {
                Console.Error.WriteLine(Usage + " (and AWS_VAULT_FILE_PASSPHRASE set)");
                return 64;
            }
            Run(vault, profiles.Split(','), passphrase, count);
            return 0;
        }

        // Kept out of Main so that the module assembly is first needed after the resolver below is in place.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Run(string vault, string[] profiles, string passphrase, long count)
        {
            var store = new FileStore(vault, new EnvironmentPassphrase(passphrase));
            Console.Out.WriteLine("R");
            for (long n = 0; n < count; n++)
            {
                string profile = profiles[n % profiles.Length];
                var key = new AccessKey("AKIA" + Random(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                    Random(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"));
                Console.Out.WriteLine("B " + n + " " + profile + " " + key.AccessKeyId + " " + key.SecretAccessKey);
                store.SetKey(profile, key);
                Console.Out.WriteLine("E " + n);
            }
        }

        private static string Random(int length, string alphabet)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }

        /// <summary>The module is not copied here (Private=false): load it from out/AwsVault, where dotnet build
        /// lays it out, so this process runs exactly the assembly PowerShell imports.</summary>
        [ModuleInitializer]
        internal static void UseTheBuiltModule()
        {
            string moduleDir = Environment.GetEnvironmentVariable("AWSVAULT_MODULE_DIR") is { Length: > 0 } dir
                ? dir
                : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "AwsVault"));
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                name.Name == "AwsVault.PowerShell" ? context.LoadFromAssemblyPath(Path.Combine(moduleDir, "net8.0", "AwsVault.PowerShell.dll")) : null;
        }

        private sealed class EnvironmentPassphrase : IPassphraseSource
        {
            private readonly string _passphrase;
            public EnvironmentPassphrase(string passphrase) { _passphrase = passphrase; }
            public string GetPassphrase(string vaultDirectory) => _passphrase;
            public void Forget(string vaultDirectory) { }
        }
    }
}
