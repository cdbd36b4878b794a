using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AwsVault.Tests.Sts;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.StsEmulator
{
    /// <summary>`dotnet StsEmulator.dll --world world.json`, the way Pester and other processes run it.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class StandaloneTests
    {
        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        private const int SIGTERM = 15;

        private sealed class Standalone : IDisposable
        {
            public Standalone(string worldPath, params string[] extra)
            {
                string dll = typeof(StsServer).Assembly.Location;
                var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (string a in new[] { dll, "--world", worldPath }.Concat(extra)) psi.ArgumentList.Add(a);
                Process = Process.Start(psi);
                Stderr = Process.StandardError.ReadToEndAsync();
            }

            public Process Process { get; }
            public Task<string> Stderr { get; }

            public async Task<Uri> ListeningAsync()
            {
                var line = Process.StandardOutput.ReadLineAsync();
                Assert.True(await Task.WhenAny(line, Task.Delay(30_000)) == line, "no Listening line within 30 s; stderr: " + (Stderr.IsCompleted ? Stderr.Result : ""));
                var m = Regex.Match(line.Result ?? "", @"^Listening on (http://127\.0\.0\.1:(\d+)/)$");
                Assert.True(m.Success, "first line was '" + line.Result + "'");
                return new Uri(m.Groups[1].Value);
            }

            public bool Exited(int milliseconds) => Process.WaitForExit(milliseconds);

            public void Dispose()
            {
                if (!Process.HasExited) Process.Kill(entireProcessTree: true);
                Process.Dispose();
            }
        }

        private static string WriteWorld(out StsWorld world)
        {
            world = new StsWorld();
            var alice = world.AddUser(EmulatedSts.UserAccount, "alice", EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret);
            world.AddMfaDevice(alice);
            world.AddRole(EmulatedSts.AdminArn, 43200, true);
            string path = Path.Combine(Path.GetTempPath(), "sts-world-" + Guid.NewGuid().ToString("N") + ".json");
            world.Save(path);
            return path;
        }

        [Fact]
        public async Task ServesTheWorldFileAndAnswersControlRequestsUntilStdinCloses()
        {
            string path = WriteWorld(out var world);
            try
            {
                using var emulator = new Standalone(path);
                var endpoint = await emulator.ListeningAsync();
                using var cli = new ChildProcess();
                using var http = new HttpClient { BaseAddress = endpoint };

                var (exit, stdout, stderr) = cli.Aws(endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null, "get-caller-identity");
                Assert.True(exit == 0, stderr);
                Assert.Equal("arn:aws:iam::111122223333:user/alice", JsonDocument.Parse(stdout).RootElement.GetProperty("Arn").GetString());

                // An MFA code from the control API, for machines without oathtool.
                string serial = world.Users[0].MfaDevice.SerialNumber;
                var codeJson = JsonDocument.Parse(await http.GetStringAsync("/_emulator/token-code?serialNumber=" + Uri.EscapeDataString(serial)));
                string code = codeJson.RootElement.GetProperty("tokenCode").GetString();
                (exit, _, stderr) = cli.Aws(endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null,
                    "get-session-token", "--serial-number", serial, "--token-code", code);
                Assert.True(exit == 0, stderr);

                var fault = await http.PostAsync("/_emulator/faults", new StringContent("{\"action\":\"GetCallerIdentity\",\"kind\":\"ServerError\",\"status\":503}", Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
                (exit, _, stderr) = cli.Aws(endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null, "get-caller-identity");
                Assert.NotEqual(0, exit);
                Assert.Contains("ServiceUnavailable", stderr);

                var calls = JsonDocument.Parse(await http.GetStringAsync("/_emulator/calls")).RootElement.EnumerateArray().ToList();
                Assert.Equal(new[] { "GetCallerIdentity", "GetSessionToken", "GetCallerIdentity" }, calls.Select(c => c.GetProperty("action").GetString()).ToArray());
                Assert.True(calls[1].GetProperty("usedMfa").GetBoolean());
                Assert.Equal("***", calls[1].GetProperty("parameters").GetProperty("TokenCode").GetString());
                Assert.Equal(503, calls[2].GetProperty("httpStatus").GetInt32());

                Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/_emulator/calls")).StatusCode);
                Assert.Equal(0, JsonDocument.Parse(await http.GetStringAsync("/_emulator/calls")).RootElement.GetArrayLength());

                emulator.Process.StandardInput.Close();
                Assert.True(emulator.Exited(15_000), "still running after stdin closed");
                Assert.Equal(0, emulator.Process.ExitCode);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task StopsOnSigterm()
        {
            string path = WriteWorld(out _);
            try
            {
                using var emulator = new Standalone(path, "--port", "0");
                var endpoint = await emulator.ListeningAsync();
                Assert.NotEqual(0, endpoint.Port);

                Assert.Equal(0, kill(emulator.Process.Id, SIGTERM));

                Assert.True(emulator.Exited(15_000), "still running after SIGTERM");
                Assert.Equal(0, emulator.Process.ExitCode);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void BadArgumentsExitWithUsage()
        {
            using var emulator = new Standalone(Path.Combine(Path.GetTempPath(), "does-not-exist-" + Guid.NewGuid().ToString("N") + ".json"));
            Assert.True(emulator.Exited(30_000));
            Assert.Equal(2, emulator.Process.ExitCode);
            Assert.Contains("cannot load", emulator.Stderr.Result);
        }

        [Fact]
        public void WorldJsonRoundTrips()
        {
            var world = new StsWorld();
            var alice = world.AddUser(EmulatedSts.UserAccount, "alice", EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret);
            world.AddMfaDevice(alice, "alice-phone");
            world.AddRole(EmulatedSts.PartnerArn, 7200, true, EmulatedSts.PartnerExternalId, alice.Arn);
            world.AcceptWebIdentityToken("a.b.c");

            var copy = StsWorld.FromJson(world.ToJson());

            var user = Assert.Single(copy.Users);
            Assert.Equal(alice.UserId, user.UserId);
            Assert.Equal(EmulatedSts.AliceSecret, user.Key.SecretAccessKey);
            Assert.Equal("arn:aws:iam::111122223333:mfa/alice-phone", user.MfaDevice.SerialNumber);
            Assert.Equal(alice.MfaDevice.Base32Secret, user.MfaDevice.Base32Secret);
            var role = Assert.Single(copy.Roles);
            Assert.Equal((EmulatedSts.PartnerArn, 7200, true, EmulatedSts.PartnerExternalId), (role.Arn, role.MaxSessionDuration, role.RequireMfa, role.ExternalId));
            Assert.Equal(new[] { alice.Arn }, role.TrustedPrincipalArns);
            Assert.Equal(new[] { "a.b.c" }, copy.AcceptedWebIdentityTokens);
            Assert.Equal(new[] { "111122223333", "444455556666" }, copy.Accounts);
        }

        [Fact]
        public void HandWrittenWorldUsesDefaults()
        {
            var world = StsWorld.FromJson(@"{
              ""users"": [ { ""name"": ""bob"", ""account"": ""111122223333"",
                             ""accessKeys"": [ { ""accessKeyId"": ""AKIAI44QH8DHBEXAMPLE"", ""secretAccessKey"": ""je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"" } ] } ],
              ""roles"": [ { ""arn"": ""arn:aws:iam::444455556666:role/ReadOnly"" } ]
            }");

            Assert.StartsWith("AIDA", world.Users[0].UserId);
            Assert.True(world.Users[0].Key.Active);
            Assert.Equal(3600, world.Roles[0].MaxSessionDuration);
            Assert.False(world.Roles[0].RequireMfa);
            Assert.Empty(world.Roles[0].TrustedPrincipalArns);
            Assert.Throws<ArgumentException>(() => StsWorld.FromJson(@"{ ""roles"": [ { ""arn"": ""arn:aws:iam::1:role/x"" } ] }"));
            Assert.Throws<ArgumentException>(() => StsWorld.FromJson(@"{ ""users"": [ { ""name"": ""x"", ""account"": ""12"" } ] }"));
        }
    }
}
