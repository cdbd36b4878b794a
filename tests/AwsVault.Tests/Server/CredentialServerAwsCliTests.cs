using System.Collections.Generic;
using System.Threading;
using AwsVault.Server;
using AwsVault.Tests.Harness;
using AwsVault.Tests.StsEmulator;
using Xunit;

namespace AwsVault.Tests.Server
{
    /// <summary>The real AWS CLI v2 finds its credentials at the server through the two container variables alone.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class CredentialServerAwsCliTests
    {
        [Fact]
        public void TheCliLoadsCredentialsFromTheServer()
        {
            int calls = 0;
            using var server = new CredentialServer(() => { Interlocked.Increment(ref calls); return CredentialServerTests.Session(); }, _ => { });
            using var cli = new ChildProcess();

            // ChildProcess drops every AWS_* variable of this process and points HOME and both AWS files at empty
            // temporary ones, so the container provider is the only source the CLI can find.
            var (exit, stdout, stderr) = cli.Run(ChildProcess.AwsCli, new[] { "configure", "export-credentials", "--format", "env-no-export" },
                new Dictionary<string, string>
                {
                    ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Uri.ToString(),
                    ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = server.AuthorizationTokenText,
                });

            Assert.True(exit == 0, stderr);
            Assert.Contains("AWS_ACCESS_KEY_ID=" + CredentialServerTests.KeyId, stdout);
            Assert.Contains("AWS_SECRET_ACCESS_KEY=" + CredentialServerTests.Secret, stdout);
            Assert.Contains("AWS_SESSION_TOKEN=" + CredentialServerTests.SessionToken, stdout);
            Assert.Contains("AWS_CREDENTIAL_EXPIRATION=2026-12-05T10:00:00", stdout);
            Assert.True(server.RequestsServed >= 1);
            Assert.Equal(server.RequestsServed, calls);
            Assert.Equal(0, server.RequestsRefused);
        }

        [Fact]
        public void TheCliWithAWrongTokenGetsNoCredentials()
        {
            using var server = new CredentialServer(CredentialServerTests.Session, _ => { });
            using var cli = new ChildProcess();

            var (exit, stdout, stderr) = cli.Run(ChildProcess.AwsCli, new[] { "configure", "export-credentials", "--format", "env-no-export" },
                new Dictionary<string, string>
                {
                    ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Uri.ToString(),
                    ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = new string('0', 64),
                });

            Assert.NotEqual(0, exit);
            Assert.DoesNotContain(CredentialServerTests.Secret, stdout + stderr);
            Assert.Equal(0, server.RequestsServed);
            Assert.True(server.RequestsRefused >= 1);
        }
    }
}
