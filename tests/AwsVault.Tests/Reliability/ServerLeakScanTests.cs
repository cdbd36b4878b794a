using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using AwsVault.Output;
using AwsVault.Server;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Server;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using Xunit.Abstractions;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// The leak scan of <see cref="LeakScanTests"/> for the credential server: every command's streams (with
    /// -Verbose and -Debug), the host transcript (where background warnings go), every refused or failed
    /// response body, views of the server object, and the files written outside the vault. No stored key, session
    /// key, session token, passphrase or authorization token may appear. The exceptions are the places whose
    /// purpose is to hand them out: a 200 response body (credentials) and Export-AwsVaultSession -Server's output
    /// stream (the token).
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class ServerLeakScanTests : IDisposable
    {
        private readonly ITestOutputHelper _output;
        private readonly List<(string Where, string Text)> _seen = new List<(string, string)>();
        private readonly SecretWatch _watch = new SecretWatch();
        private readonly List<string> _exported = new List<string>();

        public ServerLeakScanTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose() => CredentialServerRegistry.StopAll();

        [Fact]
        public void NoServerScenarioShowsAKeyTokenOrAuthorizationToken()
        {
            using var f = new SessionFixture();
            _watch.Add("alice's secret key", EmulatedSts.AliceSecret);
            _watch.Add("bob's secret key", EmulatedSts.BobSecret);
            _watch.Add("the vault passphrase", TestEnvironment.Passphrase);
            using var http = new HttpClient();

            var admin = Start(f, "admin -MfaToken " + f.Code() + " -Verbose -Debug");
            var bob = Start(f, "bob -Verbose -Debug");
            Run(f, "list servers", "Get-AwsVaultCredentialServer -Verbose -Debug | ForEach-Object { $_; $_.ToString(); \"$_\"; [string]$_.AuthorizationToken; $_.PSObject.Properties | ForEach-Object { $_.Name + '=' + $_.Value } }");
            Run(f, "server views", "Get-AwsVaultCredentialServer | Format-Table | Out-String; Get-AwsVaultCredentialServer | Format-List | Out-String; Get-AwsVaultCredentialServer | ConvertTo-Json -Depth 2");

            // Requests: a 200 body holds credentials by design; every other answer is scanned.
            using (var ok = http.Send(CredentialServerCommandTests.Request(admin))) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Respond(http, "no token", new HttpRequestMessage(HttpMethod.Get, admin.Uri));
            var wrong = new HttpRequestMessage(HttpMethod.Get, admin.Uri);
            wrong.Headers.TryAddWithoutValidation("Authorization", new string('a', 64));
            Respond(http, "wrong token", wrong);
            var origin = CredentialServerCommandTests.Request(admin);
            origin.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            Respond(http, "browser origin", origin);
            var host = CredentialServerCommandTests.Request(admin);
            host.Headers.Host = "rebound.example:" + admin.Port;
            // .NET's managed listener answers a foreign Host itself (404), and then answers the next request on that
            // connection with an empty 200 that never reaches the server: the scan wants the server's own answers.
            host.Headers.ConnectionClose = true;
            Respond(http, "foreign host", host);
            var post = CredentialServerCommandTests.Request(admin);
            post.Method = HttpMethod.Post;
            post.Content = new StringContent("{}");
            Respond(http, "POST", post);

            // A background re-issue that needs MFA: the JSON 500 and the host warning.
            f.World.CredentialLifetimeOverride = TimeSpan.FromSeconds(8);
            f.Env.Set("AWS_MIN_TTL", "5s");
            var alice = Start(f, "alice -Refresh -MfaToken " + NextCode(f) + " -Verbose -Debug");
            System.Threading.Thread.Sleep(TimeSpan.FromSeconds(4));
            Respond(http, "MFA needed in the background", CredentialServerCommandTests.Request(alice), HttpStatusCode.InternalServerError);
            f.World.CredentialLifetimeOverride = null;

            Run(f, "export Env", "Get-AwsVaultCredentialServer bob | Export-AwsVaultSession -Format Env -Verbose -Debug", export: true);
            Run(f, "export ExportEnv", "Export-AwsVaultSession -Server (Get-AwsVaultCredentialServer bob) -Format ExportEnv -Verbose -Debug", export: true);
            Run(f, "export PowerShell", "Export-AwsVaultSession -Server (Get-AwsVaultCredentialServer bob) -Format PowerShell -Verbose -Debug", export: true);
            Fails(f, "export Ini", "Export-AwsVaultSession -Server (Get-AwsVaultCredentialServer bob) -Format Ini -Verbose -Debug", "CredentialServerFormatNotSupported");
            Fails(f, "export CredentialProcess", "Export-AwsVaultSession -Server (Get-AwsVaultCredentialServer bob) -Format CredentialProcess -Verbose -Debug", "CredentialServerFormatNotSupported");

            // Invoke-AwsVault -Server: the block's token is kept aside (not written) to be watched for too.
            Run(f, "Invoke -Server script block", "Invoke-AwsVault readonly -Server -Verbose -Debug { $global:invokeToken = $env:AWS_CONTAINER_AUTHORIZATION_TOKEN; 'inside' }");
            _watch.Add("an Invoke-AwsVault -Server authorization token", (string)f.Ps.Run("$global:invokeToken").Output.Single().BaseObject);
            Run(f, "Invoke -Server child", "Invoke-AwsVault readonly -Server -Verbose -Debug -- sh -c 'echo child ran; exit 7'; $LASTEXITCODE");
            Fails(f, "Invoke -Server -NoSession", "Invoke-AwsVault bob -Server -NoSession -Verbose -Debug { 'never' }", "CredentialServerLongLivedKeyRefused");
            Fails(f, "Start -NoSession", "Start-AwsVaultCredentialServer bob -NoSession -Verbose -Debug", "CredentialServerLongLivedKeyRefused");
            Fails(f, "Start on a bad address", "Start-AwsVaultCredentialServer bob -ListenAddress nowhere -Verbose -Debug", "CredentialServerListenAddressInvalid");
            Fails(f, "Start on a taken port", "Start-AwsVaultCredentialServer bob -Port " + bob.Port + " -Verbose -Debug", "CredentialServerStartFailed");

            var stopped = new[] { admin, bob, alice };
            Run(f, "stop", "Get-AwsVaultCredentialServer | Stop-AwsVaultCredentialServer -Verbose -Debug");
            f.Ps.Run("$global:gone = $s", new Dictionary<string, object> { ["s"] = bob }).ThrowIfErrors();
            Fails(f, "export a stopped server", "Export-AwsVaultSession -Server $global:gone -Format Env -Verbose -Debug", "CredentialServerNotRunning");

            foreach (var server in stopped) _watch.Add("a credential server's authorization token", CredentialServerCommandTests.Plain(server.AuthorizationToken));
            foreach (var issued in f.World.Sessions)
            {
                _watch.Add("a session secret key issued by STS", issued.SecretAccessKey);
                _watch.Add("a session token issued by STS", issued.SessionToken);
            }
            string transcript = f.Host.ScriptedUI.Transcript.ToString();
            Assert.Contains("MfaTokenRequired", transcript);
            _seen.Add(("the host transcript (background warnings)", transcript));
            foreach (string file in LeakScanTests.FilesOutsideTheVault(f.Env.Root, f.Env.VaultDirectory))
            {
                if (file == Path.GetFullPath(f.Env.ConfigFile)) continue;
                _seen.Add(("the file " + file, File.ReadAllText(file)));
            }

            foreach (var (where, text) in _seen) _watch.AssertAbsent(where, text);
            // The scan sees a token where one is: the export's own output holds the server's.
            Assert.Throws<Xunit.Sdk.FailException>(() => _watch.AssertAbsent("the intended export output", string.Join("\n", _exported)));
            _output.WriteLine(_seen.Count + " captures scanned for " + _watch.Count + " secrets.");
        }

        private CredentialServerInfo Start(SessionFixture f, string arguments)
        {
            var r = Run(f, "Start-AwsVaultCredentialServer " + arguments, "Start-AwsVaultCredentialServer " + arguments);
            return (CredentialServerInfo)r.Output.Single().BaseObject;
        }

        /// <summary>A fresh code: alice's earlier one was spent, and AWS takes each code once.</summary>
        private static string NextCode(SessionFixture f)
        {
            for (int i = 0; ; i++)
            {
                try
                {
                    return f.Code();
                }
                catch (InvalidOperationException) when (i < 40)
                {
                    System.Threading.Thread.Sleep(1000);
                }
            }
        }

        private void Respond(HttpClient http, string scenario, HttpRequestMessage request, HttpStatusCode? expected = null)
        {
            using var response = http.Send(request);
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            Assert.True(expected.HasValue ? response.StatusCode == expected.Value : (int)response.StatusCode >= 400, scenario + ": " + response.StatusCode);
            _seen.Add(("the response to a request with " + scenario, response.StatusCode + " " + response.Headers + body));
        }

        private ScriptResult Run(SessionFixture f, string scenario, string script, bool export = false)
        {
            var r = LoudRun.Succeeds(f.Ps, scenario, script);
            if (export) _exported.AddRange(r.Output.Select(o => o.ToString()));
            _seen.Add((scenario, Visible.Of(r, includeOutput: !export)));
            return r;
        }

        private void Fails(SessionFixture f, string scenario, string script, string errorId)
        {
            var r = LoudRun.FailsWith(f.Ps, scenario, script, errorId);
            _seen.Add((scenario + " (" + errorId + ")", Visible.Of(r)));
        }
    }
}
