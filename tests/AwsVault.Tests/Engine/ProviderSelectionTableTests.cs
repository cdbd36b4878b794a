using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Engine;
using AwsVault.Storage;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.Engine
{
    /// <summary>
    /// aws-vault's vault_test.go, as a table: a config, the keys in an in-memory store, the profile asked for and the
    /// environment go in; the providers chosen (their types and the chain summary built from their Descriptions)
    /// and the calls a fake STS receives come out. Nothing here reads the process environment, so the selection
    /// rows run in parallel with every other test.
    /// </summary>
    public sealed class ProviderSelectionTableTests
    {
        internal const string DevKey = "AKIAIOSFODNN7EXAMPLE";
        internal const string BaseKey = "AKIAI44QH8DHBEXAMPLE";
        internal const string Serial = "arn:aws:iam::111122223333:mfa/dev";

        internal sealed class Row
        {
            public string Config = "";
            public string[] Keys = Array.Empty<string>();
            public string Profile;
            public Dictionary<string, string> Env = new Dictionary<string, string>();
            public bool NoSession;
            /// <summary>Get-AwsVaultLoginUrl's request: a stored key gets GetFederationToken instead of GetSessionToken.</summary>
            public bool ConsoleSignIn;
            public string Summary;
            public string Providers;
            public string Region;
            public string ErrorId;
            /// <summary>The STS calls of a first retrieval, "{code}" standing for the -MfaToken of the row.</summary>
            public string[] Calls;
        }

        internal static readonly Dictionary<string, Row> Rows = new Dictionary<string, Row>
        {
            ["stored key only"] = new Row
            {
                Config = "[profile dev]\nregion = eu-west-1\n", Keys = new[] { "dev" }, Profile = "dev",
                Summary = "stored key(dev) -> GetSessionToken(dev)", Providers = "StoredKeyProvider > SessionTokenProvider", Region = "eu-west-1",
                Calls = new[] { "GetSessionToken by " + DevKey + " for 3600s without MFA at https://sts.eu-west-1.amazonaws.com" },
            },
            ["stored key with mfa_serial"] = new Row
            {
                Config = "[profile dev]\nmfa_serial = " + Serial + "\n", Keys = new[] { "dev" }, Profile = "dev",
                Summary = "stored key(dev) -> GetSessionToken(dev, MFA)", Providers = "StoredKeyProvider > SessionTokenProvider",
                Calls = new[] { "GetSessionToken by " + DevKey + " for 3600s with MFA " + Serial + " code {code} at https://sts.us-east-1.amazonaws.com" },
            },
            ["no session"] = new Row
            {
                Config = "[profile dev]\n", Keys = new[] { "dev" }, Profile = "dev", NoSession = true,
                Summary = "stored key(dev)", Providers = "StoredKeyProvider", Calls = new string[0],
            },
            ["source_profile and role_arn"] = new Row
            {
                Config = "[profile base]\nregion = eu-central-1\n[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::111122223333:role/admin\nexternal_id = ext-1\n",
                Keys = new[] { "base" }, Profile = "admin",
                // A role without mfa_serial: GetSessionToken would add nothing, so base's key signs AssumeRole itself.
                Summary = "stored key(base) -> AssumeRole(admin)", Providers = "StoredKeyProvider > AssumeRoleProvider", Region = "eu-central-1",
                Calls = new[] { "AssumeRole arn:aws:iam::111122223333:role/admin by " + BaseKey + " for 3600s without MFA external id ext-1 at https://sts.eu-central-1.amazonaws.com" },
            },
            ["role chain of three"] = new Row
            {
                Config = "[profile base]\n[profile mid]\nsource_profile = base\nrole_arn = arn:aws:iam::111122223333:role/mid\n" +
                         "[profile top]\nsource_profile = mid\nrole_arn = arn:aws:iam::444455556666:role/top\nregion = ap-south-1\n",
                Keys = new[] { "base" }, Profile = "top",
                Summary = "stored key(base) -> AssumeRole(mid) -> AssumeRole(top)", Providers = "StoredKeyProvider > AssumeRoleProvider > AssumeRoleProvider", Region = "ap-south-1",
                Calls = new[]
                {
                    // The region of a profile without one of its own is its source's; mid has none and base neither.
                    "AssumeRole arn:aws:iam::111122223333:role/mid by " + BaseKey + " for 3600s without MFA at https://sts.us-east-1.amazonaws.com",
                    "AssumeRole arn:aws:iam::444455556666:role/top by ASIAFAKE1 for 3600s without MFA at https://sts.ap-south-1.amazonaws.com",
                },
            },
            ["chained MFA: one code for GetSessionToken and the role"] = new Row
            {
                Config = "[profile base]\nmfa_serial = " + Serial + "\n[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::111122223333:role/admin\nmfa_serial = " + Serial + "\n",
                Keys = new[] { "base" }, Profile = "admin",
                Summary = "stored key(base) -> GetSessionToken(base, MFA) -> AssumeRole(admin)", Providers = "StoredKeyProvider > SessionTokenProvider > AssumeRoleProvider",
                Calls = new[]
                {
                    "GetSessionToken by " + BaseKey + " for 28800s with MFA " + Serial + " code {code} at https://sts.us-east-1.amazonaws.com",
                    "AssumeRole arn:aws:iam::111122223333:role/admin by ASIAFAKE1 for 3600s without MFA at https://sts.us-east-1.amazonaws.com",
                },
            },
            ["sso_start_url in [default] and a stored key"] = new Row
            {
                Config = "[default]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n[profile dev]\nregion = us-west-2\n",
                Keys = new[] { "dev" }, Profile = "dev",
                Summary = "stored key(dev) -> GetSessionToken(dev)", Providers = "StoredKeyProvider > SessionTokenProvider", Region = "us-west-2",
                Calls = new[] { "GetSessionToken by " + DevKey + " for 3600s without MFA at https://sts.us-west-2.amazonaws.com" },
            },
            ["sso without a key"] = new Row
            {
                Config = "[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = us-west-2\n",
                Profile = "sso", Summary = "GetRoleCredentials(sso, 111122223333/Admin)", Providers = "SsoRoleProvider", Region = "us-west-2",
            },
            ["sso under two roles"] = new Row
            {
                Config = "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n" +
                         "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n" +
                         "[profile ops]\nsource_profile = sso\nrole_arn = arn:aws:iam::111122223333:role/ops\n" +
                         "[profile deploy]\nsource_profile = ops\nrole_arn = arn:aws:iam::111122223333:role/deploy\n",
                Profile = "deploy", Summary = "GetRoleCredentials(sso, 111122223333/Admin) -> AssumeRole(ops) -> AssumeRole(deploy)",
                Providers = "SsoRoleProvider > AssumeRoleProvider > AssumeRoleProvider",
            },
            ["sso without sso_region"] = new Row
            {
                Config = "[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_account_id = 111122223333\nsso_role_name = Admin\n",
                Profile = "sso", ErrorId = ErrorIds.ConfigSsoSettingMissing,
            },
            ["credential_process"] = new Row
            {
                Config = "[profile cp]\ncredential_process = /usr/bin/false\n", Profile = "cp",
                // Its output is already temporary: no GetSessionToken around it.
                Summary = "credential_process(cp)", Providers = "CredentialProcessProvider",
            },
            ["web_identity_token_file"] = new Row
            {
                Config = "[profile web]\nrole_arn = arn:aws:iam::111122223333:role/web\nweb_identity_token_file = {tokenFile}\nrole_session_name = ci\n", Profile = "web",
                Summary = "AssumeRoleWithWebIdentity(web)", Providers = "WebIdentityProvider",
                Calls = new[] { "AssumeRoleWithWebIdentity arn:aws:iam::111122223333:role/web with token 'header.payload.signature' for 3600s at https://sts.us-east-1.amazonaws.com" },
            },
            ["role_arn without a source"] = new Row
            {
                Config = "[profile lonely]\nrole_arn = arn:aws:iam::111122223333:role/lonely\n", Profile = "lonely", ErrorId = "CredentialsMissing",
            },
            ["source_profile cycle"] = new Row
            {
                Config = "[profile a]\nsource_profile = b\nrole_arn = arn:aws:iam::111122223333:role/a\n[profile b]\nsource_profile = a\nrole_arn = arn:aws:iam::111122223333:role/b\n",
                Profile = "a", ErrorId = ErrorIds.ConfigProfileLoop,
            },
            ["unknown profile"] = new Row
            {
                Config = "[profile dev]\n", Keys = new[] { "dev" }, Profile = "dve", ErrorId = ErrorIds.ProfileNotFound,
            },
            ["AWS_ROLE_ARN applies to the target"] = new Row
            {
                Config = "[profile dev]\n", Keys = new[] { "dev" }, Profile = "dev",
                Env = { ["AWS_ROLE_ARN"] = "arn:aws:iam::111122223333:role/from-env", ["AWS_ROLE_SESSION_NAME"] = "env-session", ["AWS_SOURCE_IDENTITY"] = "alice" },
                Summary = "stored key(dev) -> AssumeRole(dev)", Providers = "StoredKeyProvider > AssumeRoleProvider",
                Calls = new[] { "AssumeRole arn:aws:iam::111122223333:role/from-env by " + DevKey + " for 3600s without MFA source identity alice at https://sts.us-east-1.amazonaws.com" },
            },
            ["AWS_ROLE_ARN does not reach a source profile"] = new Row
            {
                Config = "[profile base]\n[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::111122223333:role/admin\n",
                Keys = new[] { "base" }, Profile = "admin", Env = { ["AWS_ROLE_ARN"] = "arn:aws:iam::111122223333:role/from-env" },
                Summary = "stored key(base) -> AssumeRole(admin)", Providers = "StoredKeyProvider > AssumeRoleProvider",
                Calls = new[] { "AssumeRole arn:aws:iam::111122223333:role/admin by " + BaseKey + " for 3600s without MFA at https://sts.us-east-1.amazonaws.com" },
            },
            ["AWS_MFA_SERIAL"] = new Row
            {
                Config = "[profile dev]\n", Keys = new[] { "dev" }, Profile = "dev", Env = { ["AWS_MFA_SERIAL"] = Serial },
                Summary = "stored key(dev) -> GetSessionToken(dev, MFA)", Providers = "StoredKeyProvider > SessionTokenProvider",
                Calls = new[] { "GetSessionToken by " + DevKey + " for 3600s with MFA " + Serial + " code {code} at https://sts.us-east-1.amazonaws.com" },
            },
            ["AWS_REGION, AWS_SESSION_TOKEN_TTL and AWS_ENDPOINT_URL_STS"] = new Row
            {
                Config = "[profile dev]\nregion = eu-west-1\n", Keys = new[] { "dev" }, Profile = "dev",
                Env = { ["AWS_REGION"] = "sa-east-1", ["AWS_SESSION_TOKEN_TTL"] = "2h", ["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9/sts" },
                Summary = "stored key(dev) -> GetSessionToken(dev)", Providers = "StoredKeyProvider > SessionTokenProvider", Region = "sa-east-1",
                Calls = new[] { "GetSessionToken by " + DevKey + " for 7200s without MFA at http://127.0.0.1:9/sts" },
            },
            ["include_profile"] = new Row
            {
                Config = "[profile common]\nmfa_serial = " + Serial + "\nregion = ca-central-1\n[profile dev]\ninclude_profile = common\n",
                Keys = new[] { "dev" }, Profile = "dev",
                Summary = "stored key(dev) -> GetSessionToken(dev, MFA)", Providers = "StoredKeyProvider > SessionTokenProvider", Region = "ca-central-1",
                Calls = new[] { "GetSessionToken by " + DevKey + " for 3600s with MFA " + Serial + " code {code} at https://sts.ca-central-1.amazonaws.com" },
            },
            ["console sign-in: stored key with mfa_serial"] = new Row
            {
                // GetFederationToken takes no MFA: the serial is not used (said at -Verbose), the chain sends no code.
                Config = "[profile dev]\nregion = eu-west-1\nmfa_serial = " + Serial + "\n", Keys = new[] { "dev" }, Profile = "dev", ConsoleSignIn = true,
                Summary = "stored key(dev) -> GetFederationToken(dev)", Providers = "StoredKeyProvider > FederationTokenProvider", Region = "eu-west-1",
            },
            ["console sign-in: role"] = new Row
            {
                Config = "[profile base]\n[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::111122223333:role/admin\nregion = eu-central-1\n",
                Keys = new[] { "base" }, Profile = "admin", ConsoleSignIn = true,
                Summary = "stored key(base) -> AssumeRole(admin)", Providers = "StoredKeyProvider > AssumeRoleProvider", Region = "eu-central-1",
            },
            ["console sign-in: source_profile without a role"] = new Row
            {
                Config = "[profile base]\n[profile child]\nsource_profile = base\nregion = sa-east-1\n", Keys = new[] { "base" }, Profile = "child", ConsoleSignIn = true,
                Summary = "stored key(base) -> GetFederationToken(base)", Providers = "StoredKeyProvider > FederationTokenProvider", Region = "sa-east-1",
            },
            ["console sign-in: federation token too long"] = new Row
            {
                Config = "[profile dev]\n", Keys = new[] { "dev" }, Profile = "dev", ConsoleSignIn = true,
                Env = new Dictionary<string, string> { ["AWS_FEDERATION_TOKEN_TTL"] = "40h" }, ErrorId = "InvalidDuration",
            },
        };

        public static IEnumerable<object[]> Names => Rows.Keys.Select(k => new object[] { k });

        public static IEnumerable<object[]> NamesWithCalls => Rows.Where(r => r.Value.Calls != null).Select(r => new object[] { r.Key });

        [Theory]
        [MemberData(nameof(Names))]
        public void ChoosesTheProviders(string name)
        {
            Row row = Rows[name];
            using (var fixture = new TableFixture(row))
            {
                if (row.ErrorId != null)
                {
                    var error = Assert.Throws<AwsVaultException>(() => fixture.Build());
                    Assert.Equal(row.ErrorId, error.ErrorId);
                    Assert.Empty(fixture.Sts.Calls);
                    return;
                }
                CredentialSource source = fixture.Build();
                Assert.Equal(row.Summary, source.Summary);
                Assert.Equal(row.Providers, string.Join(" > ", source.Providers.Select(TypeName)));
                Assert.Equal(row.Region, source.Region);
                Assert.Equal(row.Profile, source.ProfileName);
                Assert.Equal(row.Summary.Contains(", MFA"), source.UsesMfa);
                // Building decides; it calls nothing and does not even create the STS client.
                Assert.Empty(fixture.Sts.Calls);
                Assert.Equal(0, fixture.Clients.StsCreated);
            }
        }

        internal static string TypeName(ICredentialProvider provider) =>
            (provider is CachedSessionProvider cached ? cached.Inner : provider).GetType().Name;
    }

    /// <summary>
    /// The same rows, retrieved: the fake STS's calls are the row's call plan, and a second retrieval of the same
    /// CredentialSource (what a credential server does per request) is served from the context's memory.
    /// In the process-environment collection: session locks, store stamps and the record of sent MFA codes live in
    /// the user runtime folder, which $XDG_RUNTIME_DIR / $TMPDIR locate, and tests there point those elsewhere.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class StsCallPlanTableTests
    {
        [Theory]
        [MemberData(nameof(ProviderSelectionTableTests.NamesWithCalls), MemberType = typeof(ProviderSelectionTableTests))]
        public void MakesTheCalls(string name)
        {
            var row = ProviderSelectionTableTests.Rows[name];
            using (var fixture = new TableFixture(row))
            {
                CredentialSource source = fixture.Build();
                AwsCredentials first = source.Retrieve(prompter: null, log: null, mfaToken: fixture.Code);
                var expected = row.Calls.Select(c => c.Replace("{code}", fixture.Code)).ToArray();
                Assert.Equal(expected, fixture.Sts.Calls.ToArray());
                if (expected.Length == 0)
                {
                    Assert.Equal(ProviderSelectionTableTests.DevKey, first.AccessKeyId);
                    Assert.Null(first.SessionToken);
                    return;
                }
                Assert.Equal("ASIAFAKE" + expected.Length, first.AccessKeyId);
                Assert.Equal("fake-token-" + expected.Length, first.SessionToken);

                AwsCredentials again = source.Retrieve(prompter: null, log: null);
                Assert.Same(first, again);
                Assert.Equal(expected.Length, fixture.Sts.Calls.Count);
            }
        }

        [Fact]
        public void TwoContextsShareNoMemory()
        {
            var row = ProviderSelectionTableTests.Rows["stored key only"];
            using (var a = new TableFixture(row))
            using (var b = new TableFixture(row))
            {
                a.Build().Retrieve(null, null);
                a.Build().Retrieve(null, null);
                b.Build().Retrieve(null, null);
                Assert.Single(a.Sts.Calls);
                Assert.Single(b.Sts.Calls);
                Assert.Single(a.Engine.Sessions);
                Assert.Single(b.Engine.Sessions);
            }
        }
    }

    /// <summary>One row made real: its config parsed, its keys stored, its own EngineContext with a fake STS.</summary>
    internal sealed class TableFixture : IDisposable
    {
        private readonly ProviderSelectionTableTests.Row _row;
        private readonly string _tokenFile;

        public TableFixture(ProviderSelectionTableTests.Row row)
        {
            _row = row;
            Sts = new RecordingSts();
            Clients = new FakeClients(Sts);
            Engine = new EngineContext(Clients);
            Store = new InMemoryStore(row.Keys.Select(k => new KeyValuePair<string, AccessKey>(k,
                new AccessKey(k == "base" ? ProviderSelectionTableTests.BaseKey : ProviderSelectionTableTests.DevKey, "secret-of-" + k))));
            string text = row.Config;
            if (text.Contains("{tokenFile}"))
            {
                _tokenFile = Path.GetTempFileName();
                File.WriteAllText(_tokenFile, "header.payload.signature\n");
                text = text.Replace("{tokenFile}", _tokenFile);
            }
            Profiles = ProfileConfigLoader.Load(ConfigFile.Parse(text, "/home/tester/.aws/config"), EnvironmentSnapshot.From(row.Env));
            // A code of its own per run: the record of sent codes is shared by every process of the user for 90 s.
            Code = new Random().Next(0, 1000000).ToString("D6");
        }

        public RecordingSts Sts { get; }
        public FakeClients Clients { get; }
        public EngineContext Engine { get; }
        public InMemoryStore Store { get; }
        public ProfileGraph Profiles { get; }
        public string Code { get; }

        public CredentialSource Build() =>
            new SessionIssuer(Engine).Build(new SessionRequest { ProfileName = _row.Profile, NoSession = _row.NoSession, ForConsoleSignIn = _row.ConsoleSignIn }, Profiles, Store, null);

        public void Dispose()
        {
            Engine.Dispose();
            if (_tokenFile != null) File.Delete(_tokenFile);
        }
    }
}
