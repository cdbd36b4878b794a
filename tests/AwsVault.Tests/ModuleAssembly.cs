using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace AwsVault.Tests
{
    /// <summary>Where the built module lives, and the hook that makes test code load the module assembly
    /// from there instead of from a private copy next to the tests.</summary>
    public static class ModuleAssembly
    {
        public static string RepoRoot { get; } = FindRepoRoot();

        public static string ModuleDirectory => Path.Combine(RepoRoot, "out", "AwsVault");

        public static string ManifestPath => Path.Combine(ModuleDirectory, "AwsVault.psd1");

        /// <summary>The build this test process (.NET 10) loads, as PowerShell 7.4+ does.</summary>
        public static string AssemblyDirectory => Path.Combine(ModuleDirectory, "net8.0");

        [ModuleInitializer]
        internal static void Initialize()
        {
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                if (name.Name == "AwsVault.PowerShell")
                {
                    return context.LoadFromAssemblyPath(Path.Combine(AssemblyDirectory, "AwsVault.PowerShell.dll"));
                }
                return null;
            };
        }

        private static string FindRepoRoot()
        {
            string dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "AwsVault.psd1")))
            {
                dir = Path.GetDirectoryName(dir);
            }
            return dir ?? throw new InvalidOperationException("Could not find the repository root (AwsVault.psd1) above " + AppContext.BaseDirectory);
        }
    }
}
