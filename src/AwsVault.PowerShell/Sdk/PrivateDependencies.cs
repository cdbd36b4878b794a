using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AwsVault.Credentials;

namespace AwsVault.Sdk
{
    /// <summary>
    /// Loads AwsVault.Aws.dll and the AWSSDK it carries from the module's dependencies/ folder without
    /// touching whatever AWSSDK another module (AWS.Tools) already loaded: a private AssemblyLoadContext on
    /// PowerShell 7, the LoadFrom context on Windows PowerShell. The module itself never references
    /// AWSSDK types; it talks to the loaded code through IStsClient.
    /// </summary>
    internal static class PrivateDependencies
    {
        private static readonly object s_gate = new object();
        private static IStsClient s_stsClient;
        private static bool s_resolverInstalled;

        public static string Directory =>
            Path.Combine(Path.GetDirectoryName(typeof(PrivateDependencies).Assembly.Location) ?? ".", "dependencies");

        public static IStsClient StsClient
        {
            get
            {
                lock (s_gate)
                {
                    if (s_stsClient == null)
                    {
                        Assembly assembly = IsNetFramework ? LoadIntoLoadFromContext() : LoadIntoPrivateContext();
                        Type type = assembly.GetType("AwsVault.Aws.SdkStsClient", throwOnError: true);
                        s_stsClient = (IStsClient)Activator.CreateInstance(type);
                    }
                    return s_stsClient;
                }
            }
        }

        private static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static string EntryAssemblyPath
        {
            get
            {
                string path = Path.Combine(Directory, "AwsVault.Aws.dll");
                if (!File.Exists(path))
                {
                    throw new AwsVaultException("ModuleFilesMissing", System.Management.Automation.ErrorCategory.ResourceUnavailable,
                        "The module's AWS SDK files are missing: '" + path + "' does not exist. Reinstall the module (or run dotnet build).");
                }
                return path;
            }
        }

        // Kept out of line so that Windows PowerShell never has to load AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
#if NETFRAMEWORK
        // The net472 build has no AssemblyLoadContext to compile against. It runs on .NET Core only under
        // pwsh 7.2/7.3 (AwsVault.psm1 picks it there), which then gets the LoadFrom resolver too: not isolated
        // from another module's AWSSDK.Core, but working. TODO: an ALC through reflection for that case.
        private static Assembly LoadIntoPrivateContext() => LoadIntoLoadFromContext();
#else
        private static Assembly LoadIntoPrivateContext() => new DependencyLoadContext(Directory).LoadFromAssemblyPath(EntryAssemblyPath);
#endif

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Assembly LoadIntoLoadFromContext()
        {
            string dir = Directory;
            if (!s_resolverInstalled)
            {
                s_resolverInstalled = true;
                // Process-wide, so it answers only for our own dependencies: a request made by an assembly in
                // dependencies/ (or for AWSSDK) and a file that is at least the version asked for.
                AppDomain.CurrentDomain.AssemblyResolve += (sender, args) =>
                {
                    var name = new AssemblyName(args.Name);
                    string candidate = Path.Combine(dir, name.Name + ".dll");
                    if (!File.Exists(candidate)) return null;
                    string requester = args.RequestingAssembly?.Location;
                    bool ours = name.Name.StartsWith("AWSSDK.", StringComparison.Ordinal) ||
                                (requester != null && string.Equals(Path.GetDirectoryName(requester), dir, StringComparison.OrdinalIgnoreCase));
                    if (!ours) return null;
                    Version available = AssemblyName.GetAssemblyName(candidate).Version;
                    return name.Version == null || available >= name.Version ? Assembly.LoadFrom(candidate) : null;
                };
            }
            return Assembly.LoadFrom(EntryAssemblyPath);
        }
    }
}
