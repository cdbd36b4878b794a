using System;
using System.Collections.Generic;
using System.Text;
using AwsVault.Tests.Sts;
using Xunit;

namespace AwsVault.Tests.StsEmulator
{
    public class TotpTests
    {
        // RFC 6238 appendix B, SHA-1 column: the seed is the ASCII string "12345678901234567890".
        [Theory]
        [InlineData(59L, "94287082")]
        [InlineData(1111111109L, "07081804")]
        [InlineData(1111111111L, "14050471")]
        [InlineData(1234567890L, "89005924")]
        [InlineData(2000000000L, "69279037")]
        [InlineData(20000000000L, "65353130")]
        public void MatchesRfc6238Sha1Vectors(long unixSeconds, string expected)
        {
            string secret = Base32.Encode(Encoding.ASCII.GetBytes("12345678901234567890"));
            Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", secret);
            var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

            Assert.Equal(expected, Totp.Generate(secret, time, 8));
            // Six digits are the same truncation taken modulo 10^6.
            Assert.Equal(expected.Substring(2), Totp.Generate(secret, time));
        }

        [Fact]
        public void MatchesOathtoolAtFixedTimes()
        {
            using var child = new ChildProcess();
            var secrets = new List<string> { "JBSWY3DPEHPK3PXP", Totp.NewSecret(), Totp.NewSecret(40) };
            var times = new[]
            {
                DateTimeOffset.FromUnixTimeSeconds(0),
                DateTimeOffset.FromUnixTimeSeconds(1234567890),
                new DateTimeOffset(2026, 11, 23, 13, 59, 59, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero),
            };
            foreach (string secret in secrets)
            {
                foreach (var time in times)
                {
                    var (exit, stdout, stderr) = child.Run(ChildProcess.OathTool,
                        new[] { "--totp", "-b", "--now", time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC", secret },
                        new Dictionary<string, string>());
                    Assert.True(exit == 0, stderr);
                    Assert.Equal(stdout.Trim(), Totp.Generate(secret, time));
                }
            }
        }

        [Fact]
        public void MatchesOathtoolNow()
        {
            using var child = new ChildProcess();
            string secret = Totp.NewSecret();
            var before = DateTimeOffset.UtcNow;
            var (exit, stdout, stderr) = child.Run(ChildProcess.OathTool, new[] { "--totp", "-b", secret }, new Dictionary<string, string>());
            var after = DateTimeOffset.UtcNow;
            Assert.True(exit == 0, stderr);
            // oathtool read its clock somewhere between the two readings of ours, possibly across a step boundary.
            Assert.Contains(stdout.Trim(), new[] { Totp.Generate(secret, before), Totp.Generate(secret, after) });
        }

        [Fact]
        public void Base32RoundTripsAndForgivesFormatting()
        {
            for (int n = 0; n < 42; n++)
            {
                var bytes = new byte[n];
                new Random(n).NextBytes(bytes);
                Assert.Equal(bytes, Base32.Decode(Base32.Encode(bytes)));
            }
            Assert.Equal(Base32.Decode("JBSWY3DPEHPK3PXP"), Base32.Decode("jbsw y3dp ehpk 3pxp===="));
            Assert.Throws<FormatException>(() => Base32.Decode("JBSWY3DP1"));
        }

        [Fact]
        public void StepsAreThirtySecondsAndFloorBeforeEpoch()
        {
            Assert.Equal(0, Totp.TimeStep(DateTimeOffset.FromUnixTimeSeconds(29)));
            Assert.Equal(1, Totp.TimeStep(DateTimeOffset.FromUnixTimeSeconds(30)));
            Assert.Equal(-1, Totp.TimeStep(DateTimeOffset.FromUnixTimeSeconds(-1)));
        }
    }
}
