using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests
{
    [Collection(ProcessEnvironment.Name)]
    public class SmokeTests
    {
        [Fact]
        public void ModuleImports()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession(importModule: false);
            var r = ps.Run("(Import-Module '" + ModuleAssembly.ManifestPath + "' -PassThru).Name").ThrowIfErrors();
            Assert.Equal("AwsVault", r.Output[0].ToString());
        }
    }
}
