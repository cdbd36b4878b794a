using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Sessions
{
    /// <summary>Sources other than a stored key (credential_process, web identity) and STS failures other than throttling.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class OtherSourcesTests
    {
        [Fact]
        public void ACredentialProcessSourceFeedsAssumeRoleAndIsCached()
        {
            using var f = new SessionFixture();
            // A session made beforehand stands for what another tool's credential_process prints.
            var upstream = (AwsVaultSession)f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors().Output.Single().BaseObject;
            var issued = f.World.Session(upstream.AccessKeyId);
            string script = Path.Combine(f.Env.Root, "creds.sh");
            string counter = Path.Combine(f.Env.Root, "runs");
            File.WriteAllText(script, "#!/bin/sh\necho run >> '" + counter + "'\ncat <<'JSON'\n{\"Version\":1,\"AccessKeyId\":\"" + issued.AccessKeyId + "\",\"SecretAccessKey\":\"" + issued.SecretAccessKey +
                "\",\"SessionToken\":\"" + issued.SessionToken + "\",\"Expiration\":\"" + issued.Expiration.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") + "\"}\nJSON\n");
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile external]\ncredential_process = sh " + script + "\nregion = eu-central-1\n\n[profile external-ro]\nsource_profile = external\nrole_arn = " + EmulatedSts.ReadOnlyArn + "\n");
            f.World.ClearCalls();

            var session = (AwsVaultSession)f.Ps.Run("Get-AwsVaultSession external-ro -Verbose").ThrowIfErrors().Output.Single().BaseObject;
            var call = Assert.Single(f.World.Calls);
            Assert.Equal("AssumeRole", call.Action);
            Assert.Equal(issued.AccessKeyId, call.CallerAccessKeyId);
            Assert.Equal("credential_process(external) -> AssumeRole(external-ro)", session.Chain);
            Assert.Equal("eu-central-1", session.Region);

            Credentials.SessionCacheReset.ForgetMemory();
            f.Ps.Run("Get-AwsVaultSession external-ro").ThrowIfErrors();
            Assert.Single(File.ReadAllLines(counter));
        }

        [Fact]
        public void ACredentialProcessThatReturnsLongLivedKeysIsRefused()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile external]\ncredential_process = echo '{\"Version\":1,\"AccessKeyId\":\"" + EmulatedSts.BobKeyId + "\",\"SecretAccessKey\":\"" + EmulatedSts.BobSecret + "\"}'\n");
            var r = f.Ps.RunCatching("Get-AwsVaultSession external");
            AssertError(r, "CredentialProcessFailed", ErrorCategory.InvalidResult);
            Assert.Contains("temporary credentials", r.Terminating.Exception.Message);
            Assert.DoesNotContain(EmulatedSts.BobSecret, r.AllText());
            Assert.Empty(f.World.Calls);

            f.Env.WriteConfig(f.DefaultConfig + "\n[profile external]\ncredential_process = sh -c 'exit 9'\n");
            var failed = f.Ps.RunCatching("Get-AwsVaultSession external");
            AssertError(failed, "CredentialProcessFailed", ErrorCategory.InvalidResult);
            Assert.Contains("exited with code 9", failed.Terminating.Exception.Message);
        }

        [Fact]
        public void AWebIdentityTokenFileLeadsToAssumeRoleWithWebIdentity()
        {
            using var f = new SessionFixture();
            string token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmV4YW1wbGUiLCJpc3MiOiJodHRwczovL3Rva2VuLmV4YW1wbGUifQ.c2lnbmF0dXJl";
            string file = Path.Combine(f.Env.Root, "token.jwt");
            File.WriteAllText(file, token + "\n");
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile ci-role]\nrole_arn = " + EmulatedSts.WebArn + "\nweb_identity_token_file = " + file + "\nrole_session_name = pipeline-42\nregion = eu-west-1\n" +
                              "\n[profile ci-role-process]\nrole_arn = " + EmulatedSts.WebArn + "\nweb_identity_token_process = cat " + file + "\n");
            var session = (AwsVaultSession)f.Ps.Run("Get-AwsVaultSession ci-role").ThrowIfErrors().Output.Single().BaseObject;
            var call = Assert.Single(f.World.Calls);
            Assert.Equal("AssumeRoleWithWebIdentity", call.Action);
            Assert.Equal("pipeline-42", call.Parameter("RoleSessionName"));
            Assert.Equal(StsCall.Masked, call.Parameter("WebIdentityToken"));
            Assert.EndsWith("assumed-role/WebIdentity/pipeline-42", f.World.Session(session.AccessKeyId).Arn);

            f.Ps.Run("Get-AwsVaultSession ci-role-process").ThrowIfErrors();
            Assert.Equal(2, f.World.CallsTo("AssumeRoleWithWebIdentity").Count);
        }

        [Fact]
        public void AnStsServerErrorIsAResourceUnavailableErrorAfterRetries()
        {
            using var f = new SessionFixture();
            for (int i = 0; i < 10; i++) f.World.Faults.Enqueue("GetSessionToken", Fault.ServerError(503));
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            Assert.NotNull(r.Terminating);
            Assert.StartsWith("Sts", r.Terminating.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, r.Terminating.CategoryInfo.Category);
            Assert.Contains("'bob'", r.Terminating.Exception.Message);
            Assert.InRange(f.World.CallsTo("GetSessionToken").Count, 2, 6);
        }

        [Fact]
        public void AnStsErrorThatNamesTheCallersKeyIsAnAuthenticationError()
        {
            using var f = new SessionFixture();
            f.Ps.Run(AddScript("bob", EmulatedSts.BobKeyId, "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEX", "-Force -AddConfig:$false")).ThrowIfErrors();
            var r = f.Ps.RunCatching("Get-AwsVaultSession bob");
            AssertError(r, "StsSignatureDoesNotMatch", ErrorCategory.AuthenticationError);
            Assert.Contains("Add-AwsVaultProfile", r.Terminating.Exception.Message);
        }
    }
}
