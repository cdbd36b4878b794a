using System.Management.Automation;

namespace AwsVault.Engine
{
    /// <summary>
    /// Import-Module and Remove-Module for the binary module (PSResourceGet's ModuleInitAndCleanup is the model):
    /// an import makes the <see cref="EngineContext"/>, the last removal forgets it and takes the process-wide
    /// AssemblyResolve handler off again on Windows PowerShell.
    /// </summary>
    public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => EngineContext.OnImport();

        public void OnRemove(PSModuleInfo psModuleInfo) => EngineContext.OnRemove();
    }
}
