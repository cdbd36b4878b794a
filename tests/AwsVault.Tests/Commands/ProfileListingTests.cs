using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sessions;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Commands
{
    /// <summary>What a new user saw listing, removing and clearing profiles, and the views at a normal console width.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class ProfileListingTests
    {
        [Fact]
        public void AMissingNameIsOneNonTerminatingErrorAndTheOthersAreListed()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();

            var named = ps.Run("Get-AwsVaultProfile nosuch, dev | ForEach-Object ProfileName");
            Assert.Equal(new[] { "dev" }, named.Output.Select(o => o.ToString()).ToArray());
            var error = Assert.Single(named.Errors);
            Assert.StartsWith("ProfileNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

            var piped = ps.Run("'nosuch', 'dev' | Get-AwsVaultProfile | ForEach-Object ProfileName");
            Assert.Equal(new[] { "dev" }, piped.Output.Select(o => o.ToString()).ToArray());
            Assert.Single(piped.Errors);

            var silenced = ps.Run("Get-AwsVaultProfile nosuch, dev -ErrorAction SilentlyContinue | ForEach-Object ProfileName");
            Assert.Equal(new[] { "dev" }, silenced.Output.Select(o => o.ToString()).ToArray());
            Assert.Empty(silenced.Errors);
        }

        [Fact]
        public void AMistypedNameGetsASuggestion()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            ps.Run(AddScript("dev")).ThrowIfErrors();

            var remove = ps.RunCatching("Remove-AwsVaultProfile deev -Force");
            AssertError(remove, "ProfileKeyNotFound", ErrorCategory.ObjectNotFound);
            Assert.Contains("Did you mean 'dev'?", remove.Terminating.Exception.Message);

            var get = ps.Run("Get-AwsVaultProfile deev");
            Assert.Contains("Did you mean 'dev'?", Assert.Single(get.Errors).Exception.Message);
        }

        [Fact]
        public void ClearingAnUnknownProfileIsAnErrorNotZero()
        {
            using var f = new SessionFixture();
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();

            var r = f.Ps.Run("Clear-AwsVaultSession bobb, bob");
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("ProfileNotFound,", error.FullyQualifiedErrorId);
            Assert.Contains("Did you mean 'bob'?", error.Exception.Message);
            var cleared = (ClearedSessions)r.Output.Single().BaseObject;
            Assert.Equal(1, cleared.Count);
            Assert.Equal(new[] { "bob" }, cleared.ProfileName);

            // Wildcards that match nothing are not errors, as with Get-Item.
            var wild = f.Ps.Run("Clear-AwsVaultSession 'zz*'").ThrowIfErrors();
            Assert.Equal(0, ((ClearedSessions)wild.Output.Single().BaseObject).Count);
        }

        [Fact]
        public void ClearSaysHowManyAsTheHelpShows()
        {
            using var f = new SessionFixture();
            f.Ps.Run("Get-AwsVaultSession bob").ThrowIfErrors();
            var r = f.Ps.Run("Clear-AwsVaultSession | Out-String").ThrowIfErrors();
            Assert.Equal("Cleared 1 session.", r.Output.Single().ToString().Trim());
        }

        [Fact]
        public void TheProfileTableFitsEightyColumnsAndNamesTheVault()
        {
            using var f = new SessionFixture();
            f.Ps.Run("Get-AwsVaultSession alice -MfaToken " + f.Code() + "; Get-AwsVaultSession readonly").ThrowIfErrors();
            string table = f.Ps.Run("Get-AwsVaultProfile | Out-String -Width 80").ThrowIfErrors().Output.Single().ToString();

            Assert.Contains("Vault: file vault '" + f.Env.VaultDirectory + "'", table);
            string header = table.Split('\n').First(l => l.StartsWith("ProfileName"));
            foreach (string column in new[] { "Credentials", "Region", "Sessions" }) Assert.Contains(column, header);
            Assert.All(table.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 80, "wider than 80 columns: " + l));
            string alice = table.Split('\n').First(l => l.StartsWith("alice "));
            Assert.Contains("eu-west-1", alice);
            Assert.Contains("GetSessionToken+MFA", alice);
        }

        [Fact]
        public void SessionListsNameTheHopAndTimesSayUtc()
        {
            using var f = new SessionFixture();
            f.Ps.Run("Get-AwsVaultSession admin -MfaToken " + f.Code()).ThrowIfErrors();

            var hops = f.Ps.Run("(Get-AwsVaultProfile alice).Sessions | ForEach-Object Hop").ThrowIfErrors();
            Assert.Equal(new[] { "GetSessionToken(alice, MFA)" }, hops.Output.Select(o => o.ToString()).ToArray());
            string list = f.Ps.Run("Get-AwsVaultProfile alice | Format-List | Out-String").ThrowIfErrors().Output.Single().ToString();
            Assert.Matches(new Regex(@"Sessions\s*:\s*GetSessionToken\(alice, MFA\) \d+h\d+m"), list);

            string session = f.Ps.Run("Get-AwsVaultSession bob | Format-List | Out-String").ThrowIfErrors().Output.Single().ToString();
            Assert.Matches(new Regex(@"Expiration \(UTC\)\s*:\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ"), session);
        }
    }
}
