using System.Runtime.InteropServices;

namespace AwsVault.Internal
{
    internal static class Platform
    {
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    }
}
