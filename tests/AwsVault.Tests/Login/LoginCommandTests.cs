using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using AwsVault.Credentials;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;

namespace AwsVault.Tests.Login
{
    /// <summary>
    /// Console sign-in through PowerShell (Get-AwsVaultLoginUrl, Open-AwsVaultConsole) against the STS emulator, whose
    /// federation endpoint is reached the standard way, through AWS_ENDPOINT_URL_SIGNIN: the STS call plan, the
    /// getSigninToken call, the URL's parameters, and following the URL to the console.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class LoginCommandTests
    {
        internal static SessionFixture Fixture()
        {
            var f = new SessionFixture();
            f.Env.Set("AWS_ENDPOINT_URL_SIGNIN", f.Sts.Endpoint);
            return f;
        }

        internal static IReadOnlyDictionary<string, string> Query(string url)
        {
            var uri = new Uri(url);
            return uri.Query.TrimStart('?').Split('&')
                .Select(p => p.Split(new[] { '=' }, 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
        }

        internal static string Url(ScriptResult r) => (string)Assert.Single(r.Output).BaseObject;

        /// <summary>A BROWSER program that writes the URL it is given to a file (outside the test's HOME).</summary>
        internal sealed class RecordingBrowser : IDisposable
        {
            public RecordingBrowser()
            {
                Folder = Path.Combine(Path.GetTempPath(), "awsvault-browser-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(Folder);
                Script = Path.Combine(Folder, "browser.sh");
                Record = Path.Combine(Folder, "opened.txt");
                File.WriteAllText(Script, "#!/bin/sh\nprintf '%s' \"$1\" > \"" + Record + ".tmp\" && mv \"" + Record + ".tmp\" \"" + Record + "\"\n");
                File.SetUnixFileMode(Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            public string Folder { get; }
            public string Script { get; }
            public string Record { get; }

            /// <summary>What the browser was given; it runs on its own, so this waits for it a little.</summary>
            public string Opened(TimeSpan? wait = null)
            {
                var until = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(10));
                while (!File.Exists(Record) && DateTime.UtcNow < until) System.Threading.Thread.Sleep(50);
                return File.Exists(Record) ? File.ReadAllText(Record) : null;
            }

            public void Dispose()
            {
                try { Directory.Delete(Folder, true); } catch (IOException) { }
            }
        }

        [Fact]
        public void AKeyOnlyProfileSignsInWithOneGetFederationTokenAndOneSigninToken()
        {
            using var f = Fixture();
            var r = f.Ps.Run("Get-AwsVaultLoginUrl bob -Verbose").ThrowIfErrors();
            string url = Url(r);

            Assert.StartsWith(f.Sts.Endpoint.TrimEnd('/') + "/federation?Action=login&", url);
            var q = Query(url);
            Assert.Equal("login", q["Action"]);
            Assert.Equal("AwsVault", q["Issuer"]);
            Assert.Equal("https://console.aws.amazon.com/console/home?region=us-west-2", q["Destination"]);

            // aws-vault's plan: GetCallerIdentity names the federated user, then one GetFederationToken with the stored key.
            Assert.Equal(new[] { "GetCallerIdentity", "GetFederationToken" }, f.World.Calls.Select(c => c.Action).ToArray());
            Assert.All(f.World.Calls, c => Assert.Equal(EmulatedSts.BobKeyId, c.CallerAccessKeyId));
            var gft = f.World.CallsTo("GetFederationToken").Single();
            Assert.Equal("bob", gft.Parameters["Name"]);
            Assert.Equal("3600", gft.Parameters["DurationSeconds"]);
            Assert.Equal(FederationTokenProvider.AllowAllPolicy, gft.Parameters["Policy"]);
            Assert.Equal("us-west-2", gft.SigningRegion);

            var signin = Assert.Single(f.World.FederationCalls);
            Assert.Equal("getSigninToken", signin.Action);
            Assert.Null(signin.SessionDuration);
            Assert.Equal(q["SigninToken"], signin.SigninToken);
            var session = f.World.SigninTokenFor(q["SigninToken"]);
            Assert.True(session.IsFederatedUserSession);
            Assert.Equal("bob", session.FederatedUserName);
            Assert.Equal(gft.IssuedAccessKeyId, session.AccessKeyId);
            Assert.Contains(r.Verbose, v => v.Contains("GetFederationToken") && v.Contains("bob"));
            Assert.Contains(r.Verbose, v => v.Contains("getSigninToken") && v.Contains(session.AccessKeyId));

            // Following the URL signs in: the federation endpoint redirects to the destination.
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var login = http.GetAsync(url).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Found, login.StatusCode);
            Assert.Equal(q["Destination"], login.Headers.Location.ToString());
            Assert.Equal("AwsVault", f.World.FederationCalls.Last().Issuer);
        }

        [Fact]
        public void ARoleProfileSignsInWithTheRoleSessionAndNoGetFederationToken()
        {
            using var f = Fixture();
            string url = Url(f.Ps.Run("Get-AwsVaultLoginUrl readonly -Destination /s3").ThrowIfErrors());

            Assert.Equal(new[] { "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            var q = Query(url);
            Assert.Equal("https://console.aws.amazon.com/s3?region=us-west-2", q["Destination"]);
            var session = f.World.SigninTokenFor(q["SigninToken"]);
            Assert.Equal(f.World.Calls.Single().IssuedAccessKeyId, session.AccessKeyId);
            Assert.Equal(EmulatedSts.ReadOnlyArn, session.RoleArn);
            Assert.Null(Assert.Single(f.World.FederationCalls).SessionDuration);

            // -Duration is the role session's length and the console session's (-Refresh: the cached role session is
            // reused otherwise, whatever its length, as for Get-AwsVaultSession).
            f.World.ClearCalls();
            f.World.ClearFederationCalls();
            url = Url(f.Ps.Run("Get-AwsVaultLoginUrl readonly -Duration 45m -Region eu-central-1 -Refresh").ThrowIfErrors());
            Assert.Equal("2700", f.World.CallsTo("AssumeRole").Single().Parameters["DurationSeconds"]);
            Assert.Equal(2700, Assert.Single(f.World.FederationCalls).SessionDuration);
            Assert.Equal("https://console.aws.amazon.com/console/home?region=eu-central-1", Query(url)["Destination"]);
        }

        [Fact]
        public void AnMfaRoleChainReusesItsCachedSessionForTheNextSignIn()
        {
            using var f = Fixture();
            string first = Url(f.Ps.Run("Get-AwsVaultLoginUrl admin -MfaToken " + f.Code()).ThrowIfErrors());
            Assert.Equal(new[] { "GetSessionToken", "AssumeRole" }, f.World.Calls.Select(c => c.Action).ToArray());
            Assert.True(f.World.CallsTo("GetSessionToken").Single().UsedMfa);
            Assert.Equal(EmulatedSts.AdminArn, f.World.SigninTokenFor(Query(first)["SigninToken"]).RoleArn);

            f.World.ClearCalls();
            string second = Url(f.Ps.Run("Get-AwsVaultLoginUrl admin").ThrowIfErrors());
            Assert.Empty(f.World.Calls);
            Assert.Empty(f.Host.ScriptedUI.Prompts);
            Assert.Equal(2, f.World.FederationCalls.Count);
            Assert.NotEqual(Query(first)["SigninToken"], Query(second)["SigninToken"]);
            Assert.Equal(f.World.SigninTokenFor(Query(first)["SigninToken"]).AccessKeyId, f.World.SigninTokenFor(Query(second)["SigninToken"]).AccessKeyId);
        }

        [Fact]
        public void AnSsoProfileSignsInWithItsRoleCredentialsAndNoGetFederationToken()
        {
            using var f = new AwsVault.Tests.Sso.SsoFixture();
            f.Env.Set("AWS_ENDPOINT_URL_SIGNIN", f.Sso.Endpoint);
            string url = Url(f.Ps.Run("Get-AwsVaultLoginUrl dev").ThrowIfErrors());

            Assert.Equal(1, f.RoleCredentialCalls);
            Assert.Empty(f.World.Sts.Calls);
            var q = Query(url);
            Assert.Equal("https://console.aws.amazon.com/console/home?region=eu-west-1", q["Destination"]);
            var session = f.World.Sts.SigninTokenFor(q["SigninToken"]);
            Assert.True(session.IsRoleSession);
            Assert.False(session.IsFederatedUserSession);
            Assert.Equal("getSigninToken", Assert.Single(f.World.Sts.FederationCalls).Action);

            // The role credentials are cached like any SSO session: a second sign-in calls IAM Identity Center no more.
            Url(f.Ps.Run("Get-AwsVaultLoginUrl dev").ThrowIfErrors());
            Assert.Equal(1, f.RoleCredentialCalls);
            Assert.Equal(2, f.World.Sts.FederationCalls.Count);
        }

        [Fact]
        public void AKeyOnlyProfileWithAnMfaSerialSignsInWithoutMfaAndSaysSo()
        {
            using var f = Fixture();
            f.Env.Set("AWS_FEDERATION_TOKEN_TTL", "90m");
            var r = f.Ps.Run("Get-AwsVaultLoginUrl alice -Verbose").ThrowIfErrors();
            Url(r);
            Assert.Equal(new[] { "GetCallerIdentity", "GetFederationToken" }, f.World.Calls.Select(c => c.Action).ToArray());
            Assert.Equal("5400", f.World.CallsTo("GetFederationToken").Single().Parameters["DurationSeconds"]);
            Assert.Empty(f.Host.ScriptedUI.Prompts);
            Assert.Contains(r.Verbose, v => v.Contains(f.Serial) && v.Contains("not used") && v.Contains("GetFederationToken takes no MFA"));
        }

        [Fact]
        public void OpenWithWhatIfNamesTheProfileAndDestinationAndCallsNothing()
        {
            using var f = Fixture();
            using var browser = new RecordingBrowser();
            f.Env.Set("BROWSER", browser.Script);
            var r = f.Ps.Run("Open-AwsVaultConsole bob -Destination /s3 -WhatIf -PassThru").ThrowIfErrors();

            Assert.Empty(r.Output);
            Assert.Empty(f.World.Calls);
            Assert.Empty(f.World.FederationCalls);
            Assert.Null(browser.Opened(TimeSpan.FromSeconds(1)));
            string said = f.Host.ScriptedUI.Transcript.ToString();
            Assert.Contains("profile 'bob'", said);
            Assert.Contains("https://console.aws.amazon.com/s3?region=us-west-2", said);
        }

        [Fact]
        public void OpenGivesTheBrowserExactlyTheUrlAndPassThruReturnsIt()
        {
            using var f = Fixture();
            using var browser = new RecordingBrowser();
            f.Env.Set("BROWSER", browser.Script);

            var r = f.Ps.Run("Open-AwsVaultConsole readonly -PassThru").ThrowIfErrors();
            string url = Url(r);
            Assert.Equal(url, browser.Opened());
            Assert.Equal(EmulatedSts.ReadOnlyArn, f.World.SigninTokenFor(Query(url)["SigninToken"]).RoleArn);

            // Without -PassThru nothing is written; the profile can come from the pipeline by name.
            File.Delete(browser.Record);
            var quiet = f.Ps.Run("[pscustomobject]@{ ProfileName = 'bob'; Destination = '/iam' } | Open-AwsVaultConsole").ThrowIfErrors();
            Assert.Empty(quiet.Output);
            var q = Query(browser.Opened());
            Assert.Equal("https://console.aws.amazon.com/iam?region=us-west-2", q["Destination"]);
            Assert.Equal("bob", f.World.SigninTokenFor(q["SigninToken"]).FederatedUserName);
        }

        [Fact]
        public void OpenWithoutABrowserFailsBeforeAnyCall()
        {
            using var f = Fixture();
            f.Env.Set("BROWSER", "none");
            var r = f.Ps.RunCatching("Open-AwsVaultConsole bob");
            AssertError(r, "LoginBrowserUnavailable", ErrorCategory.ResourceUnavailable);
            Assert.Contains("Get-AwsVaultLoginUrl", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
            Assert.Empty(f.World.FederationCalls);
        }

        [Theory]
        [InlineData("ftp://example.com/x")]
        [InlineData("javascript:alert(1)")]
        [InlineData("http://console.aws.amazon.com/")]
        [InlineData("//evil.example/s3")]
        [InlineData("/s3 buckets")]
        public void ADestinationThatIsNeitherAConsolePathNorAnHttpsUrlIsRefusedBeforeAnyCall(string destination)
        {
            using var f = Fixture();
            var r = f.Ps.RunCatching("Get-AwsVaultLoginUrl bob -Destination '" + destination + "'");
            AssertError(r, "LoginDestinationInvalid", ErrorCategory.InvalidArgument);
            Assert.Contains(destination, r.Terminating.Exception.Message);
            Assert.Contains("/s3", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
            Assert.Empty(f.World.FederationCalls);
        }

        [Theory]
        [InlineData("-Duration 10m", null)]
        [InlineData("-Duration 37h", null)]
        [InlineData("", "40h")]
        public void AFederationTokenDurationOutOfRangeIsRefusedBeforeAnyCall(string parameter, string ttl)
        {
            using var f = Fixture();
            f.Env.Set("AWS_FEDERATION_TOKEN_TTL", ttl);
            var r = f.Ps.RunCatching("Get-AwsVaultLoginUrl bob " + parameter);
            AssertError(r, "InvalidDuration", ErrorCategory.InvalidArgument);
            Assert.Contains("GetFederationToken", r.Terminating.Exception.Message);
            Assert.Contains(ttl != null ? "AWS_FEDERATION_TOKEN_TTL" : "-Duration", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void AGetFederationTokenStsRefusesIsStsAccessDeniedWithWhatToAllow()
        {
            using var f = Fixture();
            f.World.Faults.Enqueue("GetFederationToken", Fault.Error(403, "AccessDenied", "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:GetFederationToken"));
            var r = f.Ps.RunCatching("Get-AwsVaultLoginUrl bob");
            AssertError(r, "StsAccessDenied", ErrorCategory.PermissionDenied);
            Assert.Contains("sts:GetFederationToken", r.Terminating.Exception.Message);
            Assert.Contains("role_arn", r.Terminating.Exception.Message);
            Assert.Empty(f.World.FederationCalls);
        }

        [Fact]
        public void TheFederationEndpointRefusingTheSessionIsLoginSigninTokenRefused()
        {
            using var f = Fixture();
            f.World.Faults.Enqueue("getSigninToken", Fault.ForeignReply(400, "text/plain", "session refused"));
            var r = f.Ps.RunCatching("Get-AwsVaultLoginUrl readonly");
            AssertError(r, "LoginSigninTokenRefused", ErrorCategory.AuthenticationError);
            string message = r.Terminating.Exception.Message;
            Assert.Contains("HTTP 400: session refused", message);
            Assert.Contains(f.World.CallsTo("AssumeRole").Single().IssuedAccessKeyId, message);
            Assert.Contains("GetSessionToken", message);

            // A real refusal: the endpoint takes no SessionDuration for a federated user (the module never sends one).
            f.World.ClearFederationCalls();
            Url(f.Ps.Run("Get-AwsVaultLoginUrl bob -Duration 2h").ThrowIfErrors());
            Assert.Null(Assert.Single(f.World.FederationCalls).SessionDuration);
        }

        [Fact]
        public void AFederationEndpointThatFailsOrCannotBeReachedHasItsOwnIds()
        {
            using var f = Fixture();
            f.World.Faults.Enqueue("getSigninToken", Fault.ServerError(503));
            AssertError(f.Ps.RunCatching("Get-AwsVaultLoginUrl readonly"), "LoginFederationUnavailable", ErrorCategory.ResourceUnavailable);

            f.World.Faults.Enqueue("getSigninToken", Fault.ForeignReply(200, "text/html", "<html>captive portal</html>"));
            AssertError(f.Ps.RunCatching("Get-AwsVaultLoginUrl readonly"), "LoginFederationUnexpectedResponse", ErrorCategory.InvalidResult);

            // Nothing listens on port 9 of the loopback.
            f.Env.Set("AWS_ENDPOINT_URL_SIGNIN", "http://127.0.0.1:9");
            var r = f.Ps.RunCatching("Get-AwsVaultLoginUrl readonly");
            AssertError(r, "LoginFederationConnectionFailed", ErrorCategory.ConnectionError);
            Assert.Contains("http://127.0.0.1:9/federation", r.Terminating.Exception.Message);
            Assert.Contains("AWS_ENDPOINT_URL_SIGNIN", r.Terminating.Exception.Message);
        }

        [Theory]
        [InlineData("ftp://signin.example")]
        [InlineData("not a url")]
        [InlineData("https://signin.example/?x=1")]
        public void AnEndpointVariableThatIsNoBaseUrlIsRefusedBeforeAnyCall(string value)
        {
            using var f = Fixture();
            f.Env.Set("AWS_ENDPOINT_URL_SIGNIN", value);
            var r = f.Ps.RunCatching("Get-AwsVaultLoginUrl bob");
            AssertError(r, "LoginEndpointInvalid", ErrorCategory.InvalidArgument);
            Assert.Contains("AWS_ENDPOINT_URL_SIGNIN", r.Terminating.Exception.Message);
            Assert.Empty(f.World.Calls);
        }

        [Fact]
        public void TheCommandsAreExportedWithHelpACompleterAndPipelineBinding()
        {
            using var f = Fixture();
            var r = f.Ps.Run(
                "foreach ($c in 'Get-AwsVaultLoginUrl', 'Open-AwsVaultConsole') { " +
                "$p = (Get-Command $c).Parameters['ProfileName']; " +
                "$c + ':' + [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }) + ':' + " +
                "[bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName }) + ':' + " +
                "(Get-Command $c).Parameters.ContainsKey('WhatIf') }").ThrowIfErrors();
            Assert.Equal(new[] { "Get-AwsVaultLoginUrl:True:True:False", "Open-AwsVaultConsole:True:True:True" }, r.Output.Select(o => o.ToString()).ToArray());
            // A profile piped from Get-AwsVaultProfile binds (and brings its vault along).
            var piped = f.Ps.Run("Get-AwsVaultProfile bob | Get-AwsVaultLoginUrl").ThrowIfErrors();
            Assert.Equal("bob", f.World.SigninTokenFor(Query(Url(piped))["SigninToken"]).FederatedUserName);
            var completion = f.Ps.Run("(TabExpansion2 -inputScript 'Get-AwsVaultLoginUrl rea' -cursorColumn 24).CompletionMatches.CompletionText").ThrowIfErrors();
            Assert.Contains("readonly", completion.Output.Select(o => o.ToString()));
        }
    }
}
