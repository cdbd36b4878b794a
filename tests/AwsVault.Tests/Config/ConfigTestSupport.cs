using System;
using System.IO;
using System.Management.Automation;
using AwsVault.Config;
using Xunit;

namespace AwsVault.Tests.Config
{
    /// <summary>A private temp folder per test, deleted on Dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Root = Path.Combine(Path.GetTempPath(), "awsvault-config-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Root);
        }

        public string Root { get; }

        public string File(string name) => Path.Combine(Root, name);

        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    internal static class ConfigAssert
    {
        public const string FakePath = "/home/tester/.aws/config";

        public static ConfigFile Parse(string text) => ConfigFile.Parse(text, FakePath);

        public static ProfileResolver Resolver(string text) => new ProfileResolver(Parse(text));

        /// <summary>Checks id, category, and that the message starts with "PATH line N: ".</summary>
        public static AwsVaultException Error(Action action, string errorId, ErrorCategory category, int line, string path = FakePath)
        {
            var ex = Assert.Throws<AwsVaultException>(action);
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(category, ex.Category);
            Assert.StartsWith(path + " line " + line + ": ", ex.Message);
            return ex;
        }

        public static AwsVaultException ParseError(string text, int line) =>
            Error(() => Parse(text), "ConfigSyntaxError", ErrorCategory.ParserError, line);
    }
}
