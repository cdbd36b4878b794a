using Xunit;

namespace AwsVault.Tests.Harness
{
    /// <summary>
    /// The tests that touch what a process has only once, and so run one at a time: environment variables (HOME,
    /// AWS_CONFIG_FILE, the vault and runtime-folder variables that TestEnvironment and SessionFixture set),
    /// PowerShell runspaces and child processes that read that environment, the AWS SDK and CLI (which read
    /// AWS_* variables), and the module's process-wide caches (Pbes2KeyCache, the imported module's EngineContext).
    /// Every other test (config parsing, codecs, crypto, the engine with its own EngineContext and fakes) runs in
    /// parallel with them. xunit 2 does not inherit [Collection] from a base class, so each class carries it.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class ProcessEnvironment
    {
        public const string Name = "Process environment";
    }
}
