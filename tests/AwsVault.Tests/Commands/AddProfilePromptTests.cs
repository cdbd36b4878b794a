using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using AwsVault.Tests.Harness;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;

namespace AwsVault.Tests.Commands
{
    /// <summary>Add-AwsVaultProfile as a person at a console meets it: what-if, confirmation, the first passphrase.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class AddProfilePromptTests
    {
        [Fact]
        public void WhatIfAsksForNothingAndNamesTheConfigAppend()
        {
            using var env = new TestEnvironment();
            var host = new ScriptedHost();
            using var ps = new PowerShellSession(host);
            ps.Run("Add-AwsVaultProfile dev -WhatIf").ThrowIfErrors();

            Assert.Empty(host.ScriptedUI.Prompts);
            string said = host.ScriptedUI.Transcript.ToString();
            Assert.Contains("profile 'dev'", said);
            Assert.Contains("append a [profile dev] section to " + env.ConfigFile, said);
            Assert.False(File.Exists(env.ConfigFile) && File.ReadAllText(env.ConfigFile).Contains("[profile dev]"));
            Assert.False(Directory.Exists(env.VaultDirectory) && Directory.GetFiles(env.VaultDirectory).Length > 0);
        }

        [Fact]
        public void VerboseSaysWhichVaultAndWhy()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var r = ps.Run(AddScript("dev", extra: "-Verbose")).ThrowIfErrors();
            Assert.Contains(r.Verbose, v => v.StartsWith("Stored access key " + KeyId + " for profile 'dev' in the file vault at '" + env.VaultDirectory + "' ($env:AWS_VAULT_BACKEND)"));
        }

        [Fact]
        public void ANewFileVaultAsksForThePassphraseTwice()
        {
            using var env = new TestEnvironment(setPassphrase: false);
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue("first passphrase");
            host.ScriptedUI.Answers.Enqueue("first passphrase");
            using var ps = new PowerShellSession(host);
            ps.Run(AddScript("dev")).ThrowIfErrors();
            Assert.Equal(2, host.ScriptedUI.SecureReads);
            Assert.Contains("Enter the same passphrase again", host.ScriptedUI.Transcript.ToString());

            // The vault exists now: the next add in the same session asks nothing, a new session asks once.
            ps.Run(AddScript("other", "AKIAI44QH8DHBEXAMPLE")).ThrowIfErrors();
            Assert.Equal(2, host.ScriptedUI.SecureReads);
        }

        [Fact]
        public void TwoDifferentPassphrasesForANewVaultStoreNothing()
        {
            using var env = new TestEnvironment(setPassphrase: false);
            var host = new ScriptedHost();
            host.ScriptedUI.Answers.Enqueue("first passphrase");
            host.ScriptedUI.Answers.Enqueue("frist passphrase");
            using var ps = new PowerShellSession(host);
            var r = ps.RunCatching(AddScript("dev"));
            AssertError(r, "VaultPassphraseMismatch", ErrorCategory.InvalidArgument);
            Assert.DoesNotContain("first passphrase", r.Terminating.Exception.Message);
            Assert.DoesNotContain("frist passphrase", r.Terminating.Exception.Message);
            Assert.False(Directory.Exists(env.VaultDirectory) && Directory.GetFiles(env.VaultDirectory).Length > 0);
        }

        [Fact]
        public void NonInteractiveReasonsDoNotNestParentheses()
        {
            using var env = new TestEnvironment();
            env.Set("CI", "true");
            using var ps = new PowerShellSession(new ScriptedHost());
            ps.Run(AddScript("dev")).ThrowIfErrors();
            var r = ps.RunCatching(AddScript("dev", "AKIAI44QH8DHBEXAMPLE"));
            AssertError(r, "ProfileKeyExists", ErrorCategory.ResourceExists);
            Assert.Contains("CI is set to 'true'", r.Terminating.Exception.Message);
            Assert.DoesNotMatch(new Regex(@"\([^()]*\("), r.Terminating.Exception.Message);
        }
    }
}
