using System;
using AwsVault.Tests.Commands;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;

namespace AwsVault.Tests.Sessions
{
    /// <summary>
    /// A private HOME and vault, the STS emulator (alice with an MFA device, bob without, roles in another
    /// account), the module pointed at it the standard way (AWS_ENDPOINT_URL_STS), and alice's and bob's keys
    /// stored under the profiles "alice" and "bob".
    /// </summary>
    internal sealed class SessionFixture : IDisposable
    {
        public SessionFixture(string config = null, bool storeKeys = true)
        {
            Sts = new EmulatedSts();
            Env = new TestEnvironment();
            Env.Set("AWS_ENDPOINT_URL_STS", Sts.Endpoint);
            Env.WriteConfig(config ?? DefaultConfig);
            Credentials.SessionCacheReset.ForgetMemory();
            Ps = new PowerShellSession(Host);
            if (storeKeys)
            {
                Ps.Run(ProfileCommandsTests.AddScript("alice", EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, "-AddConfig:$false")).ThrowIfErrors();
                Ps.Run(ProfileCommandsTests.AddScript("bob", EmulatedSts.BobKeyId, EmulatedSts.BobSecret, "-AddConfig:$false")).ThrowIfErrors();
            }
            Sts.World.ClearCalls();
        }

        public EmulatedSts Sts { get; }
        public StsWorld World => Sts.World;
        public TestEnvironment Env { get; }
        public ScriptedHost Host { get; } = new ScriptedHost();
        public PowerShellSession Ps { get; }

        public string Serial => Sts.AliceMfa.SerialNumber;
        public string Code() => Sts.AliceCode();

        public string DefaultConfig =>
            "[profile alice]\nregion = eu-west-1\nmfa_serial = " + Serial + "\n\n" +
            "[profile bob]\nregion = us-west-2\n\n" +
            "[profile admin]\nsource_profile = alice\nrole_arn = " + EmulatedSts.AdminArn + "\nmfa_serial = " + Serial + "\n\n" +
            "[profile readonly]\nsource_profile = bob\nrole_arn = " + EmulatedSts.ReadOnlyArn + "\n";

        public void Dispose()
        {
            Ps.Dispose();
            Env.Dispose();
            Sts.Dispose();
            Credentials.SessionCacheReset.ForgetMemory();
        }
    }
}
