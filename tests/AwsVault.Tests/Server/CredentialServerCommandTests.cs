using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsVault.Output;
using AwsVault.Server;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;

namespace AwsVault.Tests.Server
{
    /// <summary>
    /// The credential server as a user reaches it, through PowerShell: Invoke-AwsVault -Server (both forms),
    /// Start-/Get-/Stop-AwsVaultCredentialServer and Export-AwsVaultSession -Server, against the STS emulator
    /// and the real AWS CLI.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class CredentialServerCommandTests : IDisposable
    {
        private static string Cli => StsEmulator.ChildProcess.AwsCli;

        public void Dispose() => CredentialServerRegistry.StopAll();

        internal static string Plain(System.Security.SecureString s) => new NetworkCredential(string.Empty, s).Password;

        private static string CallerIdentity(SessionFixture f, string output) =>
            "\"" + Cli + "\" sts get-caller-identity --endpoint-url " + f.Sts.Endpoint.TrimEnd('/') + " --region eu-west-1 --output text --query Arn" + output;

        internal static CredentialServerInfo Start(SessionFixture f, string arguments)
        {
            var r = f.Ps.Run("Start-AwsVaultCredentialServer " + arguments).ThrowIfErrors();
            return (CredentialServerInfo)Assert.Single(r.Output).BaseObject;
        }

        private static bool PortOpen(int port)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        internal static HttpRequestMessage Request(CredentialServerInfo server)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, server.Uri);
            request.Headers.TryAddWithoutValidation("Authorization", Plain(server.AuthorizationToken));
            return request;
        }

        [Fact]
        public void TheAwsCliInAChildGetsItsCredentialsFromTheServerAndTheExitCodeSurvives()
        {
            using var f = new SessionFixture();
            string envFile = Path.Combine(f.Env.Root, "child-env.txt"), arnFile = Path.Combine(f.Env.Root, "arn.txt");
            var r = f.Ps.Run("Invoke-AwsVault admin -MfaToken " + f.Code() + " -Server -- sh -c 'env > \"" + envFile + "\"; " +
                             CallerIdentity(f, " > \"" + arnFile + "\"") + " || exit 1; exit 7'; $LASTEXITCODE").ThrowIfErrors();
            Assert.Equal(7, (int)r.Output.Last().BaseObject);

            var env = File.ReadAllLines(envFile).Where(l => l.Contains('=')).ToDictionary(l => l.Substring(0, l.IndexOf('=')), l => l.Substring(l.IndexOf('=') + 1));
            Assert.False(env.ContainsKey("AWS_ACCESS_KEY_ID"));
            Assert.False(env.ContainsKey("AWS_SECRET_ACCESS_KEY"));
            Assert.False(env.ContainsKey("AWS_SESSION_TOKEN"));
            Assert.Equal("admin", env["AWS_VAULT"]);
            Assert.Equal(64, env["AWS_CONTAINER_AUTHORIZATION_TOKEN"].Length);
            var uri = new Uri(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
            Assert.Equal("127.0.0.1", uri.Host);
            Assert.Equal("/credentials", uri.AbsolutePath);

            string arn = File.ReadAllText(arnFile).Trim();
            Assert.StartsWith("arn:aws:sts::" + EmulatedSts.RoleAccount + ":assumed-role/Admin/", arn);
            Assert.Equal(arn, f.World.CallsTo("GetCallerIdentity").Single().CallerArn);
            Assert.Equal(new[] { "GetSessionToken", "AssumeRole", "GetCallerIdentity" }, f.World.Calls.Select(c => c.Action).ToArray());
            // The server stopped with the child: its port is closed, and nothing of it is registered.
            Assert.False(PortOpen(uri.Port));
            Assert.Empty(CredentialServerRegistry.Snapshot());
        }

        [Fact]
        public void AScriptBlockSeesTheServerAndTheEnvironmentIsRestoredAfterwards()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_ACCESS_KEY_ID", "AKIAOUTSIDEEXAMPLE00");
            f.Env.Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/outside");
            var before = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value);
            var r = f.Ps.Run("Invoke-AwsVault admin -MfaToken " + f.Code() + " -Server { " +
                             "'key:' + [bool]$env:AWS_ACCESS_KEY_ID; 'relative:' + [bool]$env:AWS_CONTAINER_CREDENTIALS_RELATIVE_URI; 'uri:' + $env:AWS_CONTAINER_CREDENTIALS_FULL_URI; " +
                             "'arn:' + (& sh -c '" + CallerIdentity(f, "") + "') }").ThrowIfErrors();
            var lines = r.Output.Select(o => o.ToString()).ToList();
            Assert.Contains("key:False", lines);
            Assert.Contains("relative:False", lines);
            var uri = new Uri(lines.Single(l => l.StartsWith("uri:")).Substring(4));
            Assert.StartsWith("arn:arn:aws:sts::" + EmulatedSts.RoleAccount + ":assumed-role/Admin/", lines.Single(l => l.StartsWith("arn:")));

            var after = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value);
            Assert.Equal(before, after);
            Assert.False(PortOpen(uri.Port));

            // A block that throws stops the server too.
            var thrown = f.Ps.RunCatching("Invoke-AwsVault admin -Server { $env:AWS_CONTAINER_CREDENTIALS_FULL_URI; throw 'boom' }");
            Assert.NotNull(thrown.Terminating);
            Assert.False(PortOpen(new Uri(thrown.Output.Single().ToString()).Port));
            Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
        }

        [Fact]
        public void ALongChildNeverFailsWhileTheServerReissuesShortSessionsWithoutAnMfaPrompt()
        {
            using var f = new SessionFixture();
            // The MFA session (8 h) is cached first; only the role's sessions are short from then on.
            f.Ps.Run("Get-AwsVaultSession admin -MfaToken " + f.Code() + "; Clear-AwsVaultSession admin").ThrowIfErrors();
            f.World.CredentialLifetimeOverride = TimeSpan.FromSeconds(20);
            f.Env.Set("AWS_MIN_TTL", "5s");
            f.World.ClearCalls();
            string log = Path.Combine(f.Env.Root, "calls.txt");
            var r = f.Ps.Run("Invoke-AwsVault admin -Server -- sh -c 'ok=0; for i in $(seq 1 13); do " + CallerIdentity(f, "") +
                             " >> \"" + log + "\" 2>&1 && ok=$((ok+1)); sleep 5; done; exit $((13-ok))'; $LASTEXITCODE").ThrowIfErrors();

            string calls = File.ReadAllText(log);
            Assert.True(0 == (int)r.Output.Last().BaseObject, calls);
            Assert.Equal(13, calls.Split('\n').Count(l => l.Contains(":assumed-role/Admin/")));
            Assert.Equal(13, f.World.CallsTo("GetCallerIdentity").Count);
            Assert.True(f.World.CallsTo("AssumeRole").Count >= 3, "AssumeRole calls: " + f.World.CallsTo("AssumeRole").Count);
            Assert.Empty(f.World.CallsTo("GetSessionToken"));
            Assert.Empty(f.Host.ScriptedUI.Prompts);
            Assert.Empty(r.Warnings);
        }

        [Fact]
        public async Task TwoHundredRequestsFromEightClientsAtAWarmServerNeedNoStsCall()
        {
            using var f = new SessionFixture();
            var server = Start(f, "readonly");
            Assert.Equal(new[] { "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            f.World.ClearCalls();

            using var http = new HttpClient();
            var keys = new System.Collections.Concurrent.ConcurrentBag<string>();
            var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                for (int i = 0; i < 25; i++)
                {
                    using var response = await http.SendAsync(Request(server));
                    string body = await response.Content.ReadAsStringAsync();
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    keys.Add(JsonDocument.Parse(body).RootElement.GetProperty("AccessKeyId").GetString());
                }
            })).ToArray();
            await Task.WhenAll(clients);

            Assert.Equal(200, keys.Count);
            Assert.Single(keys.Distinct());
            Assert.Empty(f.World.Calls);
            Assert.Equal(200, server.RequestsServed);
            Assert.Equal(0, server.RequestsRefused);
        }

        [Fact]
        public void StartGetAndStopLeaveNoListenerBehind()
        {
            using var f = new SessionFixture();
            var server = Start(f, "bob -Port 0");
            Assert.True(server.Running);
            Assert.Equal("bob", server.ProfileName);
            Assert.Equal("127.0.0.1", server.ListenAddress);
            Assert.Equal("http://127.0.0.1:" + server.Port + "/credentials", server.Uri.ToString());
            Assert.InRange((DateTime.UtcNow - server.StartTime).TotalSeconds, 0, 60);
            Assert.Equal("us-west-2", server.Region);
            Assert.Equal(64, Plain(server.AuthorizationToken).Length);
            Assert.True(PortOpen(server.Port));

            var listed = f.Ps.Run("Get-AwsVaultCredentialServer b*").ThrowIfErrors();
            Assert.Same(server, Assert.Single(listed.Output).BaseObject);
            Assert.Empty(f.Ps.Run("Get-AwsVaultCredentialServer nobody").ThrowIfErrors().Output);
            string table = string.Join("\n", f.Ps.Run("Get-AwsVaultCredentialServer | Format-Table | Out-String -Width 200").ThrowIfErrors().Output);
            Assert.Contains("RequestsServed", table);
            Assert.Contains(server.Uri.ToString(), table);
            string list = string.Join("\n", f.Ps.Run("Get-AwsVaultCredentialServer | Format-List | Out-String -Width 200").ThrowIfErrors().Output);
            Assert.Contains("(hidden)", list);
            Assert.DoesNotContain(Plain(server.AuthorizationToken), list + table);

            f.Ps.Run("Get-AwsVaultCredentialServer bob | Stop-AwsVaultCredentialServer -WhatIf").ThrowIfErrors();
            Assert.True(server.Running);
            f.Ps.Run("Get-AwsVaultCredentialServer bob | Stop-AwsVaultCredentialServer").ThrowIfErrors();
            Assert.False(server.Running);
            Assert.False(PortOpen(server.Port));
            Assert.True(server.Instance.Server.AcceptLoopTask.IsCompleted);
            Assert.Empty(f.Ps.Run("Get-AwsVaultCredentialServer").ThrowIfErrors().Output);

            // -InputObject by name, and a second stop of the same object, change nothing.
            var second = Start(f, "bob");
            f.Ps.Run("Stop-AwsVaultCredentialServer -InputObject $s; Stop-AwsVaultCredentialServer $s", new Dictionary<string, object> { ["s"] = second }).ThrowIfErrors();
            Assert.False(PortOpen(second.Port));
            Assert.True(second.Instance.Server.AcceptLoopTask.IsCompleted);
        }

        /// <summary>In a process of its own: this test process holds imports of other tests, and only the last removal counts.</summary>
        [Fact]
        public async Task RemovingTheModuleStopsItsServers()
        {
            using var f = new SessionFixture();
            var r = await EndToEnd.EndToEndTests.Pwsh(f, "Import-Module " + MultiProcess.PwshHostProcess.Quote(ModuleAssembly.ManifestPath) + "; " +
                "$s = Start-AwsVaultCredentialServer bob; 'port:' + $s.Port; 'listed:' + @(Get-AwsVaultCredentialServer).Count; Remove-Module AwsVault; 'running:' + $s.Running; " +
                "try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $s.Port); $c.Dispose(); 'open' } catch { 'closed' }");
            Assert.True(r.ExitCode == 0, r.ToString());
            var lines = r.StdOut.Split('\n').Select(l => l.Trim()).ToList();
            Assert.Contains("listed:1", lines);
            Assert.Contains("running:False", lines);
            Assert.Contains("closed", lines);
            Assert.False(PortOpen(int.Parse(lines.Single(l => l.StartsWith("port:")).Substring(5))));
        }

        [Fact]
        public async Task AReissueThatNeedsAnMfaCodeFailsAsJsonWithOneWarningAndBlocksNothing()
        {
            using var f = new SessionFixture();
            f.World.CredentialLifetimeOverride = TimeSpan.FromSeconds(8);
            f.Env.Set("AWS_MIN_TTL", "5s");
            var alice = Start(f, "alice -MfaToken " + f.Code());
            var bob = Start(f, "bob");
            using var http = new HttpClient();
            using (var first = await http.SendAsync(Request(alice))) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

            await Task.Delay(TimeSpan.FromSeconds(4)); // less than AWS_MIN_TTL left: the next request needs a new MFA session
            for (int i = 0; i < 3; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                using var failed = await http.SendAsync(Request(alice));
                string body = await failed.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
                var json = JsonDocument.Parse(body).RootElement;
                Assert.Equal("MfaTokenRequired", json.GetProperty("code").GetString());
                Assert.Contains("credential server answers requests in the background", json.GetProperty("message").GetString());
                Assert.Contains("Get-AwsVaultSession alice", json.GetProperty("message").GetString());
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "a failing request took " + watch.Elapsed);
                // Another server (and another request) is served meanwhile.
                using var other = await http.SendAsync(Request(bob));
                Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            }
            Assert.Empty(f.Host.ScriptedUI.Prompts);
            string transcript = f.Host.ScriptedUI.Transcript.ToString();
            Assert.Equal(1, CountOf(transcript, "(MfaTokenRequired)"));
            Assert.Single(f.World.CallsTo("GetSessionToken").Where(c => c.UsedMfa));
        }

        private static int CountOf(string text, string piece)
        {
            int count = 0;
            for (int i = text.IndexOf(piece, StringComparison.Ordinal); i >= 0; i = text.IndexOf(piece, i + 1, StringComparison.Ordinal)) count++;
            return count;
        }

        [Fact]
        public void ExportPrintsTheTwoVariablesOfARunningServer()
        {
            using var f = new SessionFixture();
            var server = Start(f, "bob");
            string token = Plain(server.AuthorizationToken);
            var vars = new Dictionary<string, object> { ["s"] = server };

            var env = f.Ps.Run("$s | Export-AwsVaultSession -Format Env", vars).ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(new[] { "AWS_CONTAINER_CREDENTIALS_FULL_URI=" + server.Uri, "AWS_CONTAINER_AUTHORIZATION_TOKEN=" + token }, env);
            var exportEnv = f.Ps.Run("Export-AwsVaultSession -Server $s -Format ExportEnv", vars).ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(new[] { "export AWS_CONTAINER_CREDENTIALS_FULL_URI=" + server.Uri, "export AWS_CONTAINER_AUTHORIZATION_TOKEN=" + token }, exportEnv);
            var ps = f.Ps.Run("Export-AwsVaultSession -Server $s -Format PowerShell", vars).ThrowIfErrors().Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(new[] { "$env:AWS_CONTAINER_CREDENTIALS_FULL_URI = '" + server.Uri + "'", "$env:AWS_CONTAINER_AUTHORIZATION_TOKEN = '" + token + "'" }, ps);
            Assert.DoesNotContain(string.Join("\n", env.Concat(exportEnv).Concat(ps)), "ASIA");

            var cp = f.Ps.RunCatching("Export-AwsVaultSession -Server $s -Format CredentialProcess".Replace("$s", "(Get-AwsVaultCredentialServer bob)"));
            AssertError(cp, "CredentialServerFormatNotSupported", ErrorCategory.InvalidArgument);
            var ini = f.Ps.RunCatching("Export-AwsVaultSession -Server (Get-AwsVaultCredentialServer bob) -Format Ini");
            AssertError(ini, "CredentialServerFormatNotSupported", ErrorCategory.InvalidArgument);
            var shaped = f.Ps.RunCatching("Export-AwsVaultSession -Server (Get-AwsVaultCredentialServer bob) -Format Env -Duration 2h");
            AssertError(shaped, "SessionParameterNotApplicable", ErrorCategory.InvalidArgument);

            f.Ps.Run("$global:stoppedServer = $s; Stop-AwsVaultCredentialServer (Get-AwsVaultCredentialServer bob)", vars).ThrowIfErrors();
            var stopped = f.Ps.RunCatching("Export-AwsVaultSession -Server $global:stoppedServer -Format Env");
            AssertError(stopped, "CredentialServerNotRunning", ErrorCategory.InvalidOperation);
            Assert.Empty(stopped.Output);
        }

        [Fact]
        public void AnExportedServerWorksFromAnotherProcess()
        {
            using var f = new SessionFixture();
            var server = Start(f, "readonly");
            string envText = string.Join("\n", f.Ps.Run("Get-AwsVaultCredentialServer readonly | Export-AwsVaultSession -Format Env").ThrowIfErrors().Output);
            var vars = envText.Split('\n').ToDictionary(l => l.Substring(0, l.IndexOf('=')), l => l.Substring(l.IndexOf('=') + 1));
            using var cli = new StsEmulator.ChildProcess();
            var (exit, stdout, stderr) = cli.Run(Cli, new[] { "sts", "get-caller-identity", "--endpoint-url", f.Sts.Endpoint.TrimEnd('/'), "--region", "us-west-2", "--output", "text", "--query", "Arn" }, vars);
            Assert.True(exit == 0, stderr);
            Assert.Contains(":assumed-role/ReadOnly/", stdout);
            Assert.True(server.RequestsServed >= 1);
        }

        [Fact]
        public void BadStartsAreRefusedWithTheirOwnIds()
        {
            using var f = new SessionFixture();
            var address = f.Ps.RunCatching("Start-AwsVaultCredentialServer bob -ListenAddress not-an-address");
            AssertError(address, "CredentialServerListenAddressInvalid", ErrorCategory.InvalidArgument);
            var noSession = f.Ps.RunCatching("Start-AwsVaultCredentialServer bob -NoSession");
            AssertError(noSession, "CredentialServerLongLivedKeyRefused", ErrorCategory.SecurityError);
            var invokeNoSession = f.Ps.RunCatching("Invoke-AwsVault bob -Server -NoSession { 'ran' }");
            AssertError(invokeNoSession, "CredentialServerLongLivedKeyRefused", ErrorCategory.SecurityError);
            Assert.Empty(invokeNoSession.Output);

            var taken = Start(f, "bob");
            var busy = f.Ps.RunCatching("Start-AwsVaultCredentialServer bob -Port " + taken.Port);
            AssertError(busy, "CredentialServerStartFailed", ErrorCategory.ResourceUnavailable);
            Assert.Single(CredentialServerRegistry.Snapshot());
            Assert.Empty(f.Ps.Run("Start-AwsVaultCredentialServer bob -WhatIf").ThrowIfErrors().Output);
            Assert.Single(CredentialServerRegistry.Snapshot());
        }

        [Fact]
        public void AnyAddressOtherThanLoopbackNeedsListenAddressAndWarns()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("Start-AwsVaultCredentialServer bob -ListenAddress 0.0.0.0").ThrowIfErrors();
            var server = (CredentialServerInfo)Assert.Single(r.Output).BaseObject;
            Assert.Equal("0.0.0.0", server.ListenAddress);
            var warning = Assert.Single(r.Warnings);
            Assert.Contains("not only on loopback", warning);
            Assert.Contains("clear text", warning);
            Assert.Empty(f.Ps.Run("Start-AwsVaultCredentialServer bob -ListenAddress localhost; Start-AwsVaultCredentialServer bob").ThrowIfErrors().Warnings);
        }
    }
}
