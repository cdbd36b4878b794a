using System;
using System.Linq;
using System.Text.Json;
using AwsVault.Credentials;
using AwsVault.Engine;
using AwsVault.Iam;
using AwsVault.Sdk;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;

namespace AwsVault.Tests.Rotate
{
    /// <summary>
    /// The module's IAM client (AwsVault.Aws's IamQueryClient), loaded as the product loads it
    /// (PrivateDependencies.ClientFactory behind an EngineContext), against the emulator's IAM, which verifies the
    /// SigV4 signature AWSSDK.Core's signer made. Every call names its endpoint; the collection only because the
    /// AWS SDK reads the environment.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class IamQueryClientTests
    {
        private sealed class Rig : IDisposable
        {
            public Rig()
            {
                Sts = new EmulatedSts();
                Context = new EngineContext(PrivateDependencies.ClientFactory);
                Endpoint = new IamEndpoint("eu-west-1", Sts.Endpoint);
            }

            public EmulatedSts Sts { get; }
            public StsWorld World => Sts.World;
            public EngineContext Context { get; }
            public IIamClient Iam => Context.Iam;
            public IamEndpoint Endpoint { get; }
            public AwsCredentials Bob => new AwsCredentials(EmulatedSts.BobKeyId, EmulatedSts.BobSecret);

            public void Dispose() => Sts.Dispose();
        }

        [Fact]
        public void TheFourCallsRotateAKeyAndAreSignedForIamInUsEast1()
        {
            using var rig = new Rig();

            var user = rig.Iam.GetUser(rig.Endpoint, rig.Bob);
            Assert.Equal("bob", user.UserName);
            Assert.Equal(rig.Sts.Bob.Arn, user.Arn);

            var keys = rig.Iam.ListAccessKeys(rig.Endpoint, rig.Bob, "bob");
            Assert.Equal(new[] { EmulatedSts.BobKeyId }, keys.Select(k => k.AccessKeyId));
            Assert.Equal("Active", keys[0].Status);
            Assert.NotNull(keys[0].CreateDate);

            var created = rig.Iam.CreateAccessKey(rig.Endpoint, rig.Bob, "bob");
            var inIam = rig.World.AccessKeysOf("bob").Single(k => k.AccessKeyId == created.AccessKeyId);
            Assert.Equal(inIam.SecretAccessKey, created.SecretAccessKey);
            Assert.Equal(created.AccessKeyId, created.ToString());

            rig.Iam.DeleteAccessKey(rig.Endpoint, rig.Bob, "bob", EmulatedSts.BobKeyId);
            Assert.Equal(new[] { created.AccessKeyId }, rig.World.AccessKeysOf("bob").Select(k => k.AccessKeyId));

            Assert.Equal(new[] { "GetUser", "ListAccessKeys", "CreateAccessKey", "DeleteAccessKey" }, rig.World.Calls.Select(c => c.Action));
            Assert.All(rig.World.Calls, c => Assert.Equal("iam", c.Service));
            Assert.All(rig.World.Calls, c => Assert.Equal("us-east-1", c.SigningRegion));
            Assert.All(rig.World.Calls, c => Assert.Equal(200, c.HttpStatus));
            Assert.DoesNotContain(created.SecretAccessKey, JsonSerializer.Serialize(rig.World.Calls));
        }

        [Fact]
        public void AnMfaSessionsTokenIsSignedAndIamTakesIt()
        {
            using var rig = new Rig();
            rig.Sts.Alice.RequireMfaForIam = true;
            var alice = new AwsCredentials(EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret);
            var session = rig.Context.Sts.GetSessionToken(new StsEndpoint("us-east-1", rig.Sts.Endpoint, false), alice, 900, rig.Sts.AliceMfa.SerialNumber, rig.Sts.AliceCode()).Credentials;

            var created = rig.Iam.CreateAccessKey(rig.Endpoint, session, null);

            var call = rig.World.CallsTo("CreateAccessKey").Single();
            Assert.Equal(session.AccessKeyId, call.CallerAccessKeyId);
            Assert.Equal(created.AccessKeyId, call.IssuedAccessKeyId);
            Assert.Equal(2, rig.World.AccessKeysOf("alice").Count);
        }

        [Fact]
        public void IamErrorsAreTypedWithCodeStatusAndMessage()
        {
            using var rig = new Rig();
            rig.Iam.CreateAccessKey(rig.Endpoint, rig.Bob, "bob");

            var limit = Assert.Throws<IamCallException>(() => rig.Iam.CreateAccessKey(rig.Endpoint, rig.Bob, "bob"));
            Assert.Equal("LimitExceeded", limit.Code);
            Assert.Equal(409, limit.HttpStatus);
            Assert.Equal("Cannot exceed quota for AccessKeysPerUser: 2", limit.Message);
            Assert.False(limit.IsTransient);

            var missing = Assert.Throws<IamCallException>(() => rig.Iam.DeleteAccessKey(rig.Endpoint, rig.Bob, "bob", "AKIANOSUCHKEYEXAMPLE"));
            Assert.Equal("NoSuchEntity", missing.Code);
            Assert.Equal(404, missing.HttpStatus);

            var wrong = Assert.Throws<IamCallException>(() => rig.Iam.GetUser(rig.Endpoint, new AwsCredentials(EmulatedSts.BobKeyId, EmulatedSts.AliceSecret)));
            Assert.Equal("SignatureDoesNotMatch", wrong.Code);
            Assert.DoesNotContain(EmulatedSts.AliceSecret, wrong.Message);

            rig.World.Faults.Enqueue("ListAccessKeys", Fault.ServerError());
            var failed = Assert.Throws<IamCallException>(() => rig.Iam.ListAccessKeys(rig.Endpoint, rig.Bob, null));
            Assert.Equal("InternalFailure", failed.Code);
            Assert.True(failed.IsTransient);
        }

        [Fact]
        public void RepliesThatAreNotIamsAndBadEndpointsAreSaidSo()
        {
            using var rig = new Rig();
            rig.World.Faults.Enqueue("GetUser", Fault.NotXml());
            var notXml = Assert.Throws<IamCallException>(() => rig.Iam.GetUser(rig.Endpoint, rig.Bob));
            Assert.Equal("UnexpectedResponse", notXml.Code);

            rig.World.Faults.Enqueue("GetUser", Fault.BadGateway());
            var proxy = Assert.Throws<IamCallException>(() => rig.Iam.GetUser(rig.Endpoint, rig.Bob));
            Assert.Equal("UnexpectedResponse", proxy.Code);
            Assert.Equal(502, proxy.HttpStatus);

            var bad = Assert.Throws<IamCallException>(() => rig.Iam.GetUser(new IamEndpoint("us-east-1", "iam.example"), rig.Bob));
            Assert.Equal("InvalidEndpoint", bad.Code);

            var closed = Assert.Throws<IamCallException>(() => rig.Iam.GetUser(new IamEndpoint("us-east-1", "http://127.0.0.1:1/"), rig.Bob));
            Assert.Equal("ConnectionFailed", closed.Code);
            Assert.True(closed.IsTransient);
        }

        [Theory]
        [InlineData("eu-west-1", "https://iam.amazonaws.com", "us-east-1")]
        [InlineData(null, "https://iam.amazonaws.com", "us-east-1")]
        [InlineData("cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1")]
        [InlineData("us-gov-east-1", "https://iam.us-gov.amazonaws.com", "us-gov-west-1")]
        public void IamIsGlobalPerPartition(string region, string url, string signingRegion)
        {
            var endpoint = new IamEndpoint(region, null);
            Assert.Equal(url, endpoint.Url);
            Assert.Equal(signingRegion, endpoint.SigningRegion);
            Assert.Equal("http://localhost:4566", new IamEndpoint(region, "http://localhost:4566").Url);
        }

        [Theory]
        [InlineData("arn:aws:iam::111122223333:user/alice", "alice")]
        [InlineData("arn:aws:iam::111122223333:user/division/team/alice", "alice")]
        [InlineData("arn:aws:iam::111122223333:root", null)]
        [InlineData("arn:aws:sts::111122223333:assumed-role/Admin/s", null)]
        public void TheUserNameComesFromTheArnsLastPathSegment(string arn, string name)
        {
            Assert.Equal(name, AccessKeyRotation.UserNameFromArn(arn));
        }
    }
}
