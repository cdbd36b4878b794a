using AwsVault.Config;
using Xunit;
using static AwsVault.Tests.Config.ConfigAssert;

namespace AwsVault.Tests.Config
{
    public class ConfigFileErrorTests
    {
        [Fact]
        public void KeyBeforeAnySection()
        {
            var ex = ParseError("# comment\n\nregion = us-east-1\n[default]\n", 3);
            Assert.Contains("'region'", ex.Message);
            Assert.Contains("before any section header", ex.Message);
            Assert.Contains("[profile NAME]", ex.Message);
        }

        [Fact]
        public void IndentedKeyBeforeAnySection() => ParseError("  region = x\n", 1);

        [Fact]
        public void LineWithoutEqualsDoesNotEchoTheLine()
        {
            var ex = ParseError("[profile a]\nregion = x\naws_secret_access_key wJalrXUtnFEMI\n", 3);
            Assert.DoesNotContain("wJalrXUtnFEMI", ex.Message);
            Assert.Contains("'='", ex.Message);
        }

        [Fact]
        public void EmptyKey()
        {
            var ex = ParseError("[profile a]\n = value\n", 2);
            Assert.Contains("no name", ex.Message);
        }

        [Theory]
        [InlineData("[default]\n[profile a\nregion = x\n", 2)]
        [InlineData("[profile a]\n[\n", 2)]
        [InlineData("[profile a] trailing\n", 1)]
        [InlineData("[profile a]# not a comment without space\n", 1)]
        public void UnclosedHeader(string text, int line)
        {
            var ex = ParseError(text, line);
            Assert.Contains("not closed", ex.Message);
        }

        [Theory]
        [InlineData("[]\n", 1)]
        [InlineData("[default]\n[ ]\n", 2)]
        [InlineData("[default]\nregion = x\n[profile ]\n", 3)]
        [InlineData("[profile]\n", 1)]
        [InlineData("[sso-session   ]\n", 1)]
        public void EmptySectionName(string text, int line)
        {
            var ex = ParseError(text, line);
            Assert.Contains("no name", ex.Message);
        }

        [Fact]
        public void BracketInsideSectionName()
        {
            var ex = ParseError("[profile a[b]\n", 1);
            Assert.Contains("'['", ex.Message);
        }

        [Fact]
        public void NestedLineWithoutEquals()
        {
            var ex = ParseError("[profile a]\ns3 =\n  k = v\n  dangling\n", 4);
            Assert.Contains("'s3'", ex.Message);
        }

        [Fact]
        public void NestedLineWithoutName() => ParseError("[profile a]\ns3 =\n  = v\n", 3);

        [Fact]
        public void LineNumbersCountCrlfBlankAndCommentLines()
        {
            ParseError("\uFEFF# c\r\n\r\n[profile a]\r\n; c\r\nregion = x\r\nbad line\r\n", 6);
        }

        [Fact]
        public void ParseWithoutPathStillSaysWhere()
        {
            var ex = Assert.Throws<AwsVaultException>(() => ConfigFile.Parse("oops\n", null));
            Assert.Contains("line 1: ", ex.Message);
        }
    }
}
