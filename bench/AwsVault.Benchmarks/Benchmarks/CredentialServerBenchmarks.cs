using System;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading.Tasks;
using AwsVault.Benchmarks.Infrastructure;
using BenchmarkDotNet.Attributes;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Issue #13: one request to a warm credential server (Start-AwsVaultCredentialServer dev, session in memory), as an
    /// AWS SDK or the AWS CLI makes it: an HTTP GET on loopback with the authorization header, answered from the
    /// engine. Measured one request per sample (LatencyConfig) for median and p99; and 8 clients at once, 25 requests
    /// each, per request, for what a Terraform run with many providers sees. A credential_process call and
    /// aws-vault exec are in docs/PERFORMANCE.md next to these.
    /// </summary>
    [Config(typeof(LatencyConfig))]
    public class CredentialServerBenchmarks : SandboxedBenchmark
    {
        private const int Clients = 8;
        private const int RequestsPerClient = 25;

        private HttpClient _http;
        private Uri _uri;
        private string _token;

        [GlobalSetup]
        public void Setup()
        {
            try
            {
                _sandbox = new Sandbox(backend: "file");
                _sts = new Sts();
                _sandbox.Set("AWS_ENDPOINT_URL_STS", _sts.Endpoint);
                _sandbox.WriteConfig("[profile dev]\nregion = eu-west-1\n");
                Internals.ForgetProcessMemory();
                _rs = new WarmRunspace();
                _rs.Run(Sts.AddProfileScript("dev", Sts.DevKeyId, Sts.DevSecret));
                PSObject server = _rs.Run("Start-AwsVaultCredentialServer dev").Single();
                _uri = new Uri(server.Properties["Uri"].Value.ToString());
                _token = Plain((SecureString)server.Properties["AuthorizationToken"].Value);
                _http = new HttpClient();
                _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", _token);
                // The first request issues nothing more: the session was issued when the server started.
                Get().GetAwaiter().GetResult();
                if (_sts.World.Calls.Count != 1) throw new InvalidOperationException("Expected one GetSessionToken while setting up, saw " + _sts.World.Calls.Count);
                _sts.World.ClearCalls();
            }
            catch
            {
                TearDown();
                throw;
            }
        }

        protected override void DisposeOwn()
        {
            _http?.Dispose();
            _rs?.Run("Get-AwsVaultCredentialServer | Stop-AwsVaultCredentialServer -Confirm:$false");
        }

        [GlobalCleanup]
        public void Cleanup() => TearDownExpectingNoStsCalls();

        [Benchmark(Baseline = true, Description = "one request, warm server")]
        public Task OneRequest() => Get();

        [Benchmark(OperationsPerInvoke = Clients * RequestsPerClient, Description = "8 clients at once, per request")]
        public Task ConcurrentRequests() =>
            Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
            {
                for (int i = 0; i < RequestsPerClient; i++) await Get();
            }));

        private async Task Get()
        {
            using var response = await _http.GetAsync(_uri);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException("The server answered " + (int)response.StatusCode + ".");
            await response.Content.ReadAsByteArrayAsync();
        }

        private static string Plain(SecureString secure)
        {
            IntPtr p = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(p);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(p);
            }
        }
    }
}
