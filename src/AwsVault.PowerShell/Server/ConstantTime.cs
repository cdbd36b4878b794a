using System.Runtime.CompilerServices;

namespace AwsVault.Server
{
    /// <summary>
    /// Byte comparison whose time does not depend on where the inputs differ, so a local process cannot learn
    /// the authorization token a byte at a time from response times. CryptographicOperations.FixedTimeEquals
    /// would do, but net472 does not have it.
    /// </summary>
    internal static class ConstantTime
    {
        // NoOptimization keeps the JIT from turning the loop back into an early exit.
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
        public static bool BytesEqual(byte[] a, byte[] b)
        {
            if (a == null || b == null) return false;
            // The length is not the secret: every token has the same one.
            if (a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }
    }
}
