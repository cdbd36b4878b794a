using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using AwsVault.Tests.Commands;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.Sessions
{
    public class StsUnreachableTests
    {
        [Fact]
        public void ARefusedConnectionIsAConnectionErrorNamingProfileAndEndpoint()
        {
            using var env = new TestEnvironment();
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            env.Set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + port);
            using var ps = new PowerShellSession();
            ps.Run(ProfileCommandsTests.AddScript("dev")).ThrowIfErrors();
            var r = ps.RunCatching("Get-AwsVaultSession dev -Verbose");
            ProfileCommandsTests.AssertError(r, "StsConnectionFailed", ErrorCategory.ConnectionError);
            Assert.Contains("'dev'", r.Terminating.Exception.Message);
            Assert.Contains("GetSessionToken", r.Terminating.Exception.Message);
            Assert.Contains("127.0.0.1:" + port, r.Terminating.Exception.Message);
        }
    }
}
