using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Util;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sts;
using Xunit;

namespace AwsVault.Tests.StsEmulator
{
    /// <summary>
    /// An IAM Query-protocol call signed by AWSSDK.Core's own SigV4 signer (there is no AWSSDK.IdentityManagement
    /// here), so the emulator is checked against a signer it did not write. It is also the shape the product's
    /// IAM client can take: DefaultRequest + AWS4Signer.Sign with a config whose AuthenticationServiceName is iam.
    /// </summary>
    internal static class IamQuery
    {
        public static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

        public static async Task<(int Status, XElement Root)> Call(Uri endpoint, string accessKeyId, string secret, string sessionToken,
            string action, IDictionary<string, string> parameters = null, string region = "us-east-1")
        {
            var form = new List<string> { "Action=" + action, "Version=2010-05-08" };
            foreach (var p in parameters ?? new Dictionary<string, string>()) form.Add(Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value));
            byte[] body = Encoding.UTF8.GetBytes(string.Join("&", form));

            // The STS config stands in for IAM's: only the signing service, region and endpoint matter to the signer.
            var config = new AmazonSecurityTokenServiceConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = region, AuthenticationServiceName = "iam" };
            var request = new DefaultRequest(new GetCallerIdentityRequest(), "IAM")
            {
                HttpMethod = "POST",
                Endpoint = endpoint,
                ResourcePath = "/",
                Content = body,
                AuthenticationRegion = region,
            };
            request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
            // The SDK's pipeline, not the signer, adds the session token; it must be there before signing so it is signed.
            if (sessionToken != null) request.Headers["X-Amz-Security-Token"] = sessionToken;
            AWSCredentials identity = sessionToken == null ? new BasicAWSCredentials(accessKeyId, secret) : new SessionAWSCredentials(accessKeyId, secret, sessionToken);
            new AWS4Signer().Sign(request, config, new RequestMetrics(), identity);

            using var http = new HttpClient();
            using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            foreach (var h in request.Headers)
            {
                if (h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) message.Content.Headers.TryAddWithoutValidation("Content-Type", h.Value);
                else if (h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)) message.Headers.Host = h.Value;
                else if (!h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) message.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }
            using var response = await http.SendAsync(message);
            string text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, XDocument.Parse(text).Root);
        }

        public static string Error(XElement root) => root.Element(Ns + "Error")?.Element(Ns + "Code")?.Value;

        public static string Find(XElement root, string name) => root.Descendants(Ns + name).FirstOrDefault()?.Value;
    }

    [Collection(ProcessEnvironment.Name)]
    public class IamTests
    {
        private static Dictionary<string, string> P(params string[] kv)
        {
            var d = new Dictionary<string, string>();
            for (int i = 0; i < kv.Length; i += 2) d[kv[i]] = kv[i + 1];
            return d;
        }

        private static Task<(int Status, XElement Root)> Alice(EmulatedSts sts, string action, Dictionary<string, string> p = null)
            => IamQuery.Call(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, action, p);

        private static async Task<(string Id, string Secret)> CreateKey(EmulatedSts sts)
        {
            var (status, root) = await Alice(sts, "CreateAccessKey");
            Assert.True(status == 200, root.ToString());
            return (IamQuery.Find(root, "AccessKeyId"), IamQuery.Find(root, "SecretAccessKey"));
        }

        private static async Task<string> StsIdentityError(EmulatedSts sts, string keyId, string secret)
        {
            using var client = sts.Client(keyId, secret);
            try
            {
                await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());
                return null;
            }
            catch (AmazonSecurityTokenServiceException e)
            {
                return e.ErrorCode;
            }
        }

        [Fact]
        public async Task GetUserWithoutNameIsTheCaller()
        {
            using var sts = new EmulatedSts();

            var (status, root) = await Alice(sts, "GetUser");

            Assert.Equal(200, status);
            Assert.Equal(IamQuery.Ns + "GetUserResponse", root.Name);
            var user = root.Element(IamQuery.Ns + "GetUserResult").Element(IamQuery.Ns + "User");
            Assert.Equal("/", user.Element(IamQuery.Ns + "Path").Value);
            Assert.Equal("alice", user.Element(IamQuery.Ns + "UserName").Value);
            Assert.Equal(sts.Alice.UserId, user.Element(IamQuery.Ns + "UserId").Value);
            Assert.Equal(sts.Alice.Arn, user.Element(IamQuery.Ns + "Arn").Value);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", user.Element(IamQuery.Ns + "CreateDate").Value);
            var call = Assert.Single(sts.World.Calls);
            Assert.Equal("iam", call.Service);
            Assert.Equal("GetUser", call.Action);
            Assert.Equal(sts.Alice.Arn, call.CallerArn);
        }

        [Fact]
        public async Task ListAccessKeysOfCallerAndOfNamedUser()
        {
            using var sts = new EmulatedSts();

            var (status, root) = await Alice(sts, "ListAccessKeys");
            Assert.Equal(200, status);
            var member = Assert.Single(root.Descendants(IamQuery.Ns + "member"));
            Assert.Equal("alice", member.Element(IamQuery.Ns + "UserName").Value);
            Assert.Equal(EmulatedSts.AliceKeyId, member.Element(IamQuery.Ns + "AccessKeyId").Value);
            Assert.Equal("Active", member.Element(IamQuery.Ns + "Status").Value);
            Assert.Equal("false", IamQuery.Find(root, "IsTruncated"));

            (status, root) = await Alice(sts, "ListAccessKeys", P("UserName", "bob"));
            Assert.Equal(200, status);
            Assert.Equal(EmulatedSts.BobKeyId, IamQuery.Find(root, "AccessKeyId"));

            (status, root) = await Alice(sts, "ListAccessKeys", P("UserName", "nobody"));
            Assert.Equal(404, status);
            Assert.Equal("NoSuchEntity", IamQuery.Error(root));
        }

        [Fact]
        public async Task CreatedKeyWorksAtStsAndSecretIsNotRecorded()
        {
            using var sts = new EmulatedSts();

            var (status, root) = await Alice(sts, "CreateAccessKey");

            Assert.Equal(200, status);
            var key = root.Element(IamQuery.Ns + "CreateAccessKeyResult").Element(IamQuery.Ns + "AccessKey");
            string id = key.Element(IamQuery.Ns + "AccessKeyId").Value;
            string secret = key.Element(IamQuery.Ns + "SecretAccessKey").Value;
            Assert.Matches("^AKIA[A-Z2-7]{16}$", id);
            Assert.Equal(40, secret.Length);
            Assert.Equal("alice", key.Element(IamQuery.Ns + "UserName").Value);
            Assert.Equal("Active", key.Element(IamQuery.Ns + "Status").Value);
            Assert.Equal(new[] { EmulatedSts.AliceKeyId, id }, sts.World.AccessKeysOf("alice").Select(k => k.AccessKeyId));

            var call = sts.World.CallsTo("CreateAccessKey").Single();
            Assert.Equal(id, call.IssuedAccessKeyId);
            Assert.DoesNotContain(secret, JsonSerializer.Serialize(sts.World.Calls));

            Assert.Null(await StsIdentityError(sts, id, secret));
            // The new key is IAM's too.
            (status, _) = await IamQuery.Call(sts.Server.Endpoint, id, secret, null, "GetUser");
            Assert.Equal(200, status);
        }

        [Fact]
        public async Task ThirdKeyIsLimitExceededAndChangesNothing()
        {
            using var sts = new EmulatedSts();
            await CreateKey(sts);

            var (status, root) = await Alice(sts, "CreateAccessKey");

            Assert.Equal(409, status);
            Assert.Equal("LimitExceeded", IamQuery.Error(root));
            Assert.Equal("Cannot exceed quota for AccessKeysPerUser: 2", root.Descendants(IamQuery.Ns + "Message").Single().Value);
            Assert.Equal("Sender", IamQuery.Find(root, "Type"));
            Assert.Equal(IamQuery.Ns + "ErrorResponse", root.Name);
            Assert.NotNull(root.Element(IamQuery.Ns + "RequestId"));
            Assert.Equal(2, sts.World.AccessKeysOf("alice").Count);
        }

        [Fact]
        public async Task RotationDeletesTheOldKeyWhichStopsWorkingAtOnce()
        {
            using var sts = new EmulatedSts();
            var (id, secret) = await CreateKey(sts);

            var (status, root) = await IamQuery.Call(sts.Server.Endpoint, id, secret, null, "DeleteAccessKey", P("AccessKeyId", EmulatedSts.AliceKeyId));

            Assert.True(status == 200, root.ToString());
            Assert.Equal(IamQuery.Ns + "DeleteAccessKeyResponse", root.Name);
            Assert.Equal(new[] { id }, sts.World.AccessKeysOf("alice").Select(k => k.AccessKeyId));
            Assert.Equal("InvalidClientTokenId", await StsIdentityError(sts, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret));
            Assert.Null(await StsIdentityError(sts, id, secret));

            (status, root) = await IamQuery.Call(sts.Server.Endpoint, id, secret, null, "DeleteAccessKey", P("AccessKeyId", EmulatedSts.AliceKeyId));
            Assert.Equal(404, status);
            Assert.Equal("NoSuchEntity", IamQuery.Error(root));
            Assert.Equal("The Access Key with id " + EmulatedSts.AliceKeyId + " cannot be found.", IamQuery.Find(root, "Message"));
        }

        [Fact]
        public async Task NewKeyDelayRefusesTheNewKeyUntilItPropagates()
        {
            using var sts = new EmulatedSts();
            var clock = new ShiftedClock();
            sts.World.TimeProvider = clock;
            sts.World.NewKeyDelay = TimeSpan.FromSeconds(10);
            var (id, secret) = await CreateKey(sts);

            Assert.Equal("InvalidClientTokenId", await StsIdentityError(sts, id, secret));
            var (status, root) = await IamQuery.Call(sts.Server.Endpoint, id, secret, null, "GetUser");
            Assert.Equal(403, status);
            Assert.Equal("InvalidClientTokenId", IamQuery.Error(root));
            // The old key keeps working meanwhile, so a client can wait and still roll back.
            Assert.Null(await StsIdentityError(sts, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret));

            clock.Offset = TimeSpan.FromSeconds(11);
            Assert.Null(await StsIdentityError(sts, id, secret));
        }

        [Fact]
        public async Task InactiveKeyIsRefusedUntilActivatedAgain()
        {
            using var sts = new EmulatedSts();
            var (id, secret) = await CreateKey(sts);

            var (status, _) = await Alice(sts, "UpdateAccessKey", P("AccessKeyId", id, "Status", "Inactive"));
            Assert.Equal(200, status);
            Assert.Equal("InvalidClientTokenId", await StsIdentityError(sts, id, secret));
            var (_, list) = await Alice(sts, "ListAccessKeys");
            Assert.Equal(new[] { "Active", "Inactive" }, list.Descendants(IamQuery.Ns + "Status").Select(s => s.Value));

            (status, _) = await Alice(sts, "UpdateAccessKey", P("AccessKeyId", id, "Status", "Active"));
            Assert.Equal(200, status);
            Assert.Null(await StsIdentityError(sts, id, secret));

            var (bad, root) = await Alice(sts, "UpdateAccessKey", P("AccessKeyId", id, "Status", "Paused"));
            Assert.Equal(400, bad);
            Assert.Equal("ValidationError", IamQuery.Error(root));
        }

        [Fact]
        public async Task InjectedFaultsOnCreateAndDeleteChangeNothing()
        {
            using var sts = new EmulatedSts();
            sts.World.Faults.Enqueue("CreateAccessKey", Fault.ServerError());

            var (status, root) = await Alice(sts, "CreateAccessKey");
            Assert.Equal(500, status);
            Assert.Equal("InternalFailure", IamQuery.Error(root));
            Assert.Equal("Receiver", IamQuery.Find(root, "Type"));
            Assert.Single(sts.World.AccessKeysOf("alice"));

            var (id, secret) = await CreateKey(sts);
            sts.World.Faults.Enqueue("DeleteAccessKey", Fault.Error(400, "ServiceFailure", "no"));
            (status, root) = await IamQuery.Call(sts.Server.Endpoint, id, secret, null, "DeleteAccessKey", P("AccessKeyId", EmulatedSts.AliceKeyId));
            Assert.Equal(400, status);
            Assert.Equal("ServiceFailure", IamQuery.Error(root));
            Assert.Equal(2, sts.World.AccessKeysOf("alice").Count);
            Assert.Null(await StsIdentityError(sts, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret));

            Assert.Equal(new[] { "CreateAccessKey 500 ServerError", "CreateAccessKey 200 ", "DeleteAccessKey 400 Error", "GetCallerIdentity 200 " },
                sts.World.Calls.Select(c => c.Action + " " + c.HttpStatus + " " + c.InjectedFault));
        }

        [Fact]
        public async Task SessionCallersNeedMfaAndRequireMfaForIamDeniesKeyChangesWithoutIt()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var plain = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
            var mfa = (await alice.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = sts.AliceMfa.SerialNumber, TokenCode = sts.AliceCode() })).Credentials;

            // IAM takes a GetSessionToken session only when it was made with MFA.
            var (status, root) = await IamQuery.Call(sts.Server.Endpoint, plain.AccessKeyId, plain.SecretAccessKey, plain.SessionToken, "GetUser");
            Assert.Equal(403, status);
            Assert.Equal("InvalidClientTokenId", IamQuery.Error(root));
            (status, root) = await IamQuery.Call(sts.Server.Endpoint, mfa.AccessKeyId, mfa.SecretAccessKey, mfa.SessionToken, "GetUser");
            Assert.Equal(200, status);
            Assert.Equal("alice", IamQuery.Find(root, "UserName"));

            sts.Alice.RequireMfaForIam = true;
            (status, root) = await Alice(sts, "CreateAccessKey");
            Assert.Equal(403, status);
            Assert.Equal("AccessDenied", IamQuery.Error(root));
            Assert.StartsWith("User: " + sts.Alice.Arn + " is not authorized to perform: iam:CreateAccessKey", IamQuery.Find(root, "Message"));
            (status, _) = await Alice(sts, "ListAccessKeys");
            Assert.Equal(200, status);
            (status, root) = await IamQuery.Call(sts.Server.Endpoint, mfa.AccessKeyId, mfa.SecretAccessKey, mfa.SessionToken, "CreateAccessKey");
            Assert.True(status == 200, root.ToString());
            Assert.Equal(mfa.AccessKeyId, sts.World.CallsTo("CreateAccessKey").Last().CallerAccessKeyId);

            // The world-wide switch reaches bob, who has no per-user flag.
            sts.World.RequireMfaForIam = true;
            var (bobStatus, _) = await IamQuery.Call(sts.Server.Endpoint, EmulatedSts.BobKeyId, EmulatedSts.BobSecret, null, "CreateAccessKey");
            Assert.Equal(403, bobStatus);
        }

        [Fact]
        public async Task RoleSessionsMustNameTheUserAndFederatedUsersGetNoIam()
        {
            using var sts = new EmulatedSts();
            using var alice = sts.AliceClient();
            var role = (await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatedSts.ReadOnlyArn, RoleSessionName = "ss" })).Credentials;

            var (status, root) = await IamQuery.Call(sts.Server.Endpoint, role.AccessKeyId, role.SecretAccessKey, role.SessionToken, "GetUser");
            Assert.Equal(400, status);
            Assert.Equal("ValidationError", IamQuery.Error(root));
            Assert.Equal("Must specify userName when calling with non-User credentials", IamQuery.Find(root, "Message"));
            // Users are looked up in the caller's account: the role lives in another one.
            (status, root) = await IamQuery.Call(sts.Server.Endpoint, role.AccessKeyId, role.SecretAccessKey, role.SessionToken, "GetUser", P("UserName", "alice"));
            Assert.Equal(404, status);

            var fed = (await alice.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "console" })).Credentials;
            (status, root) = await IamQuery.Call(sts.Server.Endpoint, fed.AccessKeyId, fed.SecretAccessKey, fed.SessionToken, "ListAccessKeys");
            Assert.Equal(403, status);
            Assert.Equal("InvalidClientTokenId", IamQuery.Error(root));
        }

        [Fact]
        public async Task IamIsSignedForUsEast1Only()
        {
            using var sts = new EmulatedSts();

            var (status, root) = await IamQuery.Call(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, null, "GetUser", region: "eu-west-1");

            Assert.Equal(403, status);
            Assert.Equal("SignatureDoesNotMatch", IamQuery.Error(root));
            Assert.Equal("eu-west-1", sts.World.Calls.Single().SigningRegion);
        }

        [Fact]
        public async Task WrongSecretAndUnknownActionAreRefusedInIamsNamespace()
        {
            using var sts = new EmulatedSts();

            var (status, root) = await IamQuery.Call(sts.Server.Endpoint, EmulatedSts.AliceKeyId, EmulatedSts.BobSecret, null, "GetUser");
            Assert.Equal(403, status);
            Assert.Equal("SignatureDoesNotMatch", IamQuery.Error(root));

            (status, root) = await Alice(sts, "CreateUser", P("UserName", "eve"));
            Assert.Equal(400, status);
            Assert.Equal("InvalidAction", IamQuery.Error(root));
            Assert.Equal(IamQuery.Ns, root.Name.Namespace);
        }

        [Fact]
        public async Task ControlEndpointsShowKeysAndTakeSettings()
        {
            using var sts = new EmulatedSts();
            using var http = new HttpClient { BaseAddress = sts.Server.Endpoint };
            var (id, _) = await CreateKey(sts);

            string keys = await http.GetStringAsync("/_emulator/iam/users/alice/keys");
            using (var doc = JsonDocument.Parse(keys))
            {
                Assert.Equal(new[] { EmulatedSts.AliceKeyId, id }, doc.RootElement.EnumerateArray().Select(k => k.GetProperty("accessKeyId").GetString()));
                Assert.Equal("Active", doc.RootElement[1].GetProperty("status").GetString());
            }
            Assert.DoesNotContain("secret", keys, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(404, (int)(await http.GetAsync("/_emulator/iam/users/nobody/keys")).StatusCode);

            var set = await http.PostAsync("/_emulator/iam/settings", new StringContent("{\"newKeyDelayMilliseconds\":5000,\"requireMfaForIam\":true}"));
            Assert.Equal(204, (int)set.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), sts.World.NewKeyDelay);
            Assert.True(sts.World.RequireMfaForIam);
        }
    }

    /// <summary>The AWS CLI v2's IAM commands (botocore's signer and parser, a client nobody here wrote).</summary>
    [Collection(ProcessEnvironment.Name)]
    public class IamCliTests
    {
        private static (int ExitCode, string Stdout, string Stderr) Iam(ChildProcess cli, EmulatedSts sts, string keyId, string secret, params string[] args)
        {
            var all = new List<string> { "iam" };
            all.AddRange(args);
            all.AddRange(new[] { "--endpoint-url", sts.Server.Endpoint.ToString().TrimEnd('/'), "--region", "us-east-1", "--output", "json" });
            return cli.Run(ChildProcess.AwsCli, all, new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = keyId, ["AWS_SECRET_ACCESS_KEY"] = secret });
        }

        [Fact]
        public void RotateWithTheCli()
        {
            using var sts = new EmulatedSts();
            using var cli = new ChildProcess();

            var (exit, stdout, stderr) = Iam(cli, sts, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, "get-user");
            Assert.True(exit == 0, stderr);
            Assert.Equal(sts.Alice.Arn, JsonDocument.Parse(stdout).RootElement.GetProperty("User").GetProperty("Arn").GetString());

            (exit, stdout, stderr) = Iam(cli, sts, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, "create-access-key");
            Assert.True(exit == 0, stderr);
            var key = JsonDocument.Parse(stdout).RootElement.GetProperty("AccessKey");
            string id = key.GetProperty("AccessKeyId").GetString();
            string secret = key.GetProperty("SecretAccessKey").GetString();
            Assert.Equal("Active", key.GetProperty("Status").GetString());

            (exit, stdout, stderr) = Iam(cli, sts, id, secret, "list-access-keys");
            Assert.True(exit == 0, stderr);
            Assert.Equal(new[] { EmulatedSts.AliceKeyId, id },
                JsonDocument.Parse(stdout).RootElement.GetProperty("AccessKeyMetadata").EnumerateArray().Select(m => m.GetProperty("AccessKeyId").GetString()));

            (exit, _, stderr) = Iam(cli, sts, id, secret, "create-access-key");
            Assert.NotEqual(0, exit);
            Assert.Matches(@"An error occurred \(LimitExceeded\) when calling the CreateAccessKey operation( \(reached max retries: \d+\))?: Cannot exceed quota for AccessKeysPerUser: 2", stderr);

            (exit, _, stderr) = Iam(cli, sts, id, secret, "delete-access-key", "--access-key-id", EmulatedSts.AliceKeyId);
            Assert.True(exit == 0, stderr);

            (exit, _, stderr) = Iam(cli, sts, EmulatedSts.AliceKeyId, EmulatedSts.AliceSecret, "list-access-keys");
            Assert.NotEqual(0, exit);
            Assert.Contains("InvalidClientTokenId", stderr);
            Assert.All(sts.World.Calls, c => Assert.Equal("iam", c.Service));
            Assert.All(sts.World.Calls, c => Assert.Equal("us-east-1", c.SigningRegion));
        }
    }
}
