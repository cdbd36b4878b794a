// AssemblyLoadContext does not exist on .NET Framework: only the net8.0 build has this type.
#if !NETFRAMEWORK
using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AwsVault.Sdk
{
    /// <summary>
    /// The private load context for PowerShell 7. AWSSDK and AwsVault.Aws always load here from the
    /// dependencies folder. Other assemblies in that folder (System.Text.Json, System.Memory, ...) are
    /// netstandard2.0 copies of framework assemblies: the framework's own copy is shared whenever it is at
    /// least as new as the one asked for, because two copies of System.Memory would mean two Span types, and a
    /// private copy is loaded only where the framework's is older (System.Text.Json 8 on PowerShell 7.2).
    /// Everything else, the module assembly and PowerShell included, resolves from the default context.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string _directory;

        public DependencyLoadContext(string directory)
        {
            _directory = directory;
        }

        protected override Assembly Load(AssemblyName name)
        {
            string path = Path.Combine(_directory, name.Name + ".dll");
            if (!File.Exists(path) || name.Name == "AwsVault.PowerShell")
            {
                return null;
            }
            if (name.Name.StartsWith("AWSSDK.", StringComparison.Ordinal) || name.Name == "AwsVault.Aws")
            {
                return LoadFromAssemblyPath(path);
            }
            try
            {
                Assembly shared = Default.LoadFromAssemblyName(name);
                if (name.Version == null || shared.GetName().Version >= name.Version) return shared;
            }
            catch (FileNotFoundException)
            {
            }
            catch (FileLoadException)
            {
            }
            return LoadFromAssemblyPath(path);
        }
    }
}
#endif
