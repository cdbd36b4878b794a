using System;
using System.Text.RegularExpressions;
using AwsVault.Storage;
using Xunit;

namespace AwsVault.Tests.Storage
{
    public class SecretNameCodecTests
    {
        [Theory]
        [InlineData("dev", "AwsVault-Key-dev")]
        [InlineData("prod-admin", "AwsVault-Key-prod-2Dadmin")]
        [InlineData("a.b_c d", "AwsVault-Key-a-2Eb-5Fc-20d")]
        [InlineData("ünï", "AwsVault-Key--C3-BCn-C3-AF")]
        [InlineData("x*?[]", "AwsVault-Key-x-2A-3F-5B-5D")]
        public void ProfileNamesMapToTheSafeAlphabetAndBack(string profile, string expected)
        {
            string name = SecretNameCodec.KeyName(profile);
            Assert.Equal(expected, name);
            Assert.Matches(new Regex("^[A-Za-z0-9-]+$"), name);
            Assert.True(SecretNameCodec.TryParseKeyName(name, out string back));
            Assert.Equal(profile, back);
        }

        [Theory]
        [InlineData("AwsVault-Key-dev-")]        // a dangling escape
        [InlineData("AwsVault-Key-dev-2d")]      // lower-case hex is not the canonical spelling
        [InlineData("AwsVault-Key-")]            // no profile
        [InlineData("AwsVault-Key-a-41")]        // 'A' escaped although it needs no escape
        [InlineData("Other-Key-dev")]
        public void NonCanonicalOrForeignNamesAreNotProfiles(string name)
        {
            Assert.False(SecretNameCodec.TryParseKeyName(name, out _));
        }

        [Fact]
        public void DistinctProfilesNeverShareASecretName()
        {
            var rng = new Random(42);
            const string alphabet = "aZ09-_.- /%:@ü";
            var seen = new System.Collections.Generic.Dictionary<string, string>();
            for (int i = 0; i < 5000; i++)
            {
                var chars = new char[rng.Next(1, 8)];
                for (int j = 0; j < chars.Length; j++) chars[j] = alphabet[rng.Next(alphabet.Length)];
                string profile = new string(chars);
                string name = SecretNameCodec.KeyName(profile);
                if (seen.TryGetValue(name, out string other)) Assert.Equal(other, profile);
                seen[name] = profile;
                Assert.True(SecretNameCodec.TryParseKeyName(name, out string back));
                Assert.Equal(profile, back);
            }
        }

        [Fact]
        public void SessionKeysRoundTripThroughSecretNames()
        {
            var key = new SessionKey(SessionKey.GetSessionTokenType, "prod/admin", "arn:aws:iam::111122223333:mfa/jane", DateTimeOffset.FromUnixTimeSeconds(1790000000));
            string name = SecretNameCodec.SessionName(key);
            Assert.Matches(new Regex("^AwsVault-Session-[A-Za-z0-9-]+$"), name);
            Assert.True(SecretNameCodec.TryParseSessionName(name, out SessionKey back));
            Assert.Equal(key, back);
            Assert.False(SecretNameCodec.TryParseKeyName(name, out _));
        }
    }
}
