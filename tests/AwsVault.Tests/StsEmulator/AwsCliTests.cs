using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using AwsVault.Tests.Sts;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.StsEmulator
{
    /// <summary>The real AWS CLI v2 (botocore's signer and XML parser) against the emulator.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class AwsCliTests
    {
        /// <summary>botocore's error line; with retries configured it adds "(reached max retries: N)" before the colon.</summary>
        private static void CliError(string stderr, string code, string operation, string messageStart)
        {
            var pattern = "An error occurred \\(" + code + "\\) when calling the " + operation + " operation( \\(reached max retries: \\d+\\))?: " + Regex.Escape(messageStart);
            Assert.True(Regex.IsMatch(stderr, pattern), stderr);
        }

        [Fact]
        public void GetCallerIdentityWithLongTermKeys()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();

            var (exit, stdout, stderr) = cli.Aws(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null, "get-caller-identity");

            Assert.True(exit == 0, stderr);
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal("arn:aws:iam::111122223333:user/alice", json.RootElement.GetProperty("Arn").GetString());
            Assert.Equal(sts.Alice.UserId, json.RootElement.GetProperty("UserId").GetString());
            Assert.Equal("111122223333", json.RootElement.GetProperty("Account").GetString());
            var call = Assert.Single(sts.World.Calls);
            Assert.StartsWith("aws-cli/2.", call.UserAgent);
            Assert.Equal("us-east-1", call.SigningRegion);
        }

        [Fact]
        public void WrongSecretIsSignatureDoesNotMatch()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();

            var (exit, _, stderr) = cli.Aws(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.BobSecret, null, null, "get-caller-identity");

            Assert.NotEqual(0, exit);
            CliError(stderr, "SignatureDoesNotMatch", "GetCallerIdentity", "The request signature we calculated does not match");
        }

        [Fact]
        public void MfaSessionFromOathtoolThenSessionCallsThenRoleChain()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();

            // Exactly as a user types it: the code comes from oathtool through command substitution.
            var (exit, stdout, stderr) = cli.Run("/bin/sh", new[]
            {
                "-c",
                "\"$AWS_CLI\" sts get-session-token --serial-number \"$MFA_SERIAL\" --token-code \"$(/usr/bin/oathtool --totp -b \"$MFA_SECRET\")\" " +
                "--duration-seconds 3600 --endpoint-url \"$ENDPOINT\" --region us-east-1 --output json",
            }, new Dictionary<string, string>
            {
                ["AWS_CLI"] = ChildProcess.AwsCli,
                ["AWS_ACCESS_KEY_ID"] = EmulatedSts.AliceKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = EmulatedSts.AliceSecret,
                ["MFA_SERIAL"] = sts.AliceMfa.SerialNumber,
                ["MFA_SECRET"] = sts.AliceMfa.Base32Secret,
                ["ENDPOINT"] = sts.Server.Endpoint.ToString().TrimEnd('/'),
            });
            Assert.True(exit == 0, stderr);
            var creds = JsonDocument.Parse(stdout).RootElement.GetProperty("Credentials");
            string keyId = creds.GetProperty("AccessKeyId").GetString();
            string secret = creds.GetProperty("SecretAccessKey").GetString();
            string token = creds.GetProperty("SessionToken").GetString();
            Assert.True(sts.World.Session(keyId).MfaAuthenticated);
            var gstCall = sts.World.CallsTo("GetSessionToken").Single();
            Assert.True(gstCall.UsedMfa);
            Assert.Equal(sts.AliceMfa.SerialNumber, gstCall.SerialNumber);

            // The session identifies as the user, may not make another session, and may assume the MFA role.
            (exit, stdout, stderr) = cli.Aws(sts.Server.Endpoint, keyId, secret, token, null, "get-caller-identity");
            Assert.True(exit == 0, stderr);
            Assert.Equal(sts.Alice.Arn, JsonDocument.Parse(stdout).RootElement.GetProperty("Arn").GetString());

            (exit, _, stderr) = cli.Aws(sts.Server.Endpoint, keyId, secret, token, null, "get-session-token");
            Assert.NotEqual(0, exit);
            CliError(stderr, "AccessDenied", "GetSessionToken", "Cannot call GetSessionToken with session credentials");

            (exit, stdout, stderr) = cli.Aws(sts.Server.Endpoint, keyId, secret, token, null,
                "assume-role", "--role-arn", EmulatedSts.AdminArn, "--role-session-name", "cli-admin");
            Assert.True(exit == 0, stderr);
            var role = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal("arn:aws:sts::444455556666:assumed-role/Admin/cli-admin", role.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
            var roleCreds = role.GetProperty("Credentials");

            // From the role session: chaining beyond an hour is refused.
            (exit, _, stderr) = cli.Aws(sts.Server.Endpoint, roleCreds.GetProperty("AccessKeyId").GetString(), roleCreds.GetProperty("SecretAccessKey").GetString(),
                roleCreds.GetProperty("SessionToken").GetString(), null,
                "assume-role", "--role-arn", EmulatedSts.LongArn, "--role-session-name", "chained", "--duration-seconds", "7200");
            Assert.NotEqual(0, exit);
            CliError(stderr, "ValidationError", "AssumeRole", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");

            Assert.Equal(
                new[] { "GetSessionToken 200", "GetCallerIdentity 200", "GetSessionToken 403", "AssumeRole 200", "AssumeRole 400" },
                sts.World.Calls.Select(c => c.Action + " " + c.HttpStatus).ToArray());
        }

        [Fact]
        public void ReusedCodeIsRefused()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();
            string code = sts.AliceCode();

            var first = cli.Aws(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null,
                "get-session-token", "--serial-number", sts.AliceMfa.SerialNumber, "--token-code", code);
            var second = cli.Aws(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null,
                "get-session-token", "--serial-number", sts.AliceMfa.SerialNumber, "--token-code", code);

            Assert.True(first.ExitCode == 0, first.Stderr);
            Assert.NotEqual(0, second.ExitCode);
            CliError(second.Stderr, "AccessDenied", "GetSessionToken", "MultiFactorAuthentication failed with invalid MFA one time pass code.");
        }

        [Fact]
        public void ExternalIdAndTagsPassThroughTheCli()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();

            var (exit, stdout, stderr) = cli.Aws(sts.Server.Endpoint, EmulatedSts.BobKeyId, EmulatedSts.BobSecret, null, null,
                "assume-role", "--role-arn", EmulatedSts.PartnerArn, "--role-session-name", "bob", "--external-id", EmulatedSts.PartnerExternalId,
                "--tags", "Key=project,Value=atlas", "--transitive-tag-keys", "project", "--source-identity", "bob-laptop");

            Assert.True(exit == 0, stderr);
            var root = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal("bob-laptop", root.GetProperty("SourceIdentity").GetString());
            var session = sts.World.Session(root.GetProperty("Credentials").GetProperty("AccessKeyId").GetString());
            Assert.Equal("atlas", session.Tags["project"]);
            Assert.Contains("project", session.TransitiveTagKeys);
        }

        [Fact]
        public void CliRetriesThrottlingWhenAllowed()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();
            sts.World.Faults.Enqueue("GetCallerIdentity", Fault.Throttle());

            var (exit, _, stderr) = cli.Aws(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null,
                new Dictionary<string, string> { ["AWS_MAX_ATTEMPTS"] = "3", ["AWS_RETRY_MODE"] = "standard" }, "get-caller-identity");

            Assert.True(exit == 0, stderr);
            Assert.Equal(new[] { "Throttling", null }, sts.World.Calls.Select(c => c.ErrorCode).ToArray());
        }

        [Fact]
        public void ExpiredSessionIsReportedAsExpiredToken()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();
            var (exit, stdout, stderr) = cli.Aws(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, null, "get-session-token", "--duration-seconds", "900");
            Assert.True(exit == 0, stderr);
            var creds = JsonDocument.Parse(stdout).RootElement.GetProperty("Credentials");
            sts.World.ExpireSession(creds.GetProperty("AccessKeyId").GetString());

            (exit, _, stderr) = cli.Aws(sts.Server.Endpoint, creds.GetProperty("AccessKeyId").GetString(), creds.GetProperty("SecretAccessKey").GetString(),
                creds.GetProperty("SessionToken").GetString(), null, "get-caller-identity");

            Assert.NotEqual(0, exit);
            CliError(stderr, "ExpiredToken", "GetCallerIdentity", "The security token included in the request is expired");
        }
    }
}
