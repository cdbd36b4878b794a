using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using AwsVault.Tests.Sts;
using Xunit;

namespace AwsVault.Tests.StsEmulator
{
    /// <summary>
    /// One world and one running emulator per test: alice (AWS's first documented example key, with a
    /// virtual MFA device) and bob (the second example key, no device) in 111122223333, and roles in
    /// 444455556666 that each exercise one rule.
    /// </summary>
    internal sealed class EmulatedSts : IDisposable
    {
        public const string UserAccount = "111122223333";
        public const string RoleAccount = "444455556666";
        public const string AliceKeyId = "AKIAIOSFODNN7EXAMPLE";
        public const string AliceSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        public const string BobKeyId = "AKIAI44QH8DHBEXAMPLE";
        public const string BobSecret = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";

        public const string ReadOnlyArn = "arn:aws:iam::" + RoleAccount + ":role/ReadOnly";
        public const string LongArn = "arn:aws:iam::" + RoleAccount + ":role/ops/LongRunning";
        public const string AdminArn = "arn:aws:iam::" + RoleAccount + ":role/Admin";
        public const string PartnerArn = "arn:aws:iam::" + RoleAccount + ":role/Partner";
        public const string PartnerExternalId = "partner-7f3a-external";
        public const string BobOnlyArn = "arn:aws:iam::" + RoleAccount + ":role/BobOnly";
        public const string WebArn = "arn:aws:iam::" + RoleAccount + ":role/WebIdentity";

        public EmulatedSts()
        {
            World = new StsWorld();
            Alice = World.AddUser(UserAccount, "alice", AliceKeyId, AliceSecret);
            AliceMfa = World.AddMfaDevice(Alice);
            Bob = World.AddUser(UserAccount, "bob", BobKeyId, BobSecret);
            World.AddRole(ReadOnlyArn);
            World.AddRole(LongArn, maxSessionDuration: 43200);
            World.AddRole(AdminArn, maxSessionDuration: 43200, requireMfa: true);
            World.AddRole(PartnerArn, externalId: PartnerExternalId);
            World.AddRole(BobOnlyArn, 3600, false, null, Bob.Arn);
            World.AddRole(WebArn);
            Server = StsServer.Start(World);
        }

        public StsWorld World { get; }
        public StsServer Server { get; }
        public IamUser Alice { get; }
        public MfaDevice AliceMfa { get; }
        public IamUser Bob { get; }

        public string Endpoint => Server.Endpoint.ToString();

        /// <summary>A code for alice's device that the emulator has not seen yet.</summary>
        public string AliceCode() => World.UnusedTokenCode(AliceMfa.SerialNumber);

        /// <summary>An SDK v4 client for the emulator. No retries unless asked, so each SDK call is one request.</summary>
        public AmazonSecurityTokenServiceClient Client(string accessKeyId, string secret, string sessionToken = null, int maxErrorRetry = 0, TimeSpan? timeout = null)
        {
            AWSCredentials credentials = sessionToken == null
                ? new BasicAWSCredentials(accessKeyId, secret)
                : new SessionAWSCredentials(accessKeyId, secret, sessionToken);
            return new AmazonSecurityTokenServiceClient(credentials, Config(maxErrorRetry, timeout));
        }

        public AmazonSecurityTokenServiceClient Client(Amazon.SecurityToken.Model.Credentials c, int maxErrorRetry = 0)
            => Client(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, maxErrorRetry);

        public AmazonSecurityTokenServiceClient AliceClient(int maxErrorRetry = 0, TimeSpan? timeout = null) => Client(AliceKeyId, AliceSecret, null, maxErrorRetry, timeout);
        public AmazonSecurityTokenServiceClient BobClient() => Client(BobKeyId, BobSecret);

        public AmazonSecurityTokenServiceClient AnonymousClient()
            => new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), Config(0, null));

        private AmazonSecurityTokenServiceConfig Config(int maxErrorRetry, TimeSpan? timeout)
        {
            var config = new AmazonSecurityTokenServiceConfig
            {
                ServiceURL = Endpoint,
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = maxErrorRetry,
            };
            if (timeout.HasValue) config.Timeout = timeout.Value;
            return config;
        }

        public void Dispose() => Server.Dispose();
    }

    internal static class SdkAssert
    {
        /// <summary>The service error as the SDK surfaced it, after checking its code and HTTP status.</summary>
        public static async Task<AmazonSecurityTokenServiceException> Fails(string code, int status, Func<Task> call)
        {
            var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(call);
            Assert.Equal(code, e.ErrorCode);
            Assert.Equal(status, (int)e.StatusCode);
            return e;
        }
    }

    /// <summary>
    /// A minimal SigV4 signer for the cases the SDK and the CLI will not produce: GET with the parameters in
    /// the query string, presigned URLs, stale dates, unsigned tokens. Kept separate from the emulator's
    /// verifier so the two are written against the specification independently.
    /// </summary>
    internal static class RawSigner
    {
        public static HttpRequestMessage Get(Uri endpoint, string query, string accessKeyId, string secret, string sessionToken = null,
            DateTimeOffset? at = null, bool signToken = true, string region = "us-east-1")
        {
            var time = at ?? DateTimeOffset.UtcNow;
            string amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "/?" + query));
            string host = endpoint.Authority;
            request.Headers.Host = host;
            request.Headers.Add("X-Amz-Date", amzDate);
            var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host, ["x-amz-date"] = amzDate };
            if (sessionToken != null)
            {
                request.Headers.Add("X-Amz-Security-Token", sessionToken);
                if (signToken) headers["x-amz-security-token"] = sessionToken;
            }
            string signedHeaders = string.Join(";", headers.Keys);
            string canonical = "GET\n/\n" + CanonicalQuery(query) + "\n"
                + string.Concat(headers.Select(h => h.Key + ":" + h.Value + "\n")) + "\n"
                + signedHeaders + "\n" + Hex(SHA256.HashData(Array.Empty<byte>()));
            string scope = amzDate.Substring(0, 8) + "/" + region + "/sts/aws4_request";
            string signature = Sign(secret, amzDate, scope, canonical);
            request.Headers.TryAddWithoutValidation("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
            return request;
        }

        /// <summary>A presigned GET URL, as tools that hand an identity proof to a third party build it.</summary>
        public static Uri Presign(Uri endpoint, string query, string accessKeyId, string secret, int expiresSeconds, DateTimeOffset? at = null, string sessionToken = null)
        {
            var time = at ?? DateTimeOffset.UtcNow;
            string amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'");
            string scope = amzDate.Substring(0, 8) + "/us-east-1/sts/aws4_request";
            string full = query
                + "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=" + Uri.EscapeDataString(accessKeyId + "/" + scope)
                + "&X-Amz-Date=" + amzDate
                + "&X-Amz-Expires=" + expiresSeconds
                + "&X-Amz-SignedHeaders=host"
                + (sessionToken == null ? "" : "&X-Amz-Security-Token=" + Uri.EscapeDataString(sessionToken));
            string canonical = "GET\n/\n" + CanonicalQuery(full) + "\nhost:" + endpoint.Authority + "\n\nhost\n" + Hex(SHA256.HashData(Array.Empty<byte>()));
            return new Uri(endpoint, "/?" + full + "&X-Amz-Signature=" + Sign(secret, amzDate, scope, canonical));
        }

        private static string CanonicalQuery(string query)
            => string.Join("&", query.Split('&')
                .Select(p => p.Split('=', 2))
                .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
                .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => p.Name + "=" + p.Value));

        // Uri.EscapeDataString leaves exactly RFC 3986's unreserved characters alone.
        private static string Encode(string s) => Uri.EscapeDataString(s);

        private static string Sign(string secret, string amzDate, string scope, string canonical)
        {
            string stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
            byte[] key = Encoding.UTF8.GetBytes("AWS4" + secret);
            foreach (string part in scope.Split('/')) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
            return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        }

        private static string Hex(byte[] b) => Convert.ToHexStringLower(b);
    }

    /// <summary>A clock stopped in the middle of the current 30 s TOTP step, for tests that must not straddle a step boundary.</summary>
    internal sealed class FrozenClock : TimeProvider
    {
        public FrozenClock()
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Now = DateTimeOffset.FromUnixTimeSeconds(now - now % 30 + 15);
        }

        public DateTimeOffset Now { get; }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A TimeProvider a test can move, for expiry and clock-skew behaviour.</summary>
    internal sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + Offset;
    }

    /// <summary>
    /// Runs a real program (the AWS CLI v2, oathtool, sh) with an environment built only for it: every AWS_*
    /// variable of the test process is dropped and HOME and the AWS config files point at empty temporary
    /// files, so neither the machine's profile nor another test can leak in.
    /// </summary>
    internal sealed class ChildProcess : IDisposable
    {
        public static string AwsCli => Environment.GetEnvironmentVariable("AWSVAULT_TEST_AWS_CLI") is { Length: > 0 } p ? p : "/usr/bin/aws";
        public const string OathTool = "/usr/bin/oathtool";

        private readonly string _home;

        public ChildProcess()
        {
            _home = Path.Combine(Path.GetTempPath(), "sts-cli-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(_home);
            ConfigFile = Path.Combine(_home, "config");
            CredentialsFile = Path.Combine(_home, "credentials");
            File.WriteAllText(ConfigFile, "");
            File.WriteAllText(CredentialsFile, "");
        }

        public string ConfigFile { get; }
        public string CredentialsFile { get; }

        public (int ExitCode, string Stdout, string Stderr) Run(string fileName, IEnumerable<string> args, IDictionary<string, string> environment)
        {
            Assert.True(File.Exists(fileName), fileName + " is required for this test (the CI script installs it).");
            var psi = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string a in args) psi.ArgumentList.Add(a);
            foreach (string name in psi.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(name);
            psi.Environment["HOME"] = _home;
            psi.Environment["AWS_CONFIG_FILE"] = ConfigFile;
            psi.Environment["AWS_SHARED_CREDENTIALS_FILE"] = CredentialsFile;
            psi.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            psi.Environment["AWS_PAGER"] = "";
            // One attempt unless a test asks for the CLI's retries, so calls map one-to-one onto requests.
            psi.Environment["AWS_MAX_ATTEMPTS"] = "1";
            foreach (var kv in environment) psi.Environment[kv.Key] = kv.Value;

            using var process = Process.Start(psi);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(fileName + " did not finish in 2 minutes.");
            }
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }

        /// <summary>`aws sts ARGS --endpoint-url E --region us-east-1 --output json` with these credentials.</summary>
        public (int ExitCode, string Stdout, string Stderr) Aws(Uri endpoint, string accessKeyId, string secret, string sessionToken, IDictionary<string, string> extraEnvironment, params string[] args)
        {
            var env = new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = accessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = secret,
            };
            if (sessionToken != null) env["AWS_SESSION_TOKEN"] = sessionToken;
            if (extraEnvironment != null) foreach (var kv in extraEnvironment) env[kv.Key] = kv.Value;
            var all = new List<string> { "sts" };
            all.AddRange(args);
            all.AddRange(new[] { "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", "us-east-1", "--output", "json" });
            return Run(AwsCli, all, env);
        }

        public void Dispose()
        {
            try { Directory.Delete(_home, true); } catch (IOException) { }
        }
    }
}
