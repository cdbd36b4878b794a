using System.Reflection;
using AwsVault.Engine;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.Engine
{
    /// <summary>PowerShell calls the module's IModuleAssemblyInitializer on Import-Module and its IModuleAssemblyCleanup
    /// on Remove-Module; the imports are counted because runspaces of one process share the assembly.</summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class ModuleLifecycleTests
    {
        private static int Imports() =>
            (int)typeof(EngineContext).GetField("s_imports", BindingFlags.Static | BindingFlags.NonPublic).GetValue(null);

        [Fact]
        public void ImportAndRemoveReachTheEngineContext()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession(importModule: false);
            int before = Imports();
            ps.Run("Import-Module '" + ModuleAssembly.ManifestPath + "'").ThrowIfErrors();
            Assert.Equal(before + 1, Imports());
            EngineContext current = EngineContext.Current;

            ps.Run("Remove-Module AwsVault").ThrowIfErrors();
            Assert.Equal(before, Imports());
            // Another runspace of this process may still have the module imported; only the last removal ends the context.
            if (before > 0) Assert.Same(current, EngineContext.Current);
            else Assert.NotSame(current, EngineContext.Current);
        }
    }
}
