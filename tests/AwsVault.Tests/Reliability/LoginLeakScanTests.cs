using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Login;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.Sts;
using AwsVault.Tests.StsEmulator;
using Xunit;
using Xunit.Abstractions;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// The leak scan of <see cref="LeakScanTests"/> for console sign-in: every stream (with -Verbose, -Debug and
    /// -WhatIf), every error and the host transcript, the files written outside the vault. No stored key, session secret,
    /// session token, sign-in token or login URL may appear. The exceptions are the places whose purpose is to hand the
    /// URL out: Get-AwsVaultLoginUrl's and Open-AwsVaultConsole -PassThru's output, and what the browser is given.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class LoginLeakScanTests
    {
        private readonly ITestOutputHelper _output;
        private readonly List<(string Where, string Text)> _seen = new List<(string, string)>();
        private readonly SecretWatch _watch = new SecretWatch();
        private readonly List<string> _urls = new List<string>();

        public LoginLeakScanTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void NoSignInScenarioShowsAKeyTokenSigninTokenOrUrl()
        {
            using var f = LoginCommandTests.Fixture();
            using var browser = new LoginCommandTests.RecordingBrowser();
            f.Env.Set("BROWSER", browser.Script);
            _watch.Add("alice's secret key", EmulatedSts.AliceSecret);
            _watch.Add("bob's secret key", EmulatedSts.BobSecret);
            _watch.Add("the vault passphrase", TestEnvironment.Passphrase);

            Run(f, "key-only URL", "Get-AwsVaultLoginUrl bob -Verbose -Debug -Destination /s3", url: true);
            Run(f, "key-only URL with an ignored mfa_serial", "Get-AwsVaultLoginUrl alice -Verbose -Debug", url: true);
            Run(f, "role URL with MFA", "Get-AwsVaultLoginUrl admin -MfaToken " + f.Code() + " -Verbose -Debug", url: true);
            Run(f, "cached role URL", "Get-AwsVaultLoginUrl admin -Verbose -Debug -Duration 1h", url: true);
            Run(f, "role URL", "Get-AwsVaultLoginUrl readonly -Verbose -Debug -Region cn-north-1", url: true);
            Run(f, "open -WhatIf", "Open-AwsVaultConsole bob -WhatIf -Verbose -Debug -PassThru");
            Run(f, "open -PassThru", "Open-AwsVaultConsole readonly -PassThru -Verbose -Debug", url: true);
            _urls.Add(browser.Opened());
            File.Delete(browser.Record);
            Run(f, "open", "Open-AwsVaultConsole bob -Verbose -Debug");
            _urls.Add(browser.Opened());

            f.World.Faults.Enqueue("getSigninToken", Fault.ForeignReply(400, "text/plain", "refused"));
            Fails(f, "refused", "Get-AwsVaultLoginUrl readonly -Verbose -Debug", "LoginSigninTokenRefused");
            f.World.Faults.Enqueue("getSigninToken", Fault.ServerError(500));
            Fails(f, "endpoint failure", "Get-AwsVaultLoginUrl bob -Verbose -Debug", "LoginFederationUnavailable");
            f.World.Faults.Enqueue("getSigninToken", Fault.ForeignReply(200, "text/plain", "not json"));
            Fails(f, "foreign reply", "Get-AwsVaultLoginUrl bob -Verbose -Debug", "LoginFederationUnexpectedResponse");
            f.World.Faults.Enqueue("GetFederationToken", Fault.Error(403, "AccessDenied", "not authorized to perform: sts:GetFederationToken"));
            Fails(f, "GetFederationToken refused", "Get-AwsVaultLoginUrl bob -Verbose -Debug", "StsAccessDenied");
            Fails(f, "bad destination", "Get-AwsVaultLoginUrl bob -Destination 'ftp://x' -Verbose -Debug", "LoginDestinationInvalid");
            f.Env.Set("BROWSER", "none");
            Fails(f, "no browser", "Open-AwsVaultConsole bob -Verbose -Debug", "LoginBrowserUnavailable");
            f.Env.Set("AWS_ENDPOINT_URL_SIGNIN", "http://127.0.0.1:9");
            Fails(f, "unreachable endpoint", "Get-AwsVaultLoginUrl bob -Verbose -Debug", "LoginFederationConnectionFailed");

            foreach (var issued in f.World.Sessions)
            {
                _watch.Add("a session secret key issued by STS", issued.SecretAccessKey);
                _watch.Add("a session token issued by STS", issued.SessionToken);
            }
            foreach (var call in f.World.FederationCalls) _watch.Add("a sign-in token", call.SigninToken);
            Assert.True(_urls.Count >= 7 && _urls.All(u => u != null), "every sign-in gave a URL");
            // A URL's own secret is its sign-in token (watched above, in pieces too); its start is the endpoint, which
            // messages name, so the URL itself is looked for whole, and no capture may hold a login query at all.

            _seen.Add(("the host transcript", f.Host.ScriptedUI.Transcript.ToString()));
            foreach (string file in LeakScanTests.FilesOutsideTheVault(f.Env.Root, f.Env.VaultDirectory))
            {
                // The browser's record holds the URL by design (TMPDIR, and so the folder, is under the test's root).
                if (file == Path.GetFullPath(f.Env.ConfigFile) || file.StartsWith(Path.GetFullPath(browser.Folder), StringComparison.Ordinal)) continue;
                _seen.Add(("the file " + file, File.ReadAllText(file)));
            }

            foreach (var (where, text) in _seen)
            {
                _watch.AssertAbsent(where, text);
                foreach (string url in _urls) Assert.False(text.Contains(url, StringComparison.Ordinal), "a login URL appeared in " + where + ".");
                Assert.False(text.Contains("SigninToken=", StringComparison.Ordinal), "a login query appeared in " + where + ".");
            }
            // The scan sees a token where one is: the URLs hold them.
            Assert.Throws<Xunit.Sdk.FailException>(() => _watch.AssertAbsent("the URLs handed out", string.Join("\n", _urls)));
            _output.WriteLine(_seen.Count + " captures scanned for " + _watch.Count + " secrets.");
        }

        private void Run(SessionFixture f, string scenario, string script, bool url = false)
        {
            var r = LoudRun.Succeeds(f.Ps, scenario, script);
            if (url) _urls.Add((string)r.Output.Single().BaseObject);
            _seen.Add((scenario, Visible.Of(r, includeOutput: !url)));
        }

        private void Fails(SessionFixture f, string scenario, string script, string errorId)
        {
            var r = LoudRun.FailsWith(f.Ps, scenario, script, errorId);
            _seen.Add((scenario + " (" + errorId + ")", Visible.Of(r)));
        }
    }
}
