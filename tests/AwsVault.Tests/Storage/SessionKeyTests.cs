using System;
using AwsVault.Storage;
using Xunit;

namespace AwsVault.Tests.Storage
{
    public class SessionKeyTests
    {
        [Fact]
        public void TheNameIsAwsVaultsSessionKeyFormat()
        {
            var key = new SessionKey("sts.GetSessionToken", "dev", "arn:aws:iam::111122223333:mfa/jane", DateTimeOffset.FromUnixTimeSeconds(1790000000));
            // base64url without padding, as Go's base64.RawURLEncoding writes it.
            Assert.Equal("sts.GetSessionToken,ZGV2,YXJuOmF3czppYW06OjExMTEyMjIyMzMzMzptZmEvamFuZQ,1790000000", key.ToString());
        }

        [Fact]
        public void ParsingRoundTripsAndRejectsOtherNames()
        {
            var key = new SessionKey("sts.AssumeRole", "prod admin", "", DateTimeOffset.FromUnixTimeSeconds(1790000123));
            Assert.True(SessionKey.TryParse(key.ToString(), out var back));
            Assert.Equal("prod admin", back.ProfileName);
            Assert.Equal("", back.MfaSerial);
            Assert.Equal(1790000123, back.Expiration.ToUnixTimeSeconds());
            Assert.Equal(key, back);

            Assert.False(SessionKey.TryParse("dev", out _));
            Assert.False(SessionKey.TryParse("sts.GetSessionToken,ZGV2,,notanumber", out _));
            Assert.False(SessionKey.TryParse("sts.GetSessionToken,Z!V2,,1790000000", out _));
            Assert.False(SessionKey.TryParse("a,b,c,d,e", out _));
        }
    }
}
