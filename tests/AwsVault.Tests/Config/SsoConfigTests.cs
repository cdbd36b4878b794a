using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsVault.Config;
using Xunit;
using static AwsVault.Tests.Config.ConfigAssert;

namespace AwsVault.Tests.Config
{
    /// <summary>SSO profiles in the config model: the forms the AWS CLI v2 reads, its checks, chains and endpoints.
    /// Pure: the environment is a snapshot from a dictionary.</summary>
    public class SsoConfigTests
    {
        private const string Corp =
            "[sso-session corp]\n" +                                              // 1
            "sso_start_url = https://corp.awsapps.com/start#/\n" +               // 2
            "sso_region = eu-central-1\n" +                                      // 3
            "sso_registration_scopes = sso:account:access , codewhisperer:completions,\n"; // 4

        private static IReadOnlyList<ProfileConfig> Chain(string config, string target, IDictionary<string, string> env = null) =>
            ProfileConfigLoader.Load(Parse(config), EnvironmentSnapshot.From(env ?? new Dictionary<string, string>()))
                .Chain(target, _ => false);

        private static SsoSettings Sso(string config, string profile, IDictionary<string, string> env = null) =>
            Chain(config, profile, env)[0].Sso;

        [Fact]
        public void AProfileWithAnSsoSessionTakesTheSessionsSignInAndItsOwnAccountAndRole()
        {
            var sso = Sso(Corp + "[profile dev]\nsso_session = corp\nsso_account_id = 012345678901\nsso_role_name = Developer\nregion = us-west-2\n", "dev");

            Assert.Equal("dev", sso.ProfileName);
            Assert.Equal("corp", sso.SessionName);
            Assert.Equal("https://corp.awsapps.com/start#/", sso.StartUrl);
            Assert.Equal("eu-central-1", sso.Region);
            Assert.Equal(new[] { "sso:account:access", "codewhisperer:completions" }, sso.RegistrationScopes);
            Assert.True(sso.RegistrationScopesConfigured);
            Assert.Equal("012345678901", sso.AccountId);
            Assert.Equal("Developer", sso.RoleName);
            Assert.Equal("corp", sso.TokenKey);
            Assert.Equal("eu-central-1", sso.SsoOidcEndpoint.Region);
            Assert.Null(sso.SsoOidcEndpoint.EndpointUrl);
            Assert.Equal("eu-central-1", sso.SsoPortalEndpoint.Region);
            Assert.Null(sso.SsoPortalEndpoint.EndpointUrl);
        }

        [Fact]
        public void AnSsoSessionWithoutScopesGetsTheDefaultScope()
        {
            var sso = Sso("[sso-session s]\nsso_start_url = https://s.awsapps.com/start\nsso_region = us-east-1\n" +
                          "[profile p]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = R\n", "p");
            Assert.Equal(new[] { "sso:account:access" }, sso.RegistrationScopes);
            Assert.False(sso.RegistrationScopesConfigured);
        }

        [Fact]
        public void TheLegacyFormKeepsTheSignInOnTheProfileAndIsKeyedByStartUrl()
        {
            var sso = Sso("[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = ap-southeast-2\n" +
                          "sso_account_id = 111122223333\nsso_role_name = ReadOnly\n", "old");

            Assert.Null(sso.SessionName);
            Assert.Equal("https://old.awsapps.com/start", sso.StartUrl);
            Assert.Equal("ap-southeast-2", sso.Region);
            Assert.Empty(sso.RegistrationScopes);
            Assert.Equal("111122223333", sso.AccountId);
            Assert.Equal("ReadOnly", sso.RoleName);
            Assert.Equal("https://old.awsapps.com/start", sso.TokenKey);
        }

        [Fact]
        public void AProfileRepeatingItsSessionsValuesIsFineAndDefaultsSsoStartUrlIsOverridden()
        {
            // [default]'s legacy sso_start_url is common and must not conflict with another profile's sso-session.
            var sso = Sso("[default]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n" + Corp +
                          "[profile dev]\nsso_session = corp\nsso_region = eu-central-1\nsso_account_id = 111122223333\nsso_role_name = R\n", "dev");
            Assert.Equal("https://corp.awsapps.com/start#/", sso.StartUrl);
            Assert.Equal("eu-central-1", sso.Region);
        }

        [Fact]
        public void ARepeatedSsoSessionHeaderMergesLikeARepeatedProfileHeader()
        {
            var file = Parse("[sso-session s]\nsso_start_url = https://a/start\nsso_region = us-east-1\n" +
                             "[profile p]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = R\n" +
                             "[sso-session s]\nsso_region = eu-west-1\n");
            Assert.Single(file.Sections.Where(x => x.Kind == SectionKind.SsoSession));
            Assert.Equal(1, file.GetSsoSession("s").Line);
            var sso = ProfileConfigLoader.Load(file, EnvironmentSnapshot.Empty).Chain("p", _ => false)[0].Sso;
            Assert.Equal("https://a/start", sso.StartUrl);
            Assert.Equal("eu-west-1", sso.Region);
        }

        [Fact]
        public void ProfilesWithoutSsoKeysHaveNoSsoSettings()
        {
            var hop = Chain("[profile k]\nregion = us-east-1\n", "k")[0];
            Assert.False(hop.HasSsoSettings);
            Assert.Null(hop.Sso);
        }

        [Fact]
        public void AnSsoStartUrlInDefaultFailsOnlyTheProfileThatIsReadAsSso()
        {
            const string config = "[default]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n\n[profile bob]\nregion = us-east-1\n";
            // Building the chain (what a stored-key profile needs) reads nothing SSO.
            var bob = Chain(config, "bob")[0];
            Assert.True(bob.HasSsoSettings);
            Assert.Equal("us-east-1", bob.Region);
            // Asking for it as SSO says what is missing, at the line it came from.
            var ex = Error(() => _ = bob.Sso, "ConfigSsoSettingMissing", ErrorCategory.InvalidData, 2);
            Assert.Contains("sso_account_id and sso_role_name", ex.Message);
            Assert.Contains("[default] (inherited by profile 'bob')", ex.Message);
        }

        [Fact]
        public void AnSsoSessionNamingNoSectionIsObjectNotFoundAtTheLine()
        {
            var ex = Error(() => Sso("[sso-session Corp]\nsso_start_url = https://x\nsso_region = r\n[profile p]\nsso_account_id = 111122223333\nsso_session = corp\nsso_role_name = R\n", "p"),
                "ConfigSsoSessionNotFound", ErrorCategory.ObjectNotFound, 6);
            Assert.Contains("[sso-session corp]", ex.Message);
        }

        [Theory]
        [InlineData("sso_region = us-east-1\n", "sso_start_url")]
        [InlineData("sso_start_url = https://x.awsapps.com/start\n", "sso_region")]
        public void AnSsoSessionMissingStartUrlOrRegionIsNamedAtItsHeader(string sessionBody, string missing)
        {
            var ex = Error(() => Sso("[profile p]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = R\n[sso-session s]\n" + sessionBody, "p"),
                "ConfigSsoSettingMissing", ErrorCategory.InvalidData, 5);
            Assert.Contains("[sso-session s] (used by profile 'p') has no " + missing, ex.Message);
        }

        [Theory]
        [InlineData("sso_account_id = 111122223333\n", 7, "has no sso_role_name")]
        [InlineData("sso_role_name = R\n", 7, "has no sso_account_id")]
        [InlineData("", 6, "has no sso_account_id and sso_role_name")]
        public void AnSsoProfileNeedsBothAccountAndRole(string body, int line, string says)
        {
            var ex = Error(() => Sso(Corp + "[profile p]\nsso_session = corp\n" + body, "p"),
                "ConfigSsoSettingMissing", ErrorCategory.InvalidData, line);
            Assert.Contains(says, ex.Message);
        }

        [Fact]
        public void AnAccountAndRoleWithNoSignInSayHowToAddOne()
        {
            var ex = Error(() => Sso("[profile p]\nsso_role_name = R\nsso_account_id = 111122223333\n", "p"),
                "ConfigSsoSettingMissing", ErrorCategory.InvalidData, 3);
            Assert.Contains("no sso_session and no sso_start_url", ex.Message);

            ex = Error(() => Sso("[profile p]\nsso_start_url = https://x/start\nsso_role_name = R\nsso_account_id = 111122223333\n", "p"),
                "ConfigSsoSettingMissing", ErrorCategory.InvalidData, 2);
            Assert.Contains("no sso_region", ex.Message);
        }

        [Theory]
        [InlineData("sso_start_url = https://elsewhere.awsapps.com/start\n", "sso_start_url")]
        [InlineData("sso_region = us-east-1\n", "sso_region")]
        public void AProfileDisagreeingWithItsSsoSessionIsAConflict(string own, string key)
        {
            var ex = Error(() => Sso(Corp + "[profile p]\nsso_session = corp\n" + own + "sso_account_id = 111122223333\nsso_role_name = R\n", "p"),
                "ConfigSsoSettingConflict", ErrorCategory.InvalidData, 7);
            Assert.Contains(key + " in [profile p]", ex.Message);
            Assert.Contains("[sso-session corp]", ex.Message);
        }

        [Theory]
        [InlineData("12345678901")]
        [InlineData("1234567890123")]
        [InlineData("1234-5678-9012")]
        [InlineData("12345678901x")]
        public void AnAccountIdThatIsNotTwelveDigitsIsInvalid(string id)
        {
            var ex = Error(() => Sso(Corp + "[profile p]\nsso_session = corp\nsso_role_name = R\nsso_account_id = " + id + "\n", "p"),
                "ConfigInvalidValue", ErrorCategory.InvalidData, 8);
            Assert.Contains("sso_account_id in [profile p]", ex.Message);
        }

        [Fact]
        public void RolesOnTopOfAnSsoProfileResolveWithTheSsoHopAtTheBottomAtAnyDepth()
        {
            var chain = Chain(Corp +
                "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Base\n" +
                "[profile ops]\nsource_profile = sso\nrole_arn = arn:aws:iam::222233334444:role/ops\n" +
                "[profile prod]\nsource_profile = ops\nrole_arn = arn:aws:iam::333344445555:role/prod\n", "prod");

            Assert.Equal(new[] { "prod", "ops", "sso" }, chain.Select(h => h.Name));
            Assert.Same(chain[2], chain[1].Source);
            Assert.Null(chain[2].Source);
            Assert.False(chain[0].HasSsoSettings);
            Assert.Null(chain[0].Sso);
            Assert.Null(chain[1].Sso);
            Assert.Equal("Base", chain[2].Sso.RoleName);
            Assert.Equal("111122223333", chain[2].Sso.AccountId);
        }

        [Fact]
        public void ALoopThroughAnSsoProfileIsStillALoop()
        {
            Error(() => Chain(Corp +
                "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Base\nsource_profile = b\n" +
                "[profile b]\nsource_profile = sso\nrole_arn = arn:aws:iam::222233334444:role/b\n", "b"),
                "ConfigProfileLoop", ErrorCategory.InvalidData, 9);
        }

        public static IEnumerable<object[]> EndpointRows() => new[]
        {
            // env, profile extra lines, expected OIDC url, expected portal url
            new object[] { "", "", null, null },
            new object[] { "", "endpoint_url = http://profile\n", "http://profile", "http://profile" },
            new object[] { "", "services = local\n", "http://svc-oidc", "http://svc-portal" },
            new object[] { "", "services = local\nendpoint_url = http://profile\n", "http://svc-oidc", "http://svc-portal" },
            new object[] { "AWS_ENDPOINT_URL=http://all", "services = local\nendpoint_url = http://profile\n", "http://all", "http://all" },
            new object[] { "AWS_ENDPOINT_URL=http://all;AWS_ENDPOINT_URL_SSO_OIDC=http://oidc", "endpoint_url = http://profile\n", "http://oidc", "http://all" },
            new object[] { "AWS_ENDPOINT_URL_SSO=http://portal", "endpoint_url = http://profile\n", "http://profile", "http://portal" },
            new object[] { "AWS_ENDPOINT_URL_SSO_OIDC=http://oidc;AWS_ENDPOINT_URL_SSO=http://portal", "", "http://oidc", "http://portal" },
            new object[] { "AWS_ENDPOINT_URL_STS=http://sts", "", null, null },
            new object[] { "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true;AWS_ENDPOINT_URL_SSO_OIDC=http://oidc;AWS_ENDPOINT_URL=http://all", "services = local\nendpoint_url = http://profile\n", null, null },
            new object[] { "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false;AWS_ENDPOINT_URL_SSO=http://portal", "", null, "http://portal" },
        };

        [Theory]
        [MemberData(nameof(EndpointRows))]
        public void SsoEndpointsFollowTheSdkOrder(string env, string profileLines, string oidc, string portal)
        {
            var vars = env.Split(';', System.StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var sso = Sso(Corp + "[services local]\nsso_oidc =\n  endpoint_url = http://svc-oidc\nsso =\n  endpoint_url = http://svc-portal\n" +
                          "[profile p]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = R\n" + profileLines, "p", vars);
            Assert.Equal(oidc, sso.SsoOidcEndpoint.EndpointUrl);
            Assert.Equal(portal, sso.SsoPortalEndpoint.EndpointUrl);
            Assert.Equal("eu-central-1", sso.SsoOidcEndpoint.Region);
            Assert.Equal("eu-central-1", sso.SsoPortalEndpoint.Region);
        }
    }
}
