using System.IO;
using System.Linq;
using System.Text;
using AwsVault.Config;
using Xunit;
using static AwsVault.Tests.Config.ConfigAssert;

namespace AwsVault.Tests.Config
{
    public class ConfigFileParseTests
    {
        [Fact]
        public void SectionsKeepFileOrderKindNameAndLine()
        {
            var file = Parse("[default]\nregion = eu-west-1\n\n[profile dev]\nrole_arn = arn:aws:iam::1:role/r\n[sso-session corp]\nsso_region = us-east-1\n[services svc]\n[dev]\n");

            Assert.Equal(FakePath, file.Path);
            Assert.Equal(new[] { SectionKind.Default, SectionKind.Profile, SectionKind.SsoSession, SectionKind.Other, SectionKind.Other },
                file.Sections.Select(s => s.Kind));
            Assert.Equal(new[] { "default", "dev", "corp", "services svc", "dev" }, file.Sections.Select(s => s.Name));
            Assert.Equal(new[] { 1, 4, 6, 8, 9 }, file.Sections.Select(s => s.Line));
            Assert.Equal(new[] { "default", "dev" }, file.ProfileNames);
        }

        [Fact]
        public void OtherSectionsAreNotProfiles()
        {
            var file = Parse("[dev]\nregion = a\n[services dev]\nregion = b\n[PROFILE dev]\nregion = c\n");
            Assert.Null(file.GetProfile("dev"));
            Assert.Empty(file.ProfileNames);
            Assert.Equal("a", file.Sections[0].Get("region"));
            Assert.Equal("PROFILE dev", file.Sections[2].Name);
        }

        [Fact]
        public void NamesAreTrimmedAndCaseSensitive()
        {
            var file = Parse("[profile  dev ]\nregion = a\n[ profile Dev]\nregion = b\n[profile\tx y]\nregion = c\n[sso-session  s1 ]\n");
            Assert.Equal("a", file.GetProfile("dev").Get("region"));
            Assert.Equal("b", file.GetProfile("Dev").Get("region"));
            Assert.Equal("c", file.GetProfile("x y").Get("region"));
            Assert.NotNull(file.GetSsoSession("s1"));
            Assert.Null(file.GetProfile("DEV"));
            Assert.Null(file.GetProfile("s1"));
            Assert.Null(file.GetSsoSession("dev"));
        }

        [Fact]
        public void DefaultMapsToEitherSpellingAndTheyMerge()
        {
            Assert.Equal("a", Parse("[default]\nregion = a\n").GetProfile("default").Get("region"));
            Assert.Equal("b", Parse("[profile default]\nregion = b\n").GetProfile("default").Get("region"));

            var both = Parse("[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n");
            var section = both.GetProfile("default");
            Assert.Equal("b", section.Get("region"));
            Assert.Equal("json", section.Get("output"));
            Assert.Single(both.ProfileNames);
            Assert.Single(both.Sections);
        }

        [Fact]
        public void KeysIgnoreCaseAndKeepTheirSpelling()
        {
            var s = Parse("[profile a]\nRegion=us-east-1\nROLE_ARN =  arn:x  \n").GetProfile("a");
            Assert.Equal("us-east-1", s.Get("region"));
            Assert.Equal("us-east-1", s.Get("REGION"));
            Assert.Equal("arn:x", s.Get("role_arn"));
            Assert.Equal("Region", s.GetValue("region").Key);
            Assert.Equal(3, s.GetValue("role_arn").Line);
            Assert.Same(s, s.GetValue("role_arn").Section);
            Assert.Null(s.Get("missing"));
        }

        [Fact]
        public void EmptyValueIsAllowedAndValueMayContainEquals()
        {
            var s = Parse("[profile a]\nmfa_serial =\nsession_tags = a=1,b=2\nx=\n").GetProfile("a");
            Assert.Equal("", s.Get("mfa_serial"));
            Assert.Equal("", s.Get("x"));
            Assert.Equal("a=1,b=2", s.Get("session_tags"));
        }

        [Fact]
        public void FullLineCommentsAndBlankLinesAreSkipped()
        {
            var file = Parse("# top\n; also\n\n[profile a]\n   # indented comment\n\t; tab comment\n\nregion = x\n");
            var s = file.GetProfile("a");
            Assert.Single(s.Values);
            Assert.Equal(8, s.GetValue("region").Line);
        }

        [Fact]
        public void InlineCommentsNeedWhitespaceBefore()
        {
            var s = Parse(
                "[profile a] # header comment\n" +
                "endpoint_url = https://example.com/path#frag\n" +
                "credential_process = run a;b\n" +
                "region = us-east-1 # the region\n" +
                "role_arn = arn:x\t; tab comment\n" +
                "mfa_serial = # nothing here\n" +
                "sso_start_url = https://x/#/start ;trailing\n").GetProfile("a");

            Assert.Equal("https://example.com/path#frag", s.Get("endpoint_url"));
            Assert.Equal("run a;b", s.Get("credential_process"));
            Assert.Equal("us-east-1", s.Get("region"));
            Assert.Equal("arn:x", s.Get("role_arn"));
            Assert.Equal("", s.Get("mfa_serial"));
            Assert.Equal("https://x/#/start", s.Get("sso_start_url"));
        }

        [Fact]
        public void DuplicateKeyLaterWins()
        {
            var s = Parse("[profile a]\nregion = one\nREGION = two\n").GetProfile("a");
            Assert.Equal("two", s.Get("region"));
            Assert.Equal(3, s.GetValue("region").Line);
        }

        [Fact]
        public void RepeatedHeaderMergesIntoFirst()
        {
            var file = Parse("[profile a]\nregion = one\nrole_arn = r\n[profile b]\n[profile a]\nregion = two\nmfa_serial = m\n");
            var a = file.GetProfile("a");
            Assert.Equal(1, a.Line);
            Assert.Equal("two", a.Get("region"));
            Assert.Equal("r", a.Get("role_arn"));
            Assert.Equal("m", a.Get("mfa_serial"));
            Assert.Equal(new[] { "a", "b" }, file.ProfileNames);
            Assert.Equal(2, file.Sections.Count);
        }

        [Fact]
        public void NestedSettingsAreStoredAsParentDotSub()
        {
            var s = Parse("[profile a]\ns3 =\n  max_concurrent_requests = 20\n  # comment inside\n\n  addressing_style=path\nregion = x\n").GetProfile("a");
            Assert.Equal("20", s.Get("s3.max_concurrent_requests"));
            Assert.Equal("path", s.Get("S3.Addressing_Style"));
            Assert.Equal(6, s.GetValue("s3.addressing_style").Line);
            Assert.Equal("", s.Get("s3"));
            Assert.Equal("x", s.Get("region"));
            Assert.Null(s.Get("max_concurrent_requests"));
        }

        [Fact]
        public void DeeperIndentedLinesContinueTheValue()
        {
            var s = Parse("[profile a]\ncredential_process = tool\n    --flag a=b\n    --other\nregion = x\n").GetProfile("a");
            Assert.Equal("tool\n--flag a=b\n--other", s.Get("credential_process"));
            Assert.Equal(2, s.GetValue("credential_process").Line);
            Assert.Equal("x", s.Get("region"));
        }

        [Fact]
        public void EmptyValueFollowedByTextWithoutEqualsIsAContinuation()
        {
            var s = Parse("[profile a]\nnote =\n  first line\n  second=line\n").GetProfile("a");
            Assert.Equal("first line\nsecond=line", s.Get("note"));
            Assert.Null(s.Get("note.second"));
        }

        [Fact]
        public void KeysIndentedAlikeAreSeparateKeys()
        {
            var s = Parse("[profile a]\n  region = x\n  output = json\n\tmfa_serial = m\n").GetProfile("a");
            Assert.Equal("x", s.Get("region"));
            Assert.Equal("json", s.Get("output"));
            Assert.Equal("m", s.Get("mfa_serial"));
        }

        [Fact]
        public void HeaderEndsContinuation()
        {
            var file = Parse("[profile a]\nregion = x\n  more\n[profile b]\nregion = y\n");
            Assert.Equal("x\nmore", file.GetProfile("a").Get("region"));
            Assert.Equal("y", file.GetProfile("b").Get("region"));
        }

        [Fact]
        public void CrlfAndBomAreAccepted()
        {
            var file = Parse("\uFEFF[profile a]\r\nregion = x\r\n\r\n[profile b]\r\ns3 =\r\n  k = v\r\nrole_arn = r # c\r\n");
            Assert.Equal("x", file.GetProfile("a").Get("region"));
            Assert.Equal("v", file.GetProfile("b").Get("s3.k"));
            Assert.Equal("r", file.GetProfile("b").Get("role_arn"));
            Assert.Equal(7, file.GetProfile("b").GetValue("role_arn").Line);
        }

        [Fact]
        public void LoneCarriageReturnsEndLines()
        {
            var file = Parse("[profile a]\rregion = x\r");
            Assert.Equal("x", file.GetProfile("a").Get("region"));
        }

        [Fact]
        public void EmptyTextIsAnEmptyConfig()
        {
            Assert.Empty(Parse("").Sections);
            Assert.Empty(Parse("\uFEFF").Sections);
            Assert.Empty(Parse("\n# only a comment\n  \n").Sections);
            Assert.Null(Parse("").GetProfile("default"));
        }

        [Fact]
        public void LoadReadsFileWithBomAndCrlf()
        {
            using var dir = new TempFolder();
            string path = dir.File("config");
            File.WriteAllBytes(path, new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes("[default]\r\nregion = eu-west-2\r\n[profile é]\r\nregion = x\r\n")).ToArray());

            var file = ConfigFile.Load(path);
            Assert.Equal(path, file.Path);
            Assert.Equal("eu-west-2", file.GetProfile("default").Get("region"));
            Assert.Equal("x", file.GetProfile("é").Get("region"));
        }

        [Fact]
        public void LoadOfMissingFileIsEmptyConfig()
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Root, "nope", "config");
            var file = ConfigFile.Load(path);
            Assert.Equal(path, file.Path);
            Assert.Empty(file.Sections);
            Assert.Empty(file.ProfileNames);
        }

        [Fact]
        public void LoadErrorsNameTheRealPath()
        {
            using var dir = new TempFolder();
            string path = dir.File("config");
            File.WriteAllText(path, "[profile a]\nregion = x\noops\n");
            Error(() => ConfigFile.Load(path), "ConfigSyntaxError", System.Management.Automation.ErrorCategory.ParserError, 3, path);
        }

        [Fact]
        public void LoadOfADirectoryIsAReadError()
        {
            using var dir = new TempFolder();
            var ex = Assert.Throws<AwsVaultException>(() => ConfigFile.Load(dir.Root));
            Assert.Equal("ConfigReadError", ex.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ReadError, ex.Category);
            Assert.Contains(dir.Root, ex.Message);
        }

        [Fact]
        public void ProfileNamesAreDistinctInFileOrder()
        {
            var file = Parse("[profile b]\n[default]\n[profile a]\n[profile b]\n[sso-session b]\n[x]\n[profile default]\n");
            Assert.Equal(new[] { "b", "default", "a" }, file.ProfileNames);
        }

        [Fact]
        public void HeadersAndValueTextForMessagesLeaveValuesOut()
        {
            var file = Parse("[default]\n[profile dev]\ncredential_process = secret-ish --token abc\n[sso-session s]\n[services x]\n");
            Assert.Equal(new[] { "[default]", "[profile dev]", "[sso-session s]", "[services x]" }, file.Sections.Select(s => s.Header));
            var v = file.GetProfile("dev").GetValue("credential_process");
            Assert.Equal("credential_process (line 3)", v.ToString());
        }
    }
}
