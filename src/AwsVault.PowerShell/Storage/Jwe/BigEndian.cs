namespace AwsVault.Storage.Jwe
{
    /// <summary>64-bit big-endian words, the byte order of AES key wrap and GCM's GHASH.</summary>
    internal static class BigEndian
    {
        public static ulong ReadUInt64(byte[] b, int offset)
        {
            ulong v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | b[offset + i];
            return v;
        }

        public static void WriteUInt64(byte[] b, int offset, ulong v)
        {
            for (int i = 7; i >= 0; i--)
            {
                b[offset + i] = (byte)v;
                v >>= 8;
            }
        }
    }
}
