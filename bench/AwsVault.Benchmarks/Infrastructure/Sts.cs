using System;
using System.Threading;
using AwsVault.Tests.Sts;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>
    /// The STS emulator on loopback with the identities the benchmarks use: dev (no MFA, the profile of the
    /// timing benchmarks), alice (virtual MFA device), bob (no MFA), and roles in another account. The module
    /// reaches it the standard way, AWS_ENDPOINT_URL_STS. World.Calls counts every round trip.
    /// </summary>
    public sealed class Sts : IDisposable
    {
        // Generated per run: only AWS's documented example keys may appear in the source.
        public static readonly string DevKeyId = "AKIA" + RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        public static readonly string DevSecret = RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);

        private static string RandomText(string alphabet, int length)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }
        public const string AliceKeyId = "AKIAIOSFODNN7EXAMPLE";
        public const string AliceSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        public const string BobKeyId = "AKIAI44QH8DHBEXAMPLE";
        public const string BobSecret = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
        public const string AdminArn = "arn:aws:iam::444455556666:role/Admin";
        public const string ReadOnlyArn = "arn:aws:iam::444455556666:role/ReadOnly";

        public Sts()
        {
            World = new StsWorld();
            World.AddUser("111122223333", "dev", DevKeyId, DevSecret);
            var alice = World.AddUser("111122223333", "alice", AliceKeyId, AliceSecret);
            AliceMfaSerial = World.AddMfaDevice(alice).SerialNumber;
            World.AddUser("111122223333", "bob", BobKeyId, BobSecret);
            World.AddRole(AdminArn, maxSessionDuration: 43200, requireMfa: true);
            World.AddRole(ReadOnlyArn);
            Server = StsServer.Start(World);
        }

        public StsWorld World { get; }
        public StsServer Server { get; }
        public string AliceMfaSerial { get; }
        public string Endpoint => Server.Endpoint.ToString();

        /// <summary>A code the emulator has not seen; waits for the next 30 s step when this one's codes are spent.</summary>
        public string NextAliceCode()
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    return World.UnusedTokenCode(AliceMfaSerial);
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    Thread.Sleep(TimeSpan.FromMilliseconds(30_000 - now % 30_000 + 200));
                }
            }
        }

        /// <summary>The PowerShell that stores a key without prompting (the secret never appears as a plain parameter).</summary>
        public static string AddProfileScript(string profile, string keyId, string secret) =>
            "$s = [System.Net.NetworkCredential]::new('', '" + secret + "').SecurePassword; " +
            "Add-AwsVaultProfile '" + profile + "' -AccessKeyId '" + keyId + "' -SecretAccessKey $s -AddConfig:$false -Force";

        public void Dispose() => Server.Dispose();
    }
}
