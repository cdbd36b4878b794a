using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AwsVault.Tests.StsEmulator;
using Xunit;

namespace AwsVault.Tests.SsoEmulator
{
    /// <summary>The real AWS CLI v2 (`aws sso …`, botocore's bearer-token portal client) against the emulator.</summary>
    public class AwsCliTests
    {
        private static (int ExitCode, string Stdout, string Stderr) Sso(ChildProcess cli, EmulatedSso sso, params string[] args)
        {
            var all = new List<string> { "sso" };
            all.AddRange(args);
            all.AddRange(new[] { "--endpoint-url", sso.Endpoint.TrimEnd('/'), "--region", "us-east-1", "--output", "json" });
            return cli.Run(ChildProcess.AwsCli, all, new Dictionary<string, string>());
        }

        [Fact]
        public async Task CliSendsTheBearerTokenHeaderAndReadsThePortalsAnswers()
        {
            using var sso = new EmulatedSso();
            var token = await sso.SignIn();
            using var cli = new ChildProcess();

            var accounts = Sso(cli, sso, "list-accounts", "--access-token", token.AccessToken);
            var creds = Sso(cli, sso, "get-role-credentials", "--access-token", token.AccessToken, "--account-id", EmulatedSso.Dev, "--role-name", "ReadOnly");

            Assert.True(accounts.ExitCode == 0, accounts.Stderr);
            using (var json = JsonDocument.Parse(accounts.Stdout))
            {
                var list = json.RootElement.GetProperty("accountList").EnumerateArray().Select(a => a.GetProperty("accountId").GetString()).ToArray();
                Assert.Equal(new[] { EmulatedSso.Dev, EmulatedSso.Prod }, list);
            }
            Assert.True(creds.ExitCode == 0, creds.Stderr);
            using (var json = JsonDocument.Parse(creds.Stdout))
            {
                var rc = json.RootElement.GetProperty("roleCredentials");
                string keyId = rc.GetProperty("accessKeyId").GetString();
                Assert.Equal(sso.World.Sts.Session(keyId).Expiration.ToUnixTimeMilliseconds(), rc.GetProperty("expiration").GetInt64());
            }
            var portalCalls = sso.World.Calls.Where(c => c.Service == "portal.sso").ToList();
            Assert.Equal(new[] { "ListAccounts", "GetRoleCredentials" }, portalCalls.Select(c => c.Action));
            Assert.All(portalCalls, c => Assert.True(c.SentBearerToken));
            Assert.All(portalCalls, c => Assert.StartsWith("aws-cli/2.", c.UserAgent));
        }

        [Fact]
        public void CliReportsUnauthorizedForAnUnknownToken()
        {
            using var sso = new EmulatedSso();
            using var cli = new ChildProcess();

            var (exit, _, stderr) = Sso(cli, sso, "list-accounts", "--access-token", "aoa-unknown");

            Assert.NotEqual(0, exit);
            // botocore adds "(reached max retries: N)" before the colon when its retry handler saw the call.
            Assert.True(Regex.IsMatch(stderr, @"An error occurred \(UnauthorizedException\) when calling the ListAccounts operation( \(reached max retries: \d+\))?: Session token not found or invalid"), stderr);
        }
    }
}
