using System.Management.Automation;
using AwsVault.Config;
using Xunit;
using static AwsVault.Tests.Config.ConfigAssert;

namespace AwsVault.Tests.Config
{
    public class ProfileSettingsTests
    {
        [Fact]
        public void TypedPropertiesReadTheirKeys()
        {
            var p = Resolver(
                "[profile a]\n" +
                "region = r\nmfa_serial = m\nrole_arn = ra\nsource_profile = a\nexternal_id = e\nrole_session_name = rs\n" +
                "duration_seconds = 3600\nsource_identity = si\ncredential_process = cp --x\nmfa_process = mp\n" +
                "web_identity_token_file = /t\nweb_identity_token_process = wp\nsts_regional_endpoints = regional\n" +
                "endpoint_url = https://e\nsso_account_id = 123\nsso_role_name = Admin\nsso_start_url = https://s\nsso_region = sr\n" +
                "[profile b]\ninclude_profile = a\nsource_profile = a\n").Resolve("a");

            Assert.Equal("r", p.Region);
            Assert.Equal("m", p.MfaSerial);
            Assert.Equal("ra", p.RoleArn);
            Assert.Null(p.SourceProfile);
            Assert.Equal("e", p.ExternalId);
            Assert.Equal("rs", p.RoleSessionName);
            Assert.Equal(3600, p.DurationSeconds);
            Assert.Equal("si", p.SourceIdentity);
            Assert.Equal("cp --x", p.CredentialProcess);
            Assert.Equal("mp", p.MfaProcess);
            Assert.Equal("/t", p.WebIdentityTokenFile);
            Assert.Equal("wp", p.WebIdentityTokenProcess);
            Assert.Equal("regional", p.StsRegionalEndpoints);
            Assert.Equal("https://e", p.EndpointUrl);
            Assert.Equal("123", p.SsoAccountId);
            Assert.Equal("Admin", p.SsoRoleName);
            Assert.Equal("https://s", p.SsoStartUrl);
            Assert.Equal("sr", p.SsoRegion);
            Assert.Null(p.SsoSession);
            Assert.Null(p.SsoSessionSection);
            Assert.Null(p.IncludeProfile);
            Assert.Null(p.SessionTags);
            Assert.Null(p.TransitiveSessionTags);
        }

        [Fact]
        public void SourceProfileAndIncludeProfileProperties()
        {
            var r = Resolver("[profile a]\n[profile b]\ninclude_profile = a\nsource_profile = a\n");
            Assert.Equal("a", r.Resolve("b").SourceProfile);
            Assert.Equal("a", r.Resolve("b").IncludeProfile);
        }

        [Fact]
        public void MissingAndEmptyAreNull()
        {
            var p = Resolver("[profile a]\nduration_seconds =\nsession_tags =\nregion =\n").Resolve("a");
            Assert.Null(p.DurationSeconds);
            Assert.Null(p.SessionTags);
            Assert.Null(p.Region);
            Assert.Null(p.RoleArn);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("-5")]
        [InlineData("1h")]
        [InlineData("3600.5")]
        [InlineData("+60")]
        [InlineData("99999999999")]
        public void InvalidDurationNamesFileAndLine(string value)
        {
            var p = Resolver("[default]\nregion = x\n[profile a]\nregion = y\nduration_seconds = " + value + "\n").Resolve("a");
            var ex = Error(() => _ = p.DurationSeconds, "ConfigInvalidValue", ErrorCategory.InvalidData, 5);
            Assert.Contains("duration_seconds", ex.Message);
            Assert.Contains("[profile a]", ex.Message);
        }

        [Fact]
        public void InvalidDurationInheritedFromDefaultPointsAtDefault()
        {
            var p = Resolver("[default]\nduration_seconds = soon\n[profile a]\n").Resolve("a");
            var ex = Error(() => _ = p.DurationSeconds, "ConfigInvalidValue", ErrorCategory.InvalidData, 2);
            Assert.Contains("[default] (inherited by profile 'a')", ex.Message);
        }

        [Fact]
        public void SessionTagsParse()
        {
            var tags = Resolver("[profile a]\nsession_tags = team=ops, env = prod ,empty=,url=a=b,\n").Resolve("a").SessionTags;
            Assert.Equal(4, tags.Count);
            Assert.Equal("ops", tags["team"]);
            Assert.Equal("prod", tags["ENV"]);
            Assert.Equal("", tags["empty"]);
            Assert.Equal("a=b", tags["url"]);
        }

        [Theory]
        [InlineData("team")]
        [InlineData("team=ops,=x")]
        [InlineData("a=1,A=2")]
        public void MalformedSessionTags(string value)
        {
            var p = Resolver("[profile a]\n\nsession_tags = " + value + "\n").Resolve("a");
            var ex = Error(() => _ = p.SessionTags, "ConfigInvalidValue", ErrorCategory.InvalidData, 3);
            Assert.Contains("session_tags", ex.Message);
        }

        [Fact]
        public void MalformedSessionTagsDoNotEchoValues()
        {
            var p = Resolver("[profile a]\nsession_tags = ok=1,secretish-thing\n").Resolve("a");
            var ex = Assert.Throws<AwsVaultException>(() => p.SessionTags);
            Assert.DoesNotContain("secretish-thing", ex.Message);
            Assert.Contains("entry 2", ex.Message);
        }

        [Fact]
        public void TransitiveSessionTagsSplitOnCommas()
        {
            var keys = Resolver("[profile a]\ntransitive_session_tags = team, env,,project \n").Resolve("a").TransitiveSessionTags;
            Assert.Equal(new[] { "team", "env", "project" }, keys);
        }

        [Fact]
        public void SsoSessionSuppliesStartUrlAndRegion()
        {
            var r = Resolver(
                "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start#/\nsso_region = eu-central-1\n" +
                "[profile a]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n" +
                "[profile b]\nsso_session = corp\nsso_region = us-west-2\n");
            var a = r.Resolve("a");
            Assert.Equal("corp", a.SsoSession);
            Assert.Equal("https://corp.awsapps.com/start#/", a.SsoStartUrl);
            Assert.Equal("eu-central-1", a.SsoRegion);
            Assert.Equal("corp", a.SsoSessionSection.Name);
            // The profile's own value wins over the session's.
            Assert.Equal("us-west-2", r.Resolve("b").SsoRegion);
            Assert.Equal("https://corp.awsapps.com/start#/", r.Resolve("b").SsoStartUrl);
        }

        [Fact]
        public void SsoSessionIsLookedUpByExactName()
        {
            var p = Resolver("[sso-session Corp]\nsso_region = x\n[profile a]\nsso_session = corp\n").Resolve("a");
            Error(() => _ = p.SsoRegion, "ConfigSsoSessionNotFound", ErrorCategory.ObjectNotFound, 4);
        }

        [Fact]
        public void MissingSsoSessionSectionNamesFileAndLine()
        {
            var p = Resolver("[profile a]\nsso_account_id = 1\nsso_session = nope\n").Resolve("a");
            var ex = Error(() => _ = p.SsoStartUrl, "ConfigSsoSessionNotFound", ErrorCategory.ObjectNotFound, 3);
            Assert.Contains("[sso-session nope]", ex.Message);
            Error(() => _ = p.SsoSessionSection, "ConfigSsoSessionNotFound", ErrorCategory.ObjectNotFound, 3);
        }

        [Fact]
        public void GetValueCarriesLineForCallers()
        {
            var p = Resolver("[default]\n\nregion = d\n[profile a]\nrole_arn = r\n").Resolve("a");
            Assert.Equal(5, p.GetValue("ROLE_ARN").Line);
            Assert.Equal(3, p.GetValue("region").Line);
            Assert.Equal("r", p.Get("role_arn"));
            Assert.Null(p.GetValue("nothing"));
        }
    }
}
