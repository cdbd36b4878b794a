using System.Linq;
using System.Management.Automation;
using AwsVault.Config;
using Xunit;
using static AwsVault.Tests.Config.ConfigAssert;

namespace AwsVault.Tests.Config
{
    public class ProfileResolverTests
    {
        [Fact]
        public void OwnSectionBeatsDefault()
        {
            var p = Resolver("[default]\nregion = eu-west-1\nmfa_serial = arn:mfa/default\n[profile a]\nregion = us-east-1\n").Resolve("a");
            Assert.True(p.InConfig);
            Assert.Equal("a", p.ProfileName);
            Assert.Equal("us-east-1", p.Region);
            Assert.Equal("arn:mfa/default", p.MfaSerial);
            Assert.Equal(3, p.GetValue("mfa_serial").Line);
            Assert.Equal(SectionKind.Default, p.GetValue("mfa_serial").Section.Kind);
            Assert.Equal(FakePath, p.Path);
        }

        [Fact]
        public void IncludeBeatsDefaultAndReplacesTheJumpToDefaultUntilTheChainEnds()
        {
            var r = Resolver(
                "[default]\nregion = default-region\nmfa_serial = default-mfa\nexternal_id = default-ext\n" +
                "[profile base]\nregion = base-region\nmfa_serial = base-mfa\n" +
                "[profile mid]\ninclude_profile = base\nregion = mid-region\n" +
                "[profile top]\ninclude_profile = mid\nrole_arn = top-role\n");
            var p = r.Resolve("top");
            Assert.Equal("top-role", p.RoleArn);
            Assert.Equal("mid-region", p.Region);
            Assert.Equal("base-mfa", p.MfaSerial);
            // The end of the include chain (base) falls back to [default].
            Assert.Equal("default-ext", p.ExternalId);
            Assert.Equal("mid", p.IncludeProfile);
        }

        [Fact]
        public void IncludedProfileFallsBackToDefault()
        {
            var p = Resolver("[default]\nregion = d\n[profile base]\nmfa_serial = m\n[profile a]\ninclude_profile = base\n").Resolve("a");
            Assert.Equal("d", p.Region);
            Assert.Equal("m", p.MfaSerial);
        }

        [Fact]
        public void DefaultsOwnIncludeIsFollowed()
        {
            var p = Resolver("[default]\ninclude_profile = common\n[profile common]\nregion = c\n[profile a]\n").Resolve("a");
            Assert.Equal("c", p.Region);
        }

        [Fact]
        public void IncludeOfDefaultIsFine()
        {
            var p = Resolver("[default]\nregion = d\n[profile a]\ninclude_profile = default\n").Resolve("a");
            Assert.Equal("d", p.Region);
        }

        [Fact]
        public void EmptyValueDoesNotHideAFallback()
        {
            var p = Resolver("[default]\nregion = d\n[profile a]\nregion =\nmfa_serial =\n").Resolve("a");
            Assert.Equal("d", p.Region);
            Assert.Null(p.MfaSerial);
            Assert.Equal("", p.Get("mfa_serial"));
        }

        [Fact]
        public void ProfileAbsentFromConfigCarriesOnlyDefault()
        {
            var r = Resolver("[default]\nregion = d\n[profile other]\nrole_arn = x\n");
            var p = r.Resolve("vault-only");
            Assert.False(p.InConfig);
            Assert.Null(p.Section);
            Assert.Equal("vault-only", p.ProfileName);
            Assert.Equal("d", p.Region);
            Assert.Null(p.RoleArn);
            Assert.Single(p.Values);
        }

        [Fact]
        public void NoConfigAtAll()
        {
            var p = Resolver("").Resolve("default");
            Assert.False(p.InConfig);
            Assert.Empty(p.Values);
            Assert.Single(new ProfileResolver(Parse("")).ResolveSourceChain("x"));
        }

        [Fact]
        public void ResolveIsCachedPerName()
        {
            var r = Resolver("[profile a]\nregion = x\n");
            Assert.Same(r.Resolve("a"), r.Resolve("a"));
        }

        [Fact]
        public void SourceProfileEqualToSelfIsIgnored()
        {
            var r = Resolver("[profile x]\nsource_profile = x\nmfa_serial = m\n");
            var p = r.Resolve("x");
            Assert.Null(p.SourceProfile);
            Assert.Null(p.GetValue("source_profile"));
            Assert.Single(r.ResolveSourceChain("x"));
        }

        [Fact]
        public void SourceProfileInheritedFromDefaultIsIgnoredByItsOwnTarget()
        {
            var r = Resolver("[default]\nsource_profile = base\n[profile base]\n[profile a]\nrole_arn = r\n");
            Assert.Equal(new[] { "a", "base" }, r.ResolveSourceChain("a").Select(p => p.ProfileName));
            Assert.Null(r.Resolve("base").SourceProfile);
        }

        [Fact]
        public void SourceChainOfDepthFive()
        {
            var r = Resolver(
                "[default]\nregion = d\n" +
                "[profile p1]\nsource_profile = p2\nrole_arn = r1\n" +
                "[profile p2]\nsource_profile = p3\nrole_arn = r2\n" +
                "[profile p3]\nsource_profile = p4\nrole_arn = r3\n" +
                "[profile p4]\nsource_profile = p5\nrole_arn = r4\n" +
                "[profile p5]\nmfa_serial = m\n");
            var chain = r.ResolveSourceChain("p1");
            Assert.Equal(new[] { "p1", "p2", "p3", "p4", "p5" }, chain.Select(p => p.ProfileName));
            Assert.Equal(new[] { "r1", "r2", "r3", "r4", null }, chain.Select(p => p.RoleArn));
            Assert.All(chain, p => Assert.Equal("d", p.Region));
            Assert.Equal("m", chain[4].MfaSerial);
        }

        [Fact]
        public void SourceProfileFromInclude()
        {
            var r = Resolver("[profile common]\nsource_profile = keys\n[profile keys]\n[profile a]\ninclude_profile = common\nrole_arn = r\n");
            Assert.Equal(new[] { "a", "keys" }, r.ResolveSourceChain("a").Select(p => p.ProfileName));
        }

        [Fact]
        public void SourceProfileNotInConfig()
        {
            var r = Resolver("[profile a]\nregion = x\nsource_profile = missing\n");
            var ex = Error(() => r.ResolveSourceChain("a"), "ConfigSourceProfileNotFound", ErrorCategory.ObjectNotFound, 3);
            Assert.Contains("'missing'", ex.Message);
            Assert.Contains("[profile a]", ex.Message);
            Assert.Equal("a", ex.Target);
        }

        [Fact]
        public void SourceProfileNotFoundNamesInheritingSection()
        {
            var r = Resolver("[default]\nsource_profile = gone\n[profile a]\n");
            var ex = Error(() => r.ResolveSourceChain("a"), "ConfigSourceProfileNotFound", ErrorCategory.ObjectNotFound, 2);
            Assert.Contains("[default] (inherited by profile 'a')", ex.Message);
        }

        [Fact]
        public void SourceProfileOnlyInVaultIsAllowedWhenSaidSo()
        {
            var r = Resolver("[default]\nregion = d\n[profile a]\nsource_profile = vaulted\nrole_arn = r\n");
            var chain = r.ResolveSourceChain("a", name => name == "vaulted");
            Assert.Equal(new[] { "a", "vaulted" }, chain.Select(p => p.ProfileName));
            Assert.False(chain[1].InConfig);
            Assert.Equal("d", chain[1].Region);

            var ex = Error(() => r.ResolveSourceChain("a", name => false), "ConfigSourceProfileNotFound", ErrorCategory.ObjectNotFound, 4);
            Assert.Contains("no stored credentials", ex.Message);
        }

        [Fact]
        public void SourceLoopOfTwo()
        {
            var r = Resolver("[profile a]\nsource_profile = b\n[profile b]\nregion = x\nsource_profile = a\n");
            var ex = Error(() => r.ResolveSourceChain("a"), "ConfigProfileLoop", ErrorCategory.InvalidData, 5);
            Assert.Contains("Loop detected in config file for profile 'a'", ex.Message);
            Assert.Contains("a -> b -> a", ex.Message);
            Assert.Contains("[profile b]", ex.Message);
        }

        [Fact]
        public void SourceLoopOfThreeReachedFromOutside()
        {
            var r = Resolver(
                "[profile start]\nsource_profile = a\n" +
                "[profile a]\nsource_profile = b\n" +
                "[profile b]\nsource_profile = c\n" +
                "[profile c]\nsource_profile = a\n");
            var ex = Error(() => r.ResolveSourceChain("start"), "ConfigProfileLoop", ErrorCategory.InvalidData, 8);
            Assert.Contains("Loop detected in config file for profile 'a'", ex.Message);
            Assert.Contains(": a -> b -> c -> a.", ex.Message);
            Assert.DoesNotContain("start ->", ex.Message);
        }

        [Fact]
        public void IncludeLoopOfOne()
        {
            var r = Resolver("[default]\n[profile a]\nregion = x\ninclude_profile = a\n");
            var ex = Error(() => r.Resolve("a"), "ConfigProfileLoop", ErrorCategory.InvalidData, 4);
            Assert.Contains("Loop detected in config file for profile 'a'", ex.Message);
            Assert.Contains("a -> a", ex.Message);
            Assert.Contains("include_profile", ex.Message);
        }

        [Fact]
        public void IncludeLoopOfTwo()
        {
            var r = Resolver("[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = a\n");
            var ex = Error(() => r.Resolve("a"), "ConfigProfileLoop", ErrorCategory.InvalidData, 4);
            Assert.Contains("Loop detected in config file for profile 'a'", ex.Message);
            Assert.Contains("a -> b -> a", ex.Message);
        }

        [Fact]
        public void IncludeLoopOfThree()
        {
            var r = Resolver("[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = c\n[profile c]\n\ninclude_profile = a\n");
            var ex = Error(() => r.Resolve("b"), "ConfigProfileLoop", ErrorCategory.InvalidData, 2);
            Assert.Contains("Loop detected in config file for profile 'b'", ex.Message);
            Assert.Contains("b -> c -> a -> b", ex.Message);
        }

        [Fact]
        public void IncludeLoopThroughSourceChainSurfaces()
        {
            var r = Resolver("[profile a]\nsource_profile = b\n[profile b]\ninclude_profile = b\n");
            Error(() => r.ResolveSourceChain("a"), "ConfigProfileLoop", ErrorCategory.InvalidData, 4);
        }

        [Fact]
        public void ImplicitFallbackToAnAlreadyMergedDefaultIsNotALoop()
        {
            var r = Resolver("[default]\ninclude_profile = a\nregion = d\n[profile a]\nregion = x\nmfa_serial = m\n[profile b]\n");
            Assert.Equal("d", r.Resolve("default").Region);
            Assert.Equal("m", r.Resolve("default").MfaSerial);
            Assert.Equal("x", r.Resolve("a").Region);
            Assert.Equal("m", r.Resolve("b").MfaSerial);
        }

        [Fact]
        public void DefaultIncludingAProfileThatIncludesDefaultIsALoop()
        {
            var r = Resolver("[default]\ninclude_profile = a\n[profile a]\ninclude_profile = default\n");
            var ex = Error(() => r.Resolve("default"), "ConfigProfileLoop", ErrorCategory.InvalidData, 4);
            Assert.Contains("Loop detected in config file for profile 'default'", ex.Message);
            Assert.Contains("default -> a -> default", ex.Message);
            var fromA = Error(() => r.Resolve("a"), "ConfigProfileLoop", ErrorCategory.InvalidData, 2);
            Assert.Contains("a -> default -> a", fromA.Message);
            Assert.Contains("[default]", fromA.Message);
        }

        [Fact]
        public void IncludeProfileNotFound()
        {
            var r = Resolver("[default]\n[profile a]\nregion = x\ninclude_profile = nope\n");
            var ex = Error(() => r.Resolve("a"), "ConfigIncludeProfileNotFound", ErrorCategory.ObjectNotFound, 4);
            Assert.Contains("'nope'", ex.Message);
            Assert.Contains("[profile a]", ex.Message);
        }

        [Fact]
        public void RequireProfileAcceptsConfigOrVault()
        {
            var r = Resolver("[profile dev]\n");
            Assert.True(r.RequireProfile("dev").InConfig);
            Assert.False(r.RequireProfile("keys", n => n == "keys").InConfig);
        }

        [Fact]
        public void RequireProfileSuggestsCloseNames()
        {
            var r = Resolver("[profile production]\n[profile dev]\n[profile Staging]\n");
            var ex = Assert.Throws<AwsVaultException>(() => r.RequireProfile("prodcution", n => false));
            Assert.Equal("ProfileNotFound", ex.ErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, ex.Category);
            Assert.Contains(FakePath, ex.Message);
            Assert.Contains("'prodcution'", ex.Message);
            Assert.Contains("Did you mean 'production'?", ex.Message);

            var caseOnly = Assert.Throws<AwsVaultException>(() => r.RequireProfile("staging"));
            Assert.Contains("Did you mean 'Staging'?", caseOnly.Message);

            var far = Assert.Throws<AwsVaultException>(() => r.RequireProfile("zzzzzz"));
            Assert.DoesNotContain("Did you mean", far.Message);
        }
    }
}
