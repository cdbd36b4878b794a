using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AwsVault.Iam;
using AwsVault.Output;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Rotate;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;
using Xunit.Abstractions;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// The leak scan of <see cref="LeakScanTests"/> for Update-AwsVaultAccessKey: every stream (verbose, debug,
    /// warning, information, progress, errors with their exception chains) of rotations that succeed and that fail at
    /// each step, and every file written outside the vault. No old or new secret key, no MFA session's secret or
    /// token, and no passphrase may appear; key ids may.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class RotateLeakScanTests
    {
        private readonly ITestOutputHelper _output;
        private readonly List<(string Where, string Text)> _seen = new List<(string, string)>();
        private readonly SecretWatch _watch = new SecretWatch();

        public RotateLeakScanTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void NoRotationShowsAnOldOrNewSecretOrASessionToken()
        {
            using var f = RotateCommandTests.Fixture();
            _watch.Add("alice's old secret key", EmulatedSts.AliceSecret);
            _watch.Add("bob's old secret key", EmulatedSts.BobSecret);
            _watch.Add("the vault passphrase", TestEnvironment.Passphrase);

            // Successes: bob with his key itself, alice through an MFA session that IAM requires.
            Run(f, "rotate bob", "Update-AwsVaultAccessKey bob -Verbose -Debug | Format-List | Out-String");
            WatchKeysOf(f, "bob");
            f.World.RequireMfaForIam = true;
            Run(f, "rotate alice with MFA", "Update-AwsVaultAccessKey admin -MfaToken " + f.Code() + " -Verbose -Debug -WarningAction Continue");
            WatchKeysOf(f, "alice");
            f.World.RequireMfaForIam = false;

            // Failures at each step.
            f.World.Faults.Enqueue("CreateAccessKey", Fault.Error(400, "ServiceFailure", "no"));
            Fails(f, "CreateAccessKey fails", "Update-AwsVaultAccessKey bob -Verbose -Debug", "IamServiceFailure");
            f.World.NewKeyDelay = TimeSpan.FromHours(1);
            TimeSpan bound = AccessKeyRotation.AcceptanceBound;
            AccessKeyRotation.AcceptanceBound = TimeSpan.FromSeconds(2);
            try
            {
                Fails(f, "the new key is never accepted", "Update-AwsVaultAccessKey bob -Verbose -Debug", "NewAccessKeyNotAccepted");
            }
            finally
            {
                AccessKeyRotation.AcceptanceBound = bound;
                f.World.NewKeyDelay = TimeSpan.Zero;
            }
            f.World.Faults.Enqueue("DeleteAccessKey", Fault.Error(403, "AccessDenied", "not allowed"));
            Fails(f, "DeleteAccessKey fails", "Update-AwsVaultAccessKey bob -Verbose -Debug", "OldAccessKeyNotDeleted");
            WatchKeysOf(f, "bob");
            Fails(f, "two keys already", "Update-AwsVaultAccessKey bob -Verbose -Debug", "IamLimitExceeded");

            foreach (var issued in f.World.Sessions)
            {
                _watch.Add("a session secret key issued by STS", issued.SecretAccessKey);
                _watch.Add("a session token issued by STS", issued.SessionToken);
            }
            foreach (string file in LeakScanTests.FilesOutsideTheVault(f.Env.Root, f.Env.VaultDirectory))
            {
                _seen.Add(("the file " + file, File.ReadAllText(file)));
            }
            foreach (var (where, text) in _seen) _watch.AssertAbsent(where, text);
            Assert.True(f.World.Sessions.Any(s => s.SessionToken != null), "the MFA session was made");
            _output.WriteLine(_seen.Count + " captures scanned for " + _watch.Count + " secrets.");
        }

        private void WatchKeysOf(SessionFixture f, string user)
        {
            foreach (var key in f.World.AccessKeysOf(user)) _watch.Add(user + "'s key " + key.AccessKeyId + " (secret)", key.SecretAccessKey);
        }

        private void Run(SessionFixture f, string scenario, string script)
        {
            var r = LoudRun.Succeeds(f.Ps, scenario, script);
            Assert.NotEmpty(r.Progress);
            _seen.Add((scenario, Visible.Of(r)));
        }

        private void Fails(SessionFixture f, string scenario, string script, string errorId)
        {
            var r = LoudRun.FailsWith(f.Ps, scenario, script, errorId);
            _seen.Add((scenario + " (" + errorId + ")", Visible.Of(r)));
        }
    }
}
