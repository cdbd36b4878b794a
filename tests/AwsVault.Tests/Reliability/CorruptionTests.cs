using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using AwsVault.Storage;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// Damaged vault items, seen the way a user meets them: through the cmdlets, against the STS emulator. Each
    /// damaged item fails alone with an error that names it and its file; every other item keeps working,
    /// including the writes that need the passphrase check, and the listing never needs to open any of them.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class CorruptionTests
    {
        // "a-" sorts before the healthy items, so the write-time passphrase check meets the stray item first.
        private const string OtherPassphrase = "a-otherpass";
        private const string Truncated = "b-truncated";
        private const string Garbled = "c-garbled";
        private const string Foreign = "d-notes.txt";

        [Fact]
        public void EachDamagedItemFailsAloneWithAnErrorNamingItWhileTheOthersKeepWorking()
        {
            using var f = new SessionFixture();
            Directory.CreateDirectory(f.Env.VaultDirectory);
            var store = new FileStore(f.Env.VaultDirectory, new Commands.FixedPassphrase(TestEnvironment.Passphrase));
            store.SetKey(Truncated, NewKey());
            store.SetKey(Garbled, NewKey());
            string truncatedPath = store.PathFor(Truncated), garbledPath = store.PathFor(Garbled);

            string token = File.ReadAllText(truncatedPath);
            File.WriteAllText(truncatedPath, token.Substring(0, token.Length / 2));
            byte[] bytes = File.ReadAllBytes(garbledPath);
            byte[] noise = RandomNumberGenerator.GetBytes(24);
            Array.Copy(noise, 0, bytes, bytes.Length / 2, noise.Length);
            File.WriteAllBytes(garbledPath, bytes);

            // Written by another tool (or aws-vault with a mistyped passphrase): a whole item under another passphrase.
            using (var elsewhere = new Storage.TempVault())
            {
                elsewhere.Open("not the vault's passphrase").SetKey(OtherPassphrase, NewKey());
                File.Copy(Path.Combine(elsewhere.VaultDir, OtherPassphrase), store.PathFor(OtherPassphrase));
            }
            File.WriteAllText(store.PathFor(Foreign), "shopping list: milk, eggs\n");
            FileStore.ResetVerifiedPassphrases();
            Credentials.SessionCacheReset.ForgetMemory();

            // The listing reads names only: everything is there, nothing fails, nothing is decrypted.
            var listed = f.Ps.RunCatching("Get-AwsVaultProfile").ThrowIfErrors();
            var withKeys = listed.Output.Select(o => (ProfileInfo)o.BaseObject).Where(p => p.HasStoredKey).Select(p => p.ProfileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { OtherPassphrase, "alice", "b-truncated", "bob", "c-garbled", "d-notes.txt" }, withKeys);

            foreach (var (profile, id, category) in new[]
            {
                (Truncated, "VaultItemCorrupt", ErrorCategory.InvalidData),
                (Garbled, "VaultItemCorrupt", ErrorCategory.InvalidData),
                (Foreign, "VaultItemCorrupt", ErrorCategory.InvalidData),
                (OtherPassphrase, "VaultPassphraseIncorrect", ErrorCategory.AuthenticationError),
            })
            {
                var r = f.Ps.RunCatching("Get-AwsVaultSession '" + profile + "'");
                AssertError(r, id, category);
                string message = r.Terminating.Exception.Message;
                Assert.Contains("'" + profile + "'", message);
                Assert.Contains(store.PathFor(profile), message);
                Assert.Empty(f.World.Calls);

                // The healthy profiles work right after, STS call and vault write (the session cache) included.
                FileStore.ResetVerifiedPassphrases();
                Credentials.SessionCacheReset.ForgetMemory();
                var bob = f.Ps.RunCatching("Get-AwsVaultSession bob -Refresh").ThrowIfErrors();
                Assert.Equal("bob", ((AwsVaultSession)bob.Output.Single().BaseObject).ProfileName);
                Assert.Single(f.World.Calls);
                f.World.ClearCalls();
            }
            Assert.Contains("Delete the file", f.Ps.RunCatching("Get-AwsVaultSession " + Truncated).Terminating.Exception.Message);

            var alice = f.Ps.RunCatching("Get-AwsVaultSession admin -MfaToken " + f.Code()).ThrowIfErrors();
            Assert.Equal(new[] { "GetSessionToken", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            Assert.Equal(EmulatedSts.AliceKeyId, f.World.Calls[0].CallerAccessKeyId);
            Assert.Equal("admin", ((AwsVaultSession)alice.Output.Single().BaseObject).ProfileName);

            // The way out the messages give: remove the damaged item (no passphrase needed) and add the key again.
            f.Ps.RunCatching("Remove-AwsVaultProfile " + Truncated + " -Force").ThrowIfErrors();
            var fresh = NewKey();
            f.Ps.RunCatching(AddScript(Truncated, fresh.AccessKeyId, fresh.SecretAccessKey, "-AddConfig:$false")).ThrowIfErrors();
            var restored = f.Ps.RunCatching("Get-AwsVaultSession " + Truncated + " -NoSession").ThrowIfErrors();
            Assert.Equal(fresh.AccessKeyId, ((AwsVaultSession)restored.Output.Single().BaseObject).AccessKeyId);

            // Nothing the test did touched the other damaged items.
            Assert.Equal(bytes, File.ReadAllBytes(garbledPath));
        }

        [Fact]
        public void AnEmptyItemAndAnItemCutInsideItsHeaderAreCorruptNotAPassphraseProblem()
        {
            using var f = new SessionFixture();
            var store = new FileStore(f.Env.VaultDirectory, new Commands.FixedPassphrase(TestEnvironment.Passphrase));
            store.SetKey("empty", NewKey());
            store.SetKey("cut", NewKey());
            File.WriteAllBytes(store.PathFor("empty"), Array.Empty<byte>());
            File.WriteAllText(store.PathFor("cut"), File.ReadAllText(store.PathFor("cut")).Substring(0, 10));
            foreach (string profile in new[] { "empty", "cut" })
            {
                var r = f.Ps.RunCatching("Get-AwsVaultSession " + profile);
                AssertError(r, "VaultItemCorrupt", ErrorCategory.InvalidData);
                Assert.Contains("'" + profile + "'", r.Terminating.Exception.Message);
            }
            f.Ps.RunCatching("Get-AwsVaultSession bob").ThrowIfErrors();
        }

        private static AccessKey NewKey() =>
            new AccessKey(MultiProcess.PwshHostProcess.NewAccessKeyId(), MultiProcess.PwshHostProcess.NewSecretAccessKey());
    }
}
