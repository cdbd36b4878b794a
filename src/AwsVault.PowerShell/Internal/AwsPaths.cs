using System;
using System.IO;

namespace AwsVault.Internal
{
    /// <summary>Where the files live, read from the environment on every call so that a changed
    /// $env:HOME or $env:AWS_CONFIG_FILE takes effect at once, as it does for aws-vault.</summary>
    internal static class AwsPaths
    {
        public static string HomeDirectory
        {
            get
            {
                string home = Environment.GetEnvironmentVariable("HOME");
                if (string.IsNullOrEmpty(home) && Platform.IsWindows)
                {
                    home = Environment.GetEnvironmentVariable("USERPROFILE");
                }
                if (string.IsNullOrEmpty(home))
                {
                    home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                }
                return home;
            }
        }

        public static string ConfigFile =>
            ExpandHome(Environment.GetEnvironmentVariable("AWS_CONFIG_FILE")) ?? Path.Combine(HomeDirectory, ".aws", "config");

        public static string FileVaultDirectory =>
            ExpandHome(Environment.GetEnvironmentVariable("AWS_VAULT_FILE_DIR")) ?? Path.Combine(HomeDirectory, ".awsvault", "keys");

        /// <summary>Expands a leading ~ the way aws-vault and the AWS CLI do; null or empty stays null.</summary>
        public static string ExpandHome(string path)
        {
            if (string.IsNullOrEmpty(path)) return null;
            if (path == "~") return HomeDirectory;
            if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
            {
                return Path.Combine(HomeDirectory, path.Substring(2));
            }
            return path;
        }
    }
}
