using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AwsVault.Credentials;
using AwsVault.Sso;

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
        private static IAwsClientFactory s_factory;
        private static ResolveEventHandler s_resolver;

        public static string Directory =>
            Path.Combine(Path.GetDirectoryName(typeof(PrivateDependencies).Assembly.Location) ?? ".", "dependencies");

        /// <summary>The factory of AwsVault.Aws.dll, which is loaded on the first client asked for: a cache hit never
        /// loads AWSSDK.</summary>
        public static IAwsClientFactory ClientFactory { get; } = new Deferred();

        private static IAwsClientFactory Loaded
        {
            get
            {
                lock (s_gate)
                {
                    if (s_factory == null)
                    {
                        Assembly assembly = IsNetFramework ? LoadIntoLoadFromContext() : LoadIntoPrivateContext();
                        s_factory = FindFactory(assembly);
                    }
                    else if (IsNetFramework)
                    {
                        // After Remove-Module and a new import: the SDK loads parts of itself lazily and needs the handler back.
                        InstallResolver();
                    }
                    return s_factory;
                }
            }
        }

        /// <summary>The one public type of the assembly that implements <see cref="IAwsClientFactory"/>.</summary>
        internal static IAwsClientFactory FindFactory(Assembly assembly)
        {
            Type found = null;
            foreach (Type type in assembly.GetExportedTypes())
            {
                if (!type.IsClass || type.IsAbstract || !typeof(IAwsClientFactory).IsAssignableFrom(type)) continue;
                if (found != null)
                {
                    throw new InvalidOperationException(assembly.GetName().Name + " has more than one IAwsClientFactory: " + found.FullName + " and " + type.FullName + ".");
                }
                found = type;
            }
            if (found == null) throw new InvalidOperationException(assembly.GetName().Name + " has no public IAwsClientFactory.");
            return (IAwsClientFactory)Activator.CreateInstance(found);
        }

        /// <summary>Takes the Windows PowerShell AssemblyResolve handler off the process (Remove-Module).</summary>
        public static void RemoveResolver()
        {
            lock (s_gate)
            {
                if (s_resolver == null) return;
                AppDomain.CurrentDomain.AssemblyResolve -= s_resolver;
                s_resolver = null;
            }
        }

        private sealed class Deferred : IAwsClientFactory
        {
            public IStsClient CreateSts() => Loaded.CreateSts();

            public ISsoOidcClient CreateSsoOidc() => Loaded.CreateSsoOidc();

            public ISsoPortalClient CreateSsoPortal() => Loaded.CreateSsoPortal();

            public Iam.IIamClient CreateIam() => Loaded.CreateIam();
        }

        private static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static string EntryAssemblyPath
        {
            get
            {
                string path = Path.Combine(Directory, "AwsVault.Aws.dll");
                if (!File.Exists(path))
                {
                    throw new AwsVaultException(ErrorIds.ModuleFilesMissing, System.Management.Automation.ErrorCategory.ResourceUnavailable,
                        "The module's AWS SDK files are missing: '" + path + "' does not exist. Reinstall the module (or run dotnet build).");
                }
                return path;
            }
        }

        // Kept out of line so that Windows PowerShell never has to load AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
#if NETFRAMEWORK
        // The net472 build has no AssemblyLoadContext to compile against. It runs on .NET Core only under
        // pwsh 7.2/7.3 (AwsVault.psm1 picks it there), which then gets the LoadFrom resolver too: working, but not
        // isolated from another module's AWSSDK.Core. A plain AssemblyLoadContext made through reflection would
        // not isolate it either (it asks the default context first); only a subclass can, which net472 cannot
        // compile. Both of those PowerShell versions are out of support.
        private static Assembly LoadIntoPrivateContext() => LoadIntoLoadFromContext();
#else
        private static Assembly LoadIntoPrivateContext() => new DependencyLoadContext(Directory).LoadFromAssemblyPath(EntryAssemblyPath);
#endif

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Assembly LoadIntoLoadFromContext()
        {
            InstallResolver();
            return Assembly.LoadFrom(EntryAssemblyPath);
        }

        private static void InstallResolver()
        {
            if (s_resolver != null) return;
            string dir = Directory;
            // Process-wide, so it answers only for our own dependencies: a request made by an assembly in
            // dependencies/ (or for AWSSDK) and a file that is at least the version asked for.
            s_resolver = (sender, args) =>
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
            AppDomain.CurrentDomain.AssemblyResolve += s_resolver;
        }
    }
}
