using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AwsVault.Iam;
using AwsVault.Output;
using AwsVault.Tests.Harness;
using AwsVault.Tests.SecretManagementStandIn;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;

namespace AwsVault.Tests.Rotate
{
    /// <summary>
    /// Update-AwsVaultAccessKey through PowerShell, the module imported from out/AwsVault, against the emulator's STS
    /// and IAM reached through AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_IAM. After every failure the vault holds a
    /// key STS accepts, and the error names the keys and their state.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class RotateCommandTests
    {
        internal static SessionFixture Fixture()
        {
            var f = new SessionFixture();
            f.Env.Set("AWS_ENDPOINT_URL_IAM", f.Sts.Endpoint);
            return f;
        }

        internal static string StoredKeyId(SessionFixture f, string profile) => ReadStoredKey(f.Env, profile)?.AccessKeyId;

        /// <summary>A new process's Get-AwsVaultSession works, and it was signed with <paramref name="keyId"/>.</summary>
        internal static void SessionWorksWith(SessionFixture f, string profile, string keyId)
        {
            f.World.ClearCalls();
            Credentials.SessionCacheReset.ForgetMemory();
            var session = (AwsVaultSession)f.Ps.Run("Get-AwsVaultSession " + profile).ThrowIfErrors().Output.Single().BaseObject;
            var call = f.World.Calls.Single();
            Assert.Equal("GetSessionToken", call.Action);
            Assert.Equal(keyId, call.CallerAccessKeyId);
            Assert.Equal(200, call.HttpStatus);
            Assert.Equal(call.IssuedAccessKeyId, session.AccessKeyId);
        }

        /// <summary>Nothing changed for bob: IAM has only his old key, the vault holds it, and it still makes sessions.</summary>
        private static void BobIsAsBefore(SessionFixture f)
        {
            Assert.Equal(new[] { EmulatedSts.BobKeyId }, KeysOf(f, "bob"));
            Assert.Equal(EmulatedSts.BobKeyId, StoredKeyId(f, "bob"));
            SessionWorksWith(f, "bob", EmulatedSts.BobKeyId);
        }

        private static IReadOnlyList<string> KeysOf(SessionFixture f, string user) => f.World.AccessKeysOf(user).Select(k => k.AccessKeyId).ToList();

        private static string Message(ScriptResult r) => r.Terminating.Exception.Message;

        [Fact]
        public void RotatingAUsersOnlyKeyLeavesExactlyTheNewKeyStoredWorkingAndTheOldSessionsGone()
        {
            using var f = Fixture();
            f.Ps.Run("Get-AwsVaultSession bob; Get-AwsVaultSession readonly").ThrowIfErrors();
            Assert.Contains(f.World.Calls, c => c.Action == "GetSessionToken" && c.CallerAccessKeyId == EmulatedSts.BobKeyId);
            f.World.ClearCalls();

            var r = f.Ps.Run("Update-AwsVaultAccessKey bob -Verbose").ThrowIfErrors();

            var rotated = (RotatedAccessKey)r.Output.Single().BaseObject;
            var keys = f.World.AccessKeysOf("bob");
            var only = Assert.Single(keys);
            Assert.Equal(only.AccessKeyId, rotated.NewAccessKeyId);
            Assert.NotEqual(EmulatedSts.BobKeyId, only.AccessKeyId);
            Assert.Equal(EmulatedSts.BobKeyId, rotated.OldAccessKeyId);
            Assert.Equal("bob", rotated.ProfileName);
            Assert.Equal("bob", rotated.UserName);
            Assert.Equal("file", rotated.Backend);
            Assert.Equal(f.Env.VaultDirectory, rotated.Vault);
            Assert.Equal(1, rotated.SessionsRemoved);
            var stored = ReadStoredKey(f.Env, "bob");
            Assert.Equal(only.AccessKeyId, stored.AccessKeyId);
            Assert.Equal(only.SecretAccessKey, stored.SecretAccessKey);

            // The plan: who, which keys, create, prove with STS, delete; all IAM calls by the stored key (no mfa_serial).
            Assert.Equal(new[] { "GetUser", "ListAccessKeys", "CreateAccessKey", "GetCallerIdentity", "DeleteAccessKey" }, f.World.Calls.Select(c => c.Action));
            Assert.All(f.World.Calls.Where(c => c.Service == "iam"), c => Assert.Equal(EmulatedSts.BobKeyId, c.CallerAccessKeyId));
            Assert.Equal(only.AccessKeyId, f.World.CallsTo("GetCallerIdentity").Single().CallerAccessKeyId);
            Assert.Equal(EmulatedSts.BobKeyId, f.World.CallsTo("DeleteAccessKey").Single().Parameter("AccessKeyId"));
            Assert.Contains(r.Verbose, v => v.Contains("no mfa_serial") && v.Contains(EmulatedSts.BobKeyId));
            Assert.Contains(r.Progress, p => p.Contains("Waiting until STS accepts the new key " + only.AccessKeyId));
            Assert.DoesNotContain(only.SecretAccessKey, r.AllText());
            Assert.DoesNotContain(EmulatedSts.BobSecret, r.AllText());

            // Sessions made with the old key are gone from memory and vault: the next session is a new one, by the new key.
            SessionWorksWith(f, "bob", only.AccessKeyId);
            f.World.ClearCalls();
            f.Ps.Run("Get-AwsVaultSession readonly").ThrowIfErrors();
            Assert.Equal(only.AccessKeyId, f.World.Calls.First().CallerAccessKeyId);
        }

        [Fact]
        public void WithMfaSerialCreateAndDeleteGoThroughAnMfaSessionWhichIamRequires()
        {
            using var f = Fixture();
            f.World.RequireMfaForIam = true;

            var r = f.Ps.Run("Update-AwsVaultAccessKey alice -MfaToken " + f.Code()).ThrowIfErrors();

            var rotated = (RotatedAccessKey)r.Output.Single().BaseObject;
            var token = f.World.CallsTo("GetSessionToken").Single();
            Assert.True(token.UsedMfa);
            Assert.Equal(f.Serial, token.SerialNumber);
            Assert.Equal(EmulatedSts.AliceKeyId, token.CallerAccessKeyId);
            Assert.Equal("900", token.Parameter("DurationSeconds"));
            foreach (string action in new[] { "GetUser", "ListAccessKeys", "CreateAccessKey", "DeleteAccessKey" })
            {
                Assert.Equal(token.IssuedAccessKeyId, f.World.CallsTo(action).Single().CallerAccessKeyId);
            }
            Assert.Equal(new[] { rotated.NewAccessKeyId }, KeysOf(f, "alice"));
            Assert.Equal(rotated.NewAccessKeyId, StoredKeyId(f, "alice"));
            // The MFA session served only the rotation: nothing was cached with it.
            Assert.Equal(0, rotated.SessionsRemoved);
            Assert.DoesNotContain(r.Warnings, w => w.Contains("MfaToken"));
        }

        [Fact]
        public void NoSessionUsesTheStoredKeyItselfWhenIamDoesNotRequireMfa()
        {
            using var f = Fixture();

            var r = f.Ps.Run("Update-AwsVaultAccessKey alice -NoSession").ThrowIfErrors();

            var rotated = (RotatedAccessKey)r.Output.Single().BaseObject;
            Assert.Empty(f.World.CallsTo("GetSessionToken"));
            Assert.Equal(EmulatedSts.AliceKeyId, f.World.CallsTo("CreateAccessKey").Single().CallerAccessKeyId);
            Assert.Equal(new[] { rotated.NewAccessKeyId }, KeysOf(f, "alice"));
            Assert.Equal(rotated.NewAccessKeyId, StoredKeyId(f, "alice"));
        }

        [Fact]
        public void NoSessionWhenIamRequiresMfaIsAccessDeniedBeforeAnythingChanges()
        {
            using var f = Fixture();
            f.World.RequireMfaForIam = true;

            var r = f.Ps.RunCatching("Update-AwsVaultAccessKey alice -NoSession -MfaToken 123456");

            AssertError(r, "IamAccessDenied", ErrorCategory.PermissionDenied);
            Assert.Contains("CreateAccessKey", Message(r));
            Assert.Contains("mfa_serial", Message(r));
            Assert.Contains("Nothing was changed: the vault still holds the key " + EmulatedSts.AliceKeyId, Message(r));
            Assert.Contains(r.Warnings, w => w.Contains("-MfaToken was ignored"));
            Assert.Equal(new[] { EmulatedSts.AliceKeyId }, KeysOf(f, "alice"));
            Assert.Equal(EmulatedSts.AliceKeyId, StoredKeyId(f, "alice"));
        }

        [Fact]
        public void AUserWithTwoKeysAlreadyGetsLimitExceededAndNothingChanges()
        {
            using var f = Fixture();
            var (status, root) = IamQuery.Call(f.Sts.Server.Endpoint, EmulatedSts.BobKeyId, EmulatedSts.BobSecret, null, "CreateAccessKey").GetAwaiter().GetResult();
            Assert.Equal(200, status);
            string second = IamQuery.Find(root, "AccessKeyId");
            var before = KeysOf(f, "bob");
            f.World.ClearCalls();

            var r = f.Ps.RunCatching("Update-AwsVaultAccessKey bob");

            AssertError(r, "IamLimitExceeded", ErrorCategory.LimitsExceeded);
            Assert.Contains(EmulatedSts.BobKeyId + " (stored for 'bob')", Message(r));
            Assert.Contains("aws iam delete-access-key --user-name bob --access-key-id " + second, Message(r));
            Assert.Contains("Nothing was changed", Message(r));
            Assert.Equal(new[] { "GetUser", "ListAccessKeys" }, f.World.Calls.Select(c => c.Action));
            Assert.Equal(before, KeysOf(f, "bob"));
            Assert.Equal(EmulatedSts.BobKeyId, StoredKeyId(f, "bob"));
        }

        [Fact]
        public void WhatIfMakesNoCallAndChangesNothing()
        {
            using var f = Fixture();
            string vault = string.Join(",", Directory.GetFiles(f.Env.VaultDirectory).OrderBy(p => p).Select(p => p + File.GetLastWriteTimeUtc(p).Ticks));

            var r = f.Ps.Run("Update-AwsVaultAccessKey alice -WhatIf; Update-AwsVaultAccessKey admin -WhatIf").ThrowIfErrors();

            Assert.Empty(r.Output);
            Assert.Empty(f.World.Calls);
            Assert.Equal(new[] { EmulatedSts.AliceKeyId }, KeysOf(f, "alice"));
            Assert.Equal(vault, string.Join(",", Directory.GetFiles(f.Env.VaultDirectory).OrderBy(p => p).Select(p => p + File.GetLastWriteTimeUtc(p).Ticks)));
            Assert.Contains(r.Warnings, w => w.Contains("'admin'") && w.Contains("rotating the key stored for 'alice'"));
        }

        [Fact]
        public void ARoleProfileRotatesItsSourceProfilesKeyAndSaysSo()
        {
            using var f = Fixture();

            var r = f.Ps.Run("Update-AwsVaultAccessKey readonly").ThrowIfErrors();

            var rotated = (RotatedAccessKey)r.Output.Single().BaseObject;
            Assert.Equal("bob", rotated.ProfileName);
            Assert.Contains(r.Warnings, w => w.Contains("Profile 'readonly' gets its credentials from profile 'bob'"));
            Assert.Equal(rotated.NewAccessKeyId, StoredKeyId(f, "bob"));
            Assert.Equal(EmulatedSts.AliceKeyId, StoredKeyId(f, "alice"));
            Assert.Equal(new[] { rotated.NewAccessKeyId }, KeysOf(f, "bob"));
        }

        [Fact]
        public void ProfilesPipedByPropertyNameAreRotatedInTheirVault()
        {
            using var f = Fixture();

            var r = f.Ps.Run("Get-AwsVaultProfile bob | Update-AwsVaultAccessKey; [pscustomobject]@{ ProfileName = 'alice' } | Update-AwsVaultAccessKey -NoSession").ThrowIfErrors();

            Assert.Equal(new[] { "bob", "alice" }, r.Output.Select(o => ((RotatedAccessKey)o.BaseObject).ProfileName));
            Assert.Single(KeysOf(f, "bob"));
            Assert.DoesNotContain(EmulatedSts.AliceKeyId, KeysOf(f, "alice"));
        }

        [Fact]
        public void AProfileWithNoStoredKeyAlongItsChainHasNothingToRotate()
        {
            using var f = Fixture();
            f.Env.WriteConfig(f.DefaultConfig + "\n[profile plain]\nregion = eu-west-1\n");

            var r = f.Ps.RunCatching("Update-AwsVaultAccessKey plain");

            AssertError(r, "ProfileKeyNotFound", ErrorCategory.ObjectNotFound);
            Assert.Contains("no key to rotate", Message(r));
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void AnIamEndpointThatIsNoUrlIsInvalidArgumentBeforeAnythingChanges()
        {
            using var f = Fixture();
            f.Env.Set("AWS_ENDPOINT_URL_IAM", "iam.internal.example");

            var r = f.Ps.RunCatching("Update-AwsVaultAccessKey bob");

            AssertError(r, "IamInvalidEndpoint", ErrorCategory.InvalidArgument);
            Assert.Contains("'iam.internal.example'", Message(r));
            Assert.Contains("AWS_ENDPOINT_URL_IAM", Message(r));
            Assert.Empty(f.World.Calls);
            BobIsAsBefore(f);
        }

        [Fact]
        public void WithoutAnMfaCodeNonInteractiveRotationFailsAtOnceNamingTheParameter()
        {
            using var f = Fixture();
            f.Env.Set("AWS_VAULT_PROMPT", "none");

            var r = f.Ps.RunCatching("Update-AwsVaultAccessKey alice");

            AssertError(r, "MfaTokenRequired", ErrorCategory.InvalidOperation);
            Assert.Contains("-MfaToken", Message(r));
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void TheAwsCliSeesOnlyTheNewKeyAndRefusesTheOld()
        {
            using var f = Fixture();
            using var cli = new ChildProcess();
            var rotated = (RotatedAccessKey)f.Ps.Run("Update-AwsVaultAccessKey bob").ThrowIfErrors().Output.Single().BaseObject;
            string secret = f.World.AccessKeysOf("bob").Single().SecretAccessKey;

            var (exit, stdout, stderr) = cli.Run(ChildProcess.AwsCli,
                new[] { "iam", "list-access-keys", "--endpoint-url", f.Sts.Endpoint.TrimEnd('/'), "--region", "us-east-1", "--output", "json" },
                new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = rotated.NewAccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = secret });

            Assert.True(exit == 0, stderr);
            using var doc = System.Text.Json.JsonDocument.Parse(stdout);
            Assert.Equal(new[] { rotated.NewAccessKeyId },
                doc.RootElement.GetProperty("AccessKeyMetadata").EnumerateArray().Select(m => m.GetProperty("AccessKeyId").GetString()));
            // The old key is refused by the CLI too.
            (exit, _, stderr) = cli.Run(ChildProcess.AwsCli,
                new[] { "iam", "list-access-keys", "--endpoint-url", f.Sts.Endpoint.TrimEnd('/'), "--region", "us-east-1" },
                new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = EmulatedSts.BobKeyId, ["AWS_SECRET_ACCESS_KEY"] = EmulatedSts.BobSecret });
            Assert.NotEqual(0, exit);
            Assert.Contains("InvalidClientTokenId", stderr);
        }

        // ---- failures at each step ---------------------------------------------------------------------------

        [Fact]
        public void CreateAccessKeyFailingChangesNothing()
        {
            using var f = Fixture();
            f.World.Faults.Enqueue("CreateAccessKey", Fault.Error(400, "ServiceFailure", "Request processing failed"));

            var r = f.Ps.RunCatching("Update-AwsVaultAccessKey bob");

            AssertError(r, "IamServiceFailure", ErrorCategory.NotSpecified);
            Assert.Contains("CreateAccessKey at " + f.Sts.Endpoint + " failed: ServiceFailure: Request processing failed", Message(r));
            Assert.Contains("Nothing was changed: the vault still holds the key " + EmulatedSts.BobKeyId, Message(r));
            BobIsAsBefore(f);
        }

        [Fact]
        public void ANewKeyThatStsNeverAcceptsIsDeletedAgainAndTheOldOneKeepsWorking()
        {
            using var f = Fixture();
            f.World.NewKeyDelay = TimeSpan.FromHours(1);
            TimeSpan bound = AccessKeyRotation.AcceptanceBound;
            AccessKeyRotation.AcceptanceBound = TimeSpan.FromSeconds(3);
            ScriptResult r;
            try
            {
                r = f.Ps.RunCatching("Update-AwsVaultAccessKey bob");
            }
            finally
            {
                AccessKeyRotation.AcceptanceBound = bound;
            }

            AssertError(r, "NewAccessKeyNotAccepted", ErrorCategory.OperationTimeout);
            string created = f.World.CallsTo("CreateAccessKey").Single().IssuedAccessKeyId;
            Assert.Contains("STS did not accept the new key " + created + " within 3 s", Message(r));
            Assert.Contains("InvalidClientTokenId", Message(r));
            Assert.Contains("The new key " + created + " was deleted again", Message(r));
            Assert.Contains("the old key " + EmulatedSts.BobKeyId + ", which works: nothing was changed", Message(r));
            // Backed off 1 s, then 2 s, within the 3 s bound: two attempts.
            Assert.Equal(2, f.World.CallsTo("GetCallerIdentity").Count);
            Assert.Equal(created, f.World.CallsTo("DeleteAccessKey").Single().Parameter("AccessKeyId"));
            BobIsAsBefore(f);
        }

        [Fact]
        public void ANewKeyThatTakesAFewSecondsIsWaitedFor()
        {
            using var f = Fixture();
            f.World.NewKeyDelay = TimeSpan.FromSeconds(2);

            var r = f.Ps.Run("Update-AwsVaultAccessKey bob -Verbose").ThrowIfErrors();

            var rotated = (RotatedAccessKey)r.Output.Single().BaseObject;
            var identity = f.World.CallsTo("GetCallerIdentity");
            Assert.True(identity.Count >= 2, identity.Count + " GetCallerIdentity calls");
            Assert.Equal("InvalidClientTokenId", identity[0].ErrorCode);
            Assert.Null(identity.Last().ErrorCode);
            Assert.Contains(r.Verbose, v => v.Contains("STS accepted the new key " + rotated.NewAccessKeyId));
            Assert.Contains(r.Progress, p => p.Contains("(attempt 2,"));
            Assert.Equal(new[] { rotated.NewAccessKeyId }, KeysOf(f, "bob"));
        }

        [Fact]
        public void DeleteAccessKeyFailingLeavesTheNewKeyStoredAndWorkingAndNamesTheOldOne()
        {
            using var f = Fixture();
            f.World.Faults.Enqueue("DeleteAccessKey", Fault.Error(403, "AccessDenied", "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:DeleteAccessKey"));

            var r = f.Ps.RunCatching("Update-AwsVaultAccessKey bob");

            AssertError(r, "OldAccessKeyNotDeleted", ErrorCategory.PermissionDenied);
            string created = f.World.CallsTo("CreateAccessKey").Single().IssuedAccessKeyId;
            Assert.Contains("the new key " + created + " is stored in the file vault", Message(r));
            Assert.Contains("The old key " + EmulatedSts.BobKeyId + " still exists in IAM", Message(r));
            Assert.Contains("`aws iam delete-access-key --user-name bob --access-key-id " + EmulatedSts.BobKeyId + "`", Message(r));
            Assert.Equal(new[] { EmulatedSts.BobKeyId, created }, KeysOf(f, "bob"));
            Assert.Equal(created, StoredKeyId(f, "bob"));
            SessionWorksWith(f, "bob", created);
        }
    }

    /// <summary>Storing the new key fails: the SecretManagement vault refuses the write. The stand-in's vault is
    /// registered again with AllowedTypes that leave out PSCredential, the type keys are stored as, so reads work
    /// and Set-Secret of the key fails as KeePass-style vaults fail it.</summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class RotateStoreFailureTests : IDisposable
    {
        private readonly SessionFixture _f;

        public RotateStoreFailureTests()
        {
            StandInModule.Reset();
            _f = new SessionFixture(storeKeys: false);
            _f.Env.Set("AWS_ENDPOINT_URL_IAM", _f.Sts.Endpoint);
            _f.Env.Set("AWS_VAULT_BACKEND", "secretmanagement");
            _f.Env.Set("PSModulePath", StandInModule.TestModulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"));
            _f.Ps.Run("Register-SecretVault -Name Keys -ModuleName Microsoft.PowerShell.SecretStore").ThrowIfErrors();
            _f.Ps.Run(AddScript("bob", EmulatedSts.BobKeyId, EmulatedSts.BobSecret, "-AddConfig:$false")).ThrowIfErrors();
            _f.Ps.Run("Register-SecretVault -Name Keys -ModuleName Microsoft.PowerShell.SecretStore -AllowClobber -VaultParameters @{ AllowedTypes = 'String', 'SecureString' }").ThrowIfErrors();
            _f.World.ClearCalls();
        }

        public void Dispose()
        {
            _f.Dispose();
            StandInModule.Reset();
        }

        private string StoredKeyId() =>
            _f.Ps.Run("(Get-Secret -Name AwsVault-Key-bob -Vault Keys).UserName").ThrowIfErrors().Output.Single().ToString();

        [Fact]
        public void TheNewKeyIsDeletedAgainAndTheVaultKeepsTheOldWorkingKey()
        {
            var r = _f.Ps.RunCatching("Update-AwsVaultAccessKey bob");

            AssertError(r, "NewAccessKeyNotStored", ErrorCategory.WriteError);
            string created = _f.World.CallsTo("CreateAccessKey").Single().IssuedAccessKeyId;
            string message = r.Terminating.Exception.Message;
            Assert.Contains("storing the new key " + created + " in SecretManagement vault 'Keys' failed", message);
            Assert.Contains("The new key " + created + " was deleted again", message);
            Assert.Contains("The vault still holds the old key " + EmulatedSts.BobKeyId + ", which works: nothing was changed", message);
            Assert.Equal(new[] { EmulatedSts.BobKeyId }, _f.World.AccessKeysOf("bob").Select(k => k.AccessKeyId));
            Assert.Equal(EmulatedSts.BobKeyId, StoredKeyId());
            RotateCommandTests.SessionWorksWith(_f, "bob", EmulatedSts.BobKeyId);
        }

        [Fact]
        public void WhenDeletingTheNewKeyFailsTooTheErrorSaysSoAndHowToDeleteIt()
        {
            for (int i = 0; i < 3; i++) _f.World.Faults.Enqueue("DeleteAccessKey", Fault.ServerError());

            var r = _f.Ps.RunCatching("Update-AwsVaultAccessKey bob");

            AssertError(r, "NewAccessKeyNotStored", ErrorCategory.WriteError);
            string created = _f.World.CallsTo("CreateAccessKey").Single().IssuedAccessKeyId;
            string message = r.Terminating.Exception.Message;
            Assert.Contains("Deleting the new key again failed too", message);
            Assert.Contains(created + " still exists in IAM", message);
            Assert.Contains("`aws iam delete-access-key --user-name bob --access-key-id " + created + "`", message);
            Assert.Contains("The vault still holds the old key " + EmulatedSts.BobKeyId + ", which works.", message);
            Assert.Equal(3, _f.World.CallsTo("DeleteAccessKey").Count);
            Assert.Equal(new[] { EmulatedSts.BobKeyId, created }, _f.World.AccessKeysOf("bob").Select(k => k.AccessKeyId));
            Assert.Equal(EmulatedSts.BobKeyId, StoredKeyId());
            RotateCommandTests.SessionWorksWith(_f, "bob", EmulatedSts.BobKeyId);
        }
    }
}
