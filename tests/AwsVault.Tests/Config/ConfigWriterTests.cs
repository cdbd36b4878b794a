using System.IO;
using System.Linq;
using System.Text;
using AwsVault.Config;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.Config
{
    // The writer takes a lock file in the user runtime folder, which $XDG_RUNTIME_DIR / $TMPDIR locate.
    [Collection(ProcessEnvironment.Name)]
    public class ConfigWriterTests
    {
        [Fact]
        public void CreatesDirectoryAndFile()
        {
            using var dir = new TempFolder();
            string path = Path.Combine(dir.Root, "home", ".aws", "config");
            ConfigWriter.AppendProfile(path, "dev");
            Assert.Equal("[profile dev]\n", File.ReadAllText(path));
            Assert.NotNull(ConfigFile.Load(path).GetProfile("dev"));
        }

        [Fact]
        public void DefaultIsWrittenAsDefaultSection()
        {
            using var dir = new TempFolder();
            string path = dir.File("config");
            ConfigWriter.AppendProfile(path, "default");
            Assert.Equal("[default]\n", File.ReadAllText(path));
        }

        [Theory]
        [InlineData("", "[profile n]\n")]
        [InlineData("[default]\nregion = x", "[default]\nregion = x\n\n[profile n]\n")]
        [InlineData("[default]\nregion = x\n", "[default]\nregion = x\n\n[profile n]\n")]
        [InlineData("[default]\nregion = x\n\n", "[default]\nregion = x\n\n[profile n]\n")]
        [InlineData("[default]\nregion = x\n  \t\n", "[default]\nregion = x\n  \t\n[profile n]\n")]
        [InlineData("\n", "\n[profile n]\n")]
        [InlineData("# c\r\n[default]\r\nregion = x\r\n", "# c\r\n[default]\r\nregion = x\r\n\r\n[profile n]\r\n")]
        [InlineData("[default]\r\n\r\n", "[default]\r\n\r\n[profile n]\r\n")]
        [InlineData("[default]\r\nregion = x", "[default]\r\nregion = x\r\n\r\n[profile n]\r\n")]
        public void AppendsWithOneBlankLineBefore(string before, string after)
        {
            using var dir = new TempFolder();
            string path = dir.File("config");
            File.WriteAllText(path, before);
            ConfigWriter.AppendProfile(path, "n");
            Assert.Equal(after, File.ReadAllText(path));
        }

        [Fact]
        public void PreservesExistingBytesExactly()
        {
            using var dir = new TempFolder();
            string path = dir.File("config");
            byte[] original = new UTF8Encoding(true).GetPreamble()
                .Concat(Encoding.UTF8.GetBytes("# café ☕\r\n[profile a]\nregion = x   \t\n; odd  spacing ;\n"))
                .ToArray();
            File.WriteAllBytes(path, original);

            ConfigWriter.AppendProfile(path, "b");

            byte[] now = File.ReadAllBytes(path);
            Assert.Equal(original, now.Take(original.Length).ToArray());
            Assert.Equal("\r\n[profile b]\r\n", Encoding.UTF8.GetString(now, original.Length, now.Length - original.Length));
            var file = ConfigFile.Load(path);
            Assert.Equal(new[] { "a", "b" }, file.ProfileNames);
        }

        [Fact]
        public void BomOnlyFileCountsAsEmpty()
        {
            using var dir = new TempFolder();
            string path = dir.File("config");
            File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF });
            ConfigWriter.AppendProfile(path, "n");
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("[profile n]\n")), File.ReadAllBytes(path));
        }

        [Fact]
        public void AppendedNamesRoundTrip()
        {
            using var dir = new TempFolder();
            string path = dir.File("config");
            string[] names = { "a b", "x#y", "team/dev", "ünï", "p;q", "default" };
            foreach (string n in names) ConfigWriter.AppendProfile(path, n);
            Assert.Equal(new[] { "a b", "x#y", "team/dev", "ünï", "p;q", "default" }, ConfigFile.Load(path).ProfileNames);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(" dev")]
        [InlineData("dev ")]
        [InlineData("de[v")]
        [InlineData("de]v")]
        [InlineData("a\nb")]
        [InlineData("a\rb")]
        [InlineData("a #b")]
        [InlineData("a ;b")]
        public void InvalidNamesAreRefusedAndNothingIsWritten(string name)
        {
            Assert.False(ConfigWriter.IsValidProfileName(name));
            using var dir = new TempFolder();
            string path = dir.File("config");
            var ex = Assert.Throws<AwsVaultException>(() => ConfigWriter.AppendProfile(path, name));
            Assert.Equal("InvalidProfileName", ex.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, ex.Category);
            Assert.False(File.Exists(path));
        }

        [Theory]
        [InlineData("dev")]
        [InlineData("a b")]
        [InlineData("x#y")]
        [InlineData("default")]
        public void ValidNames(string name) => Assert.True(ConfigWriter.IsValidProfileName(name));

        [Fact]
        public void UnwritableLocationIsAWriteError()
        {
            using var dir = new TempFolder();
            string blocker = dir.File("not-a-dir");
            File.WriteAllText(blocker, "x");
            string path = Path.Combine(blocker, "config");
            var ex = Assert.Throws<AwsVaultException>(() => ConfigWriter.AppendProfile(path, "dev"));
            Assert.Equal("ConfigWriteError", ex.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.WriteError, ex.Category);
            Assert.Contains(path, ex.Message);
            Assert.Equal("x", File.ReadAllText(blocker));
        }
    }
}
