using System;
using System.Collections.Generic;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Login;
using Xunit;

namespace AwsVault.Tests.Login
{
    /// <summary>Console sign-in's pure rules: the partition's hosts for a region, AWS_ENDPOINT_URL_SIGNIN, the destination,
    /// the federated user's name.</summary>
    public class ConsoleEndpointsTests
    {
        [Theory]
        [InlineData("cn-north-1", "aws-cn", "signin.amazonaws.cn", "console.amazonaws.cn")]
        [InlineData("cn-northwest-1", "aws-cn", "signin.amazonaws.cn", "console.amazonaws.cn")]
        [InlineData("us-gov-west-1", "aws-us-gov", "signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com")]
        [InlineData("eu-west-1", "aws", "signin.aws.amazon.com", "console.aws.amazon.com")]
        [InlineData("us-east-1", "aws", "signin.aws.amazon.com", "console.aws.amazon.com")]
        [InlineData(null, "aws", "signin.aws.amazon.com", "console.aws.amazon.com")]
        public void ThePartitionsHostsFollowTheRegion(string region, string partition, string signin, string console)
        {
            var e = ConsoleEndpoints.For(region, EnvironmentSnapshot.Empty);
            Assert.Equal(partition, e.Partition);
            Assert.Equal("https://" + signin + "/federation", e.Federation.ToString());
            Assert.Equal(console, e.ConsoleHost);
            Assert.False(e.FederationFromEnvironment);
            string home = e.Destination(null, region);
            Assert.Equal(region == null ? "https://" + console + "/" : "https://" + console + "/console/home?region=" + region, home);
        }

        [Theory]
        [InlineData("/s3", "https://console.amazonaws.cn/s3?region=cn-north-1")]
        [InlineData("s3", "https://console.amazonaws.cn/s3?region=cn-north-1")]
        [InlineData("/ec2/home?region=cn-northwest-1#Instances:", "https://console.amazonaws.cn/ec2/home?region=cn-northwest-1#Instances:")]
        [InlineData("/s3/buckets?tab=objects#top", "https://console.amazonaws.cn/s3/buckets?tab=objects&region=cn-north-1#top")]
        [InlineData("https://console.amazonaws.cn/iam/home", "https://console.amazonaws.cn/iam/home")]
        [InlineData("https://docs.example/page?x=1", "https://docs.example/page?x=1")]
        public void ADestinationIsAPathOnTheConsoleOrAnHttpsUrl(string given, string expected)
        {
            var e = ConsoleEndpoints.For("cn-north-1", EnvironmentSnapshot.Empty);
            Assert.Equal(expected, e.Destination(given, "cn-north-1"));
        }

        [Fact]
        public void ThePathGetsNoRegionWhenNoneIsKnown()
        {
            Assert.Equal("https://console.aws.amazon.com/s3", ConsoleEndpoints.ForRegion(null).Destination("/s3", null));
        }

        [Fact]
        public void TheEndpointVariableReplacesTheFederationEndpointUnlessConfiguredEndpointsAreIgnored()
        {
            var env = EnvironmentSnapshot.From(new Dictionary<string, string> { ["AWS_ENDPOINT_URL_SIGNIN"] = "http://127.0.0.1:4566/" });
            var e = ConsoleEndpoints.For("cn-north-1", env);
            Assert.Equal("http://127.0.0.1:4566/federation", e.Federation.ToString());
            Assert.True(e.FederationFromEnvironment);
            Assert.Equal("console.amazonaws.cn", e.ConsoleHost);

            var prefixed = EnvironmentSnapshot.From(new Dictionary<string, string> { ["AWS_ENDPOINT_URL_SIGNIN"] = "https://proxy.example/aws" });
            Assert.Equal("https://proxy.example/aws/federation", ConsoleEndpoints.For(null, prefixed).Federation.ToString());

            var ignored = EnvironmentSnapshot.From(new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL_SIGNIN"] = "http://127.0.0.1:4566",
                ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true",
            });
            Assert.Equal("https://signin.aws.amazon.com/federation", ConsoleEndpoints.For("eu-west-1", ignored).Federation.ToString());
        }

        [Fact]
        public void TheLoginUrlEscapesEachParameter()
        {
            string url = SigninTokenClient.LoginUrl(new Uri("https://signin.aws.amazon.com/federation"), "AwsVault",
                "https://console.aws.amazon.com/s3?region=eu-west-1&x=1", "tok+en/=");
            Assert.Equal("https://signin.aws.amazon.com/federation?Action=login&Issuer=AwsVault&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%3Fregion%3Deu-west-1%26x%3D1&SigninToken=tok%2Ben%2F%3D", url);
        }

        [Theory]
        [InlineData("arn:aws:iam::111122223333:user/alice", "alice")]
        [InlineData("arn:aws:iam::111122223333:user/division/team/alice", "alice")]
        [InlineData("arn:aws-cn:iam::111122223333:user/a-very-long-user-name-that-goes-past-32", "a-very-long-user-name-that-goes-")]
        [InlineData("arn:aws:iam::111122223333:root", "root")]
        public void TheFederatedUserIsNamedAfterTheIamUser(string arn, string name)
        {
            Assert.Equal(name, FederationTokenProvider.NameFor(arn));
            Assert.True(FederationTokenProvider.NameFor(arn).Length <= 32);
            Assert.Equal(arn.EndsWith(":root", StringComparison.Ordinal), FederationTokenProvider.IsRootUser(arn));
        }
    }
}
