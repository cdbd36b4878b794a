using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AwsVault.Tests.Harness;
using AwsVault.Tests.MultiProcess;
using AwsVault.Tests.SsoEmulator;
using AwsVault.Tests.Sts.Sso;

namespace AwsVault.Tests.Sso
{
    /// <summary>
    /// An Identity Center user as `aws configure sso` leaves one: an [sso-session corp] and SSO profiles in a private
    /// HOME, the emulator (EmulatedSso: Dev and Prod accounts) reached the standard way (AWS_ENDPOINT_URL_SSO_OIDC,
    /// AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_STS), and a "browser": BROWSER names a script that follows the authorize
    /// redirect with curl, as a user who approves in a browser would, and counts how often it was opened.
    /// Prompts are allowed (AWS_VAULT_PROMPT=terminal) so a sign-in can happen even where CI=true.
    /// </summary>
    internal sealed class SsoFixture : IDisposable
    {
        public const string Session = "corp";
        public const string OpsRoleArn = "arn:aws:iam::444455556666:role/Ops";
        public const string DeployRoleArn = "arn:aws:iam::444455556666:role/Deploy";

        public SsoFixture(bool openRunspace = true)
        {
            Sso = new EmulatedSso();
            Sso.World.Sts.AddRole(OpsRoleArn, 3600);
            Sso.World.Sts.AddRole(DeployRoleArn, 3600);
            Env = new TestEnvironment();
            foreach (var pair in Endpoints) Env.Set(pair.Key, pair.Value);
            Env.Set("AWS_VAULT_PROMPT", "terminal");
            BrowserLog = Path.Combine(Env.Root, "browser.log");
            BrowserScript = Path.Combine(Env.Root, "browser.sh");
            File.WriteAllText(BrowserScript,
                "#!/bin/sh\n" +
                "echo opened >> '" + BrowserLog + "'\n" +
                "exec curl -sS -L --max-time 30 -o /dev/null \"$1\"\n");
            File.SetUnixFileMode(BrowserScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Env.Set("BROWSER", BrowserScript);
            Env.WriteConfig(Config);
            Credentials.SessionCacheReset.ForgetMemory();
            if (openRunspace) Ps = new PowerShellSession(Host);
        }

        public EmulatedSso Sso { get; }
        public SsoWorld World => Sso.World;
        public TestEnvironment Env { get; }
        public ScriptedHost Host { get; } = new ScriptedHost();
        public PowerShellSession Ps { get; }
        public string BrowserScript { get; }
        public string BrowserLog { get; }

        /// <summary>How often the sign-in opened the browser.</summary>
        public int BrowserOpenings => File.Exists(BrowserLog) ? File.ReadAllLines(BrowserLog).Length : 0;

        public IReadOnlyDictionary<string, string> Endpoints => new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_SSO_OIDC"] = Sso.Endpoint,
            ["AWS_ENDPOINT_URL_SSO"] = Sso.Endpoint,
            ["AWS_ENDPOINT_URL_STS"] = Sso.Endpoint,
        };

        /// <summary>dev and dev-admin sign in through [sso-session corp]; legacy has the start URL itself; ops assumes a role
        /// with dev's credentials and deploy one with ops's (SSO → role → role).</summary>
        public static string Config =>
            "[sso-session " + Session + "]\n" +
            "sso_start_url = " + EmulatedSso.StartUrl + "\n" +
            "sso_region = us-east-1\n" +
            "sso_registration_scopes = sso:account:access\n\n" +
            "[profile dev]\nsso_session = " + Session + "\nsso_account_id = " + EmulatedSso.Dev + "\nsso_role_name = ReadOnly\nregion = eu-west-1\n\n" +
            "[profile dev-admin]\nsso_session = " + Session + "\nsso_account_id = " + EmulatedSso.Dev + "\nsso_role_name = Admin\n\n" +
            "[profile legacy]\nsso_start_url = " + EmulatedSso.StartUrl + "\nsso_region = us-east-1\nsso_account_id = " + EmulatedSso.Prod + "\nsso_role_name = ReadOnly\n\n" +
            "[profile ops]\nsource_profile = dev\nrole_arn = " + OpsRoleArn + "\n\n" +
            "[profile deploy]\nsource_profile = ops\nrole_arn = " + DeployRoleArn + "\nregion = us-west-2\n";

        /// <summary>The environment of a child pwsh (PwshHostProcess) that shares this fixture's HOME, vault, emulator
        /// and browser, with the module imported first.</summary>
        public Dictionary<string, string> ChildEnvironment(bool ci = false)
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["HOME"] = Env.Home,
                ["AWS_CONFIG_FILE"] = Env.ConfigFile,
                ["AWS_VAULT_FILE_DIR"] = Env.VaultDirectory,
                ["AWS_VAULT_BACKEND"] = "file",
                ["AWS_VAULT_FILE_PASSPHRASE"] = TestEnvironment.Passphrase,
                ["BROWSER"] = BrowserScript,
                [PwshHostProcess.ImportVariable] = ModuleAssembly.ManifestPath,
            };
            foreach (var pair in Endpoints) env[pair.Key] = pair.Value;
            if (ci) env["CI"] = "true";
            else env["AWS_VAULT_PROMPT"] = "terminal";
            return env;
        }

        public int OidcCalls => World.Calls.Count(c => c.Service == SsoCall.OidcService);
        public int RoleCredentialCalls => World.CallsTo("GetRoleCredentials").Count;

        public void Dispose()
        {
            Ps?.Dispose();
            Env.Dispose();
            Sso.Dispose();
            Credentials.SessionCacheReset.ForgetMemory();
        }
    }
}
