using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>Where the built module, the stand-ins and the pwsh stand-in are, and the hook that makes this
    /// process load AwsVault.PowerShell.dll from out/AwsVault: the runspaces import it from there, and direct
    /// calls must hit the same copy, or they would see different static caches.</summary>
    public static class Repo
    {
        public static string Root { get; } = FindRoot();

        public static string ModuleDirectory => Path.Combine(Root, "out", "AwsVault");

        public static string ModuleManifest => Path.Combine(ModuleDirectory, "AwsVault.psd1");

        public static string StandInManifest => Path.Combine(Root, "artifacts", "TestModules", "Microsoft.PowerShell.SecretManagement", "Microsoft.PowerShell.SecretManagement.psd1");

        public static string PwshHost => Path.Combine(Root, "out", "PwshHost", OperatingSystem.IsWindows() ? "pwsh-host.exe" : "pwsh-host");

        [ModuleInitializer]
        internal static void Initialize()
        {
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                name.Name == "AwsVault.PowerShell" ? context.LoadFromAssemblyPath(Path.Combine(ModuleDirectory, "net8.0", "AwsVault.PowerShell.dll")) : null;
        }

        private static string FindRoot()
        {
            // The build records the checkout; walking up is the fallback for a copied output folder.
            string recorded = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
            if (!string.IsNullOrEmpty(recorded) && File.Exists(Path.Combine(recorded, "AwsVault.psd1"))) return Path.GetFullPath(recorded);
            string dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "AwsVault.psd1"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("Cannot find the repository root (AwsVault.psd1) above " + AppContext.BaseDirectory);
        }

        public static void RequireBuilt()
        {
            foreach (string path in new[] { ModuleManifest, StandInManifest, PwshHost })
            {
                if (!File.Exists(path)) throw new InvalidOperationException(path + " is missing: build first (dotnet build -c Release).");
            }
        }
    }
}
