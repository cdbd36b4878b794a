using System.IO;
using System.Linq;
using System.Management.Automation;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Invoke
{
    /// <summary>
    /// Profiles that reach Invoke-AwsVault through the pipeline or $env:AWS_PROFILE. A new user found that
    /// `Get-AwsVaultProfile dev | Invoke-AwsVault { ... }` ran the block outside any session (PowerShell took it
    /// for a delay-bind script block of -ProfileName) and that `Invoke-AwsVault { ... }` ignored AWS_PROFILE.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class PipedProfileTests
    {
        // Counts runs of the block, so a test sees a block that ran outside a session even when the command then failed.
        private static int Runs(SessionFixture f) => System.Convert.ToInt32(f.Ps.Run("$global:runs").Output.Single().BaseObject);

        private const string CountingBlock = "{ $global:runs++; 'key=' + $env:AWS_ACCESS_KEY_ID + ';vault=' + $env:AWS_VAULT }";

        [Fact]
        public void APipedProfileRunsAPositionalBlockOnceInsideItsSession()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("$global:runs = 0; Get-AwsVaultProfile bob | Invoke-AwsVault " + CountingBlock + "; 'runs=' + $global:runs").ThrowIfErrors();
            var issued = f.World.Sessions.Single();
            Assert.Equal(new[] { "key=" + issued.AccessKeyId + ";vault=bob", "runs=1" }, r.Output.Select(o => o.ToString()).ToArray());
        }

        [Fact]
        public void EachPipedNameGetsItsOwnSession()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("'bob', 'readonly' | Invoke-AwsVault { $env:AWS_VAULT + '=' + $env:AWS_ACCESS_KEY_ID }").ThrowIfErrors();
            var lines = r.Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("bob=ASIA", lines[0]);
            Assert.StartsWith("readonly=ASIA", lines[1]);
            Assert.Single(f.World.CallsTo("AssumeRole"));
        }

        [Fact]
        public void ABlockForAPipedProfileWithoutCredentialsNeverRuns()
        {
            using var f = new SessionFixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile nokey]\nregion = us-east-1\n");
            f.Env.Set("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
            var r = f.Ps.RunCatching("$global:runs = 0; Get-AwsVaultProfile nokey | Invoke-AwsVault " + CountingBlock);
            AssertError(r, "CredentialsMissing", ErrorCategory.ObjectNotFound);
            Assert.Equal(0, Runs(f));
            Assert.Empty(r.Output);
        }

        [Fact]
        public void APipedProfileAndADifferentNamedOneRunNothing()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("$global:runs = 0; 'bob' | Invoke-AwsVault readonly " + CountingBlock);
            AssertError(r, "PipedProfileConflict", ErrorCategory.InvalidArgument);
            Assert.Contains("'bob'", r.Terminating.Exception.Message);
            Assert.Contains("'readonly'", r.Terminating.Exception.Message);
            Assert.Equal(0, Runs(f));
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void AwsProfileIsTheProfileWhenOnlyABlockIsGiven()
        {
            using var f = new SessionFixture();
            f.Env.Set("AWS_PROFILE", "bob");
            var r = f.Ps.Run("Invoke-AwsVault { $env:AWS_VAULT + ',' + [string]$env:AWS_PROFILE }; Invoke-AwsVault -ScriptBlock { $env:AWS_VAULT }").ThrowIfErrors();
            Assert.Equal(new[] { "bob,", "bob" }, r.Output.Select(o => o.ToString()).ToArray());
            Assert.Equal("bob", System.Environment.GetEnvironmentVariable("AWS_PROFILE"));
        }

        [Fact]
        public void NoProfileAnywhereIsRefusedBeforeTheBlockRuns()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("$global:runs = 0; Invoke-AwsVault " + CountingBlock);
            AssertError(r, "ProfileNameRequired", ErrorCategory.InvalidArgument);
            Assert.Equal(0, Runs(f));
        }

        [Fact]
        public void NothingToRunIsRefusedBeforeAnyStsCall()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Invoke-AwsVault bob");
            AssertError(r, "CommandRequired", ErrorCategory.InvalidArgument);
            Assert.Contains("Invoke-AwsVault dev { aws s3 ls }", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void TwoThingsToRunAreRefusedBeforeEitherRuns()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("$global:runs = 0; Invoke-AwsVault { $global:runs++ } -ScriptBlock { $global:runs++ }");
            AssertError(r, "CommandRequired", ErrorCategory.InvalidArgument);
            Assert.Contains("two things to run", r.Terminating.Exception.Message);
            Assert.Equal(0, Runs(f));
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void ChildProcessErrorsNameInvokeAwsVault()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Invoke-AwsVault bob -- awsvault-no-such-program-x");
            Assert.NotNull(r.Terminating);
            Assert.Equal("Invoke-AwsVault", r.Terminating.InvocationInfo.MyCommand.Name);
            Assert.EndsWith(",Invoke-AwsVault", r.Terminating.FullyQualifiedErrorId);
            Assert.DoesNotContain("Invoke-AwsVaultProcess", r.Terminating.Exception.Message);
        }
    }

    /// <summary>A profile listed from one store must be acted on in that store, never in whichever store is the default now.</summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class PipedProfileStoreTests : SecretManagementInstalled
    {
        // dev has a key in the file vault and another in SecretManagement vault S, which is the default.
        private PowerShellSession TwoStores()
        {
            var ps = new PowerShellSession();
            ps.Run(AddScript("dev", extra: "-Backend file")).ThrowIfErrors();
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore").ThrowIfErrors();
            ps.Run(AddScript("dev", "AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "-AddConfig:$false")).ThrowIfErrors();
            return ps;
        }

        [Fact]
        public void APipedFileVaultProfileIsRemovedFromTheFileVaultOnly()
        {
            using var ps = TwoStores();
            var what = ps.Run("Get-AwsVaultProfile dev -Backend file | Remove-AwsVaultProfile -WhatIf").ThrowIfErrors();
            ps.Run("Get-AwsVaultProfile dev -Backend file | Remove-AwsVaultProfile -Force").ThrowIfErrors();

            Assert.False(Directory.Exists(Env.VaultDirectory) && Directory.GetFiles(Env.VaultDirectory, "dev*").Length > 0, "the file vault still holds dev's key");
            var left = ps.Run("(Get-Secret -Name AwsVault-Key-dev -Vault S).UserName").ThrowIfErrors();
            Assert.Equal("AKIAI44QH8DHBEXAMPLE", left.Output.Single().ToString());
        }

        [Fact]
        public void APipedProfileAndAnotherBackendAreRefusedAndNothingIsRemoved()
        {
            using var ps = TwoStores();
            var r = ps.RunCatching("Get-AwsVaultProfile dev -Backend file | Remove-AwsVaultProfile -Backend secretmanagement -Force");
            AssertError(r, "PipedProfileStoreMismatch", ErrorCategory.InvalidArgument);
            Assert.Contains("file vault", r.Terminating.Exception.Message);
            Assert.Single(Directory.GetFiles(Env.VaultDirectory, "dev*"));
            Assert.Single(ps.Run("Get-SecretInfo -Name AwsVault-Key-dev -Vault S").ThrowIfErrors().Output);
        }

        [Fact]
        public void APipedProfileKeepsItsVaultForSessions()
        {
            using var sts = new EmulatedSts();
            Env.Set("AWS_ENDPOINT_URL_STS", sts.Endpoint);
            Credentials.SessionCacheReset.ForgetMemory();
            using var ps = new PowerShellSession();
            ps.Run(AddScript("bob", EmulatedSts.BobKeyId, EmulatedSts.BobSecret, "-Backend file")).ThrowIfErrors();
            ps.Run("Register-SecretVault -Name S -ModuleName Microsoft.PowerShell.SecretStore").ThrowIfErrors();

            // S is now the default and has no key for bob: only the piped profile's own store can serve it.
            var r = ps.Run("Get-AwsVaultProfile bob -Backend file | Invoke-AwsVault { $env:AWS_VAULT }; Get-AwsVaultProfile bob -Backend file | Get-AwsVaultSession | ForEach-Object ProfileName").ThrowIfErrors();
            Assert.Equal(new[] { "bob", "bob" }, r.Output.Select(o => o.ToString()).ToArray());
            Assert.Single(sts.World.CallsTo("GetSessionToken"));
            Credentials.SessionCacheReset.ForgetMemory();
        }
    }
}
