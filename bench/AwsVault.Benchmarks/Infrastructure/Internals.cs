using AwsVault.Engine;
using AwsVault.Storage;
using AwsVault.Storage.Jwe;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>
    /// The module's process-wide caches (the module lets this assembly see its internals). Clearing them stands
    /// in for a new process: what a fresh `pwsh -Command` pays (session lookup in the vault, PBKDF2) without also
    /// paying runtime start-up.
    /// </summary>
    public static class Internals
    {
        /// <summary>Sessions remembered in memory (the engine context's session cache).</summary>
        public static void ForgetSessionMemory() => EngineContext.ForgetCurrentSessions();

        /// <summary>PBKDF2 results remembered per (passphrase, salt) (Pbes2KeyCache).</summary>
        public static void ForgetDerivedKeys() => Pbes2KeyCache.Clear();

        /// <summary>Everything a new process would not have: sessions, derived keys, verified passphrases.</summary>
        public static void ForgetProcessMemory()
        {
            ForgetSessionMemory();
            ForgetDerivedKeys();
            FileStore.ResetVerifiedPassphrases();
        }
    }
}
