using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using AwsVault.Tests.Commands;
using AwsVault.Tests.Harness;
using Xunit;
using AwsVault.Output;

namespace AwsVault.Tests.Sessions
{
    [Collection(ProcessEnvironment.Name)]
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

        [Theory]
        [InlineData("not a url")]
        [InlineData("ftp://127.0.0.1/")]
        [InlineData("http://")]
        public void AnEndpointThatIsNotAnHttpUrlIsAnInvalidArgumentNamingIt(string url)
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_ENDPOINT_URL_STS", url);
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            ProfileCommandsTests.AssertError(r, "StsInvalidEndpoint", ErrorCategory.InvalidArgument);
            string message = r.Terminating.Exception.Message;
            Assert.Contains("'bob'", message);
            Assert.Contains("GetSessionToken", message);
            Assert.Contains("'" + url + "' is not an http:// or https:// URL", message);
            Assert.Contains("https://sts.us-west-2.amazonaws.com", message);
            Assert.Empty(f.World.Calls);
        }
    }
}
