using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.MultiProcess
{
    /// <summary>
    /// `pwsh -NonInteractive` as a CI job or credential_process runs it: a missing input must fail the
    /// process at once with a message naming the parameter to pass, never wait on a prompt nobody sees.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class NonInteractiveProcessTests
    {
        [Fact]
        public async Task AddWithoutAKeyFailsAtOnceNamingTheParameters()
        {
            using var box = new ChildSandbox();
            // No CI variable: the process itself must be what makes prompting impossible.
            var env = box.Environment(ci: false);
            env["PWSHHOST_IMPORT"] = ModuleAssembly.ManifestPath;

            var r = await PwshHostProcess.RunAsync(env, "-NonInteractive", "-Command", "$ErrorView = 'NormalView'; Add-AwsVaultProfile dev");

            Assert.False(r.TimedOut, "Add-AwsVaultProfile waited for input in a -NonInteractive process: " + r);
            Assert.True(r.ExitCode != 0, r.ToString());
            Assert.Contains("-AccessKeyId", r.StdErr);
            Assert.Contains("-NonInteractive", r.StdErr);
            Assert.Contains("FullyQualifiedErrorId : AccessKeyRequired,", r.StdErr);
            Assert.DoesNotContain("Enter Access Key ID", r.StdOut);
            Assert.False(Directory.Exists(box.VaultDirectory) && Directory.GetFiles(box.VaultDirectory).Length > 0);
        }
    }
}
