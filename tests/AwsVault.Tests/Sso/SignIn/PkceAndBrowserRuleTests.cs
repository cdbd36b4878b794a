using System;
using System.Collections.Generic;
using System.Linq;
using AwsVault.Sso;
using Xunit;

namespace AwsVault.Tests.Sso.SignIn
{
    public class PkceAndBrowserRuleTests
    {
        [Fact]
        public void TheChallengeIsRfc7636S256()
        {
            // RFC 7636 appendix B.
            Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.ChallengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        }

        [Fact]
        public void EachVerifierAndStateIsFreshAndUrlSafe()
        {
            var all = Enumerable.Range(0, 20).Select(_ => Pkce.Create()).ToList();
            Assert.All(all, p => Assert.Matches("^[A-Za-z0-9_-]{43}$", p.Verifier));
            Assert.All(all, p => Assert.Matches("^[A-Za-z0-9_-]{22}$", p.State));
            Assert.Equal(20, all.Select(p => p.Verifier).Distinct().Count());
            Assert.Equal(20, all.Select(p => p.State).Distinct().Count());
            Assert.DoesNotContain(all[0].Verifier, all[0].ToString());
        }

        [Theory]
        [InlineData("BROWSER=none", false, false, "BROWSER is 'none'")]
        [InlineData("BROWSER=none;DISPLAY=:0", true, false, "BROWSER is 'none'")]
        [InlineData("SSH_CONNECTION=1.2.3.4 5 6.7.8.9 22", false, true, "this is an SSH session without a display")]
        [InlineData("SSH_TTY=/dev/pts/1", true, false, "this is an SSH session without a display")]
        [InlineData("SSH_CONNECTION=1.2.3.4 5 6.7.8.9 22;DISPLAY=localhost:10.0", false, false, null)]
        [InlineData("BROWSER=/usr/bin/w3m", false, false, null)]
        [InlineData("BROWSER=/usr/local/bin/forward-url;SSH_TTY=/dev/pts/1", false, false, null)]
        [InlineData("", true, false, null)]
        [InlineData("", false, true, null)]
        [InlineData("", false, false, "neither DISPLAY nor WAYLAND_DISPLAY is set")]
        [InlineData("WAYLAND_DISPLAY=wayland-0", false, false, null)]
        [InlineData("DISPLAY=:0", false, false, null)]
        public void WhenABrowserCanOpen(string env, bool windows, bool macOS, string expected)
        {
            var vars = env.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            Assert.Equal(expected, SystemBrowser.WhyCannotOpen(n => vars.TryGetValue(n, out var v) ? v : null, windows, macOS));
        }
    }
}
