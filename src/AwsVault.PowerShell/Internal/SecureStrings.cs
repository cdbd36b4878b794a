using System.Security;

namespace AwsVault.Internal
{
    internal static class SecureStrings
    {
        /// <summary>A read-only SecureString of the value, made in one copy: AppendChar per character re-protects
        /// the whole buffer each time, ~50 µs for a session token.</summary>
        public static unsafe SecureString ReadOnlyCopy(string value)
        {
            SecureString s;
            fixed (char* chars = value)
            {
                s = new SecureString(chars, value.Length);
            }
            s.MakeReadOnly();
            return s;
        }
    }
}
