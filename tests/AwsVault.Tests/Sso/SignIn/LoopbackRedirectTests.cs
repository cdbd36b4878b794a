using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using AwsVault.Sso;
using Xunit;

namespace AwsVault.Tests.Sso.SignIn
{
    public class LoopbackRedirectTests
    {
        [Fact]
        public void OtherPathsAre404AndTheCallbackStillCounts()
        {
            using var loopback = LoopbackRedirect.Start();
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/oauth/callback$", loopback.RedirectUri);
            string root = "http://127.0.0.1:" + loopback.Port;
            var browser = Task.Run(async () =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var favicon = await http.GetAsync(root + "/favicon.ico");
                var empty = await http.GetAsync(root + "/oauth/callback");
                var callback = await http.GetAsync(loopback.RedirectUri + "?code=the%20code&state=s1");
                return (favicon.StatusCode, empty.StatusCode, callback.StatusCode);
            });
            Assert.Equal("the code", loopback.WaitForCode("s1", TimeSpan.FromSeconds(10)));
            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.OK), browser.Result);
        }

        [Fact]
        public void ASilentConnectionDoesNotBlockTheCallback()
        {
            using var loopback = LoopbackRedirect.Start();
            using var idle = new System.Net.Sockets.TcpClient();
            idle.Connect(IPAddress.Loopback, loopback.Port); // a browser's speculative connection: says nothing
            var browser = Task.Run(async () =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
                return (await http.GetAsync(loopback.RedirectUri + "?code=c&state=s")).StatusCode;
            });
            Assert.Equal("c", loopback.WaitForCode("s", TimeSpan.FromSeconds(15)));
            Assert.Equal(HttpStatusCode.OK, browser.Result);
        }

        [Fact]
        public void StoppingTheCommandEndsTheBrowserWait()
        {
            using var loopback = LoopbackRedirect.Start();
            using var stop = new System.Threading.CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => loopback.WaitForCode("s", TimeSpan.FromMinutes(5), stop.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        }

        [Fact]
        public void DisposingFreesThePort()
        {
            int port;
            using (var loopback = LoopbackRedirect.Start())
            {
                port = loopback.Port;
                Assert.Throws<AwsVaultException>(() => loopback.WaitForCode("s", TimeSpan.FromMilliseconds(50)));
            }
            var again = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
            again.Start();
            again.Stop();
        }
    }
}
