using System;
using System.Reflection;
using AwsVault.Storage;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>
    /// The module's process-wide caches, reached by reflection because they are internal and the module must
    /// not open its internals to a benchmark. Clearing them stands in for a new process: what a fresh
    /// `pwsh -Command` pays (session lookup in the vault, PBKDF2) without also paying runtime start-up.
    /// </summary>
    public static class Internals
    {
        private static readonly Assembly Module = typeof(FileStore).Assembly;

        private static readonly Action ForgetSessions = Static("AwsVault.Engine.EngineContext", "ForgetCurrentSessions");
        private static readonly Action ClearKdf = Static("AwsVault.Storage.Jwe.Pbes2KeyCache", "Clear");
        private static readonly Action ResetVerified = Static("AwsVault.Storage.FileStore", "ResetVerifiedPassphrases");

        /// <summary>Sessions remembered in memory (SessionCache).</summary>
        public static void ForgetSessionMemory() => ForgetSessions();

        /// <summary>PBKDF2 results remembered per (passphrase, salt) (Pbes2KeyCache).</summary>
        public static void ForgetDerivedKeys() => ClearKdf();

        /// <summary>Everything a new process would not have: sessions, derived keys, verified passphrases.</summary>
        public static void ForgetProcessMemory()
        {
            ForgetSessions();
            ClearKdf();
            ResetVerified();
        }

        private static Action Static(string typeName, string method)
        {
            Type type = Module.GetType(typeName, throwOnError: true);
            MethodInfo m = type.GetMethod(method, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                ?? throw new MissingMethodException(typeName, method);
            return (Action)m.CreateDelegate(typeof(Action));
        }
    }
}
