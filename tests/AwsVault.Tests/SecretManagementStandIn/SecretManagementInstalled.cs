using System;
using System.IO;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>
    /// A private environment in which SecretManagement is "installed" as a user has it (the stand-in findable on
    /// PSModulePath, imported on first use) and no backend is chosen, so the module picks its store itself.
    /// </summary>
    public abstract class SecretManagementInstalled : IDisposable
    {
        protected SecretManagementInstalled()
        {
            Env = new TestEnvironment(backend: null);
            Env.Set(StandInModule.RegistryEnvironmentVariable, null);
            Env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
            StandInModule.Reset();
        }

        protected TestEnvironment Env { get; }

        public void Dispose()
        {
            StandInModule.Reset();
            Env.Dispose();
        }
    }
}
