using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.SecurityToken.Model;
using AwsVault.Tests.Sts;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.StsEmulator
{
    /// <summary>SigV4 and credential checks, driven by the AWS SDK for .NET v4 where it can express the case.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class SignatureTests
    {
        private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

        [Fact]
        public async Task SdkSignedCallIsVerifiedAndAttributed()
        {
            using var sts = new EmulatedSts();
            using var client = sts.AliceClient();

            var id = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());

            Assert.Equal("arn:aws:iam::111122223333:user/alice", id.Arn);
            Assert.Equal(sts.Alice.UserId, id.UserId);
            Assert.StartsWith("AIDA", id.UserId);
            Assert.Equal("111122223333", id.Account);
            var call = Assert.Single(sts.World.Calls);
            Assert.Equal("GetCallerIdentity", call.Action);
            Assert.Equal(EmulatedSts.AliceKeyId, call.CallerAccessKeyId);
            Assert.Equal("us-east-1", call.SigningRegion);
            Assert.Equal(200, call.HttpStatus);
        }

        [Fact]
        public async Task WrongSecretIsSignatureDoesNotMatch()
        {
            using var sts = new EmulatedSts();
            using var client = sts.Client(EmulatedSts.AliceKeyId, EmulatedSts.BobSecret);

            var e = await SdkAssert.Fails("SignatureDoesNotMatch", 403, () => client.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

            Assert.StartsWith("The request signature we calculated does not match", e.Message);
            var call = Assert.Single(sts.World.Calls);
            Assert.Equal(EmulatedSts.AliceKeyId, call.CallerAccessKeyId);
            Assert.Null(call.CallerArn);
        }

        [Fact]
        public async Task UnknownAndInactiveKeysAreInvalidClientTokenId()
        {
            using var sts = new EmulatedSts();
            using (var stranger = sts.Client(StsWorld.NewLongTermKeyId(), StsWorld.NewSecret()))
            {
                var e = await SdkAssert.Fails("InvalidClientTokenId", 403, () => stranger.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
                Assert.Equal("The security token included in the request is invalid.", e.Message);
            }

            sts.Bob.Key.Active = false;
            using var bob = sts.BobClient();
            await SdkAssert.Fails("InvalidClientTokenId", 403, () => bob.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        }

        [Fact]
        public async Task SessionKeysNeedTheirOwnToken()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
            var other = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;

            using (var right = sts.Client(creds))
            {
                Assert.Equal(sts.Alice.Arn, (await right.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
            }
            using (var missing = sts.Client(creds.AccessKeyId, creds.SecretAccessKey))
            {
                await SdkAssert.Fails("InvalidClientTokenId", 403, () => missing.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            }
            using (var foreign = sts.Client(creds.AccessKeyId, creds.SecretAccessKey, other.SessionToken))
            {
                await SdkAssert.Fails("InvalidClientTokenId", 403, () => foreign.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            }
            using (var wrongSecret = sts.Client(creds.AccessKeyId, other.SecretAccessKey, creds.SessionToken))
            {
                await SdkAssert.Fails("SignatureDoesNotMatch", 403, () => wrongSecret.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            }
            using (var longTermWithToken = sts.Client(EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, creds.SessionToken))
            {
                await SdkAssert.Fails("InvalidClientTokenId", 403, () => longTermWithToken.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            }
        }

        [Fact]
        public async Task TokenOutsideTheSignedHeadersIsRefused()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
            using var http = new HttpClient();

            var signed = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken));
            var unsigned = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken, signToken: false));

            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
            Assert.Equal("InvalidClientTokenId", ErrorCode(await unsigned.Content.ReadAsStringAsync()));
        }

        [Fact]
        public async Task ExpiredSessionIsExpiredToken()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900 })).Credentials;
            sts.World.ExpireSession(creds.AccessKeyId);

            using var expired = sts.Client(creds);
            var e = await SdkAssert.Fails("ExpiredToken", 403, () => expired.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            Assert.Equal("The security token included in the request is expired", e.Message);
        }

        [Fact]
        public async Task SessionExpiresByTheEmulatorsClock()
        {
            using var sts = new EmulatedSts();
            var clock = new ShiftedClock();
            sts.World.TimeProvider = clock;
            using var alice = sts.AliceClient();
            var creds = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900 })).Credentials;
            using var http = new HttpClient();

            // Ten minutes on, still valid; sixteen minutes on, expired. The request is dated by the same clock
            // so that only expiry, not skew, is being judged.
            clock.Offset = TimeSpan.FromMinutes(10);
            var early = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken, at: clock.GetUtcNow()));
            clock.Offset = TimeSpan.FromMinutes(16);
            var late = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken, at: clock.GetUtcNow()));

            Assert.Equal(HttpStatusCode.OK, early.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
            Assert.Equal("ExpiredToken", ErrorCode(await late.Content.ReadAsStringAsync()));
        }

        [Theory]
        [InlineData(-16, "Signature expired: ")]
        [InlineData(16, "Signature not yet current: ")]
        public async Task ClockSkewBeyondFifteenMinutesIsRefused(int minutes, string messageStart)
        {
            using var sts = new EmulatedSts();
            using var http = new HttpClient();

            var response = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15",
                EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, at: DateTimeOffset.UtcNow.AddMinutes(minutes)));
            var withinSkew = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15",
                EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, at: DateTimeOffset.UtcNow.AddMinutes(minutes > 0 ? 14 : -14)));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root.Element(Ns + "Error");
            Assert.Equal("SignatureDoesNotMatch", error.Element(Ns + "Code").Value);
            Assert.StartsWith(messageStart, error.Element(Ns + "Message").Value);
            Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        }

        [Fact]
        public async Task SdkCorrectsItsClockFromTheDateHeader()
        {
            // The SDK, on "Signature expired", reads the server's Date header and signs again with the
            // corrected clock, so a 20-minute skew costs one extra round trip rather than a failure.
            using var sts = new EmulatedSts();
            sts.World.TimeProvider = new ShiftedClock { Offset = TimeSpan.FromMinutes(20) };
            // The SDK remembers a correction per endpoint URL for the rest of the process. "localhost"
            // instead of 127.0.0.1 keeps it away from every other test, even one that gets this port later.
            var config = new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig
            {
                ServiceURL = "http://localhost:" + sts.Server.Endpoint.Port + "/",
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 2,
            };
            using var client = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(new Amazon.Runtime.BasicAWSCredentials(EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret), config);

            var id = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());

            Assert.Equal(sts.Alice.Arn, id.Arn);
            var calls = sts.World.Calls;
            Assert.Equal(new[] { "SignatureDoesNotMatch", null }, calls.Select(c => c.ErrorCode).ToArray());
            Assert.StartsWith("Signature expired: ", calls[0].ErrorMessage);
        }

        [Fact]
        public async Task GetWithQueryParametersIsAccepted()
        {
            using var sts = new EmulatedSts();
            using var http = new HttpClient();

            var response = await http.SendAsync(RawSigner.Get(sts.Server.Endpoint,
                "Action=AssumeRole&Version=2011-06-15&RoleArn=" + Uri.EscapeDataString(EmulatedSts.ReadOnlyArn) + "&RoleSessionName=get%40query&DurationSeconds=900",
                EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, region: "eu-west-1"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/xml", response.Content.Headers.ContentType.MediaType);
            var result = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root.Element(Ns + "AssumeRoleResult");
            Assert.Equal("arn:aws:sts::444455556666:assumed-role/ReadOnly/get@query", result.Element(Ns + "AssumedRoleUser").Element(Ns + "Arn").Value);
            var call = Assert.Single(sts.World.Calls);
            Assert.Equal("GET", call.HttpMethod);
            Assert.Equal("eu-west-1", call.SigningRegion);
            Assert.Equal("get@query", call.Parameter("RoleSessionName"));
        }

        [Fact]
        public async Task PresignedUrlIsVerifiedAndExpires()
        {
            using var sts = new EmulatedSts();
            using var http = new HttpClient();

            var fresh = await http.GetAsync(RawSigner.Presign(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", EmulatedSts.BobKeyId, EmulatedSts.BobSecret, 60));
            var stale = await http.GetAsync(RawSigner.Presign(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", EmulatedSts.BobKeyId, EmulatedSts.BobSecret, 60, at: DateTimeOffset.UtcNow.AddMinutes(-2)));
            var forged = await http.GetAsync(RawSigner.Presign(sts.Server.Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", EmulatedSts.BobKeyId, EmulatedSts.AliceSecret, 60));

            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Contains("arn:aws:iam::111122223333:user/bob", await fresh.Content.ReadAsStringAsync());
            Assert.Equal("SignatureDoesNotMatch", ErrorCode(await stale.Content.ReadAsStringAsync()));
            Assert.Equal("SignatureDoesNotMatch", ErrorCode(await forged.Content.ReadAsStringAsync()));
            // The presign parameters are the signature, not the request.
            Assert.DoesNotContain(sts.World.Calls[0].Parameters.Keys, k => k.StartsWith("X-Amz-", StringComparison.Ordinal));
        }

        [Fact]
        public async Task UnsignedAndUnknownRequestsGetQueryProtocolErrors()
        {
            using var sts = new EmulatedSts();
            using var http = new HttpClient();

            async Task<(HttpStatusCode, XElement)> Post(string form)
            {
                var r = await http.PostAsync(sts.Server.Endpoint, new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
                return (r.StatusCode, XDocument.Parse(await r.Content.ReadAsStringAsync()).Root);
            }

            var (status, root) = await Post("Action=GetCallerIdentity&Version=2011-06-15");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal(Ns + "ErrorResponse", root.Name);
            Assert.Equal("Sender", root.Element(Ns + "Error").Element(Ns + "Type").Value);
            Assert.Equal("MissingAuthenticationToken", root.Element(Ns + "Error").Element(Ns + "Code").Value);
            Assert.False(string.IsNullOrEmpty(root.Element(Ns + "RequestId").Value));

            (status, root) = await Post("Action=ListBuckets&Version=2011-06-15");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("InvalidAction", root.Element(Ns + "Error").Element(Ns + "Code").Value);
            Assert.Equal("Could not find operation ListBuckets for version 2011-06-15", root.Element(Ns + "Error").Element(Ns + "Message").Value);

            (status, root) = await Post("Action=GetCallerIdentity&Version=2010-05-08");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("InvalidAction", root.Element(Ns + "Error").Element(Ns + "Code").Value);
        }

        [Fact]
        public async Task RecordsSigningRegionWhateverItIs()
        {
            using var sts = new EmulatedSts();
            var config = new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig { ServiceURL = sts.Endpoint, AuthenticationRegion = "ap-southeast-2", MaxErrorRetry = 0 };
            using var client = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(new Amazon.Runtime.BasicAWSCredentials(EmulatedSts.BobKeyId, EmulatedSts.BobSecret), config);

            await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());

            Assert.Equal("ap-southeast-2", Assert.Single(sts.World.Calls).SigningRegion);
        }

        internal static string ErrorCode(string xml) => XDocument.Parse(xml).Root.Element(Ns + "Error")?.Element(Ns + "Code")?.Value;
    }
}
