using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using AwsVault.Sso;

namespace AwsVault.Tests.Sso.SignIn
{
    /// <summary>Secret values distinctive enough to be found in any text they leak into.</summary>
    internal static class Secrets
    {
        public const string ClientSecret = "CLIENTSECRET-7f3a";
        public const string AccessToken = "ACCESSTOKEN-91bc";
        public const string RefreshToken = "REFRESHTOKEN-44de";
        public const string NewAccessToken = "ACCESSTOKEN-NEW-5e1f";
        public const string NewRefreshToken = "REFRESHTOKEN-NEW-a0c2";
        public const string DeviceCode = "DEVICECODE-2b7d";

        public static readonly string[] All = { ClientSecret, AccessToken, RefreshToken, NewAccessToken, NewRefreshToken, DeviceCode };
    }

    /// <summary>Records every OIDC call; answers CreateToken from a script (a result or an SsoCallException per call).</summary>
    internal sealed class FakeOidc : ISsoOidcClient
    {
        private readonly Func<DateTimeOffset> _now;

        public FakeOidc(Func<DateTimeOffset> now) => _now = now;

        public List<string> Calls { get; } = new List<string>();
        public List<SsoClientRequest> Registrations { get; } = new List<SsoClientRequest>();
        public List<SsoTokenGrant> Grants { get; } = new List<SsoTokenGrant>();
        public List<SsoClientRegistration> GrantClients { get; } = new List<SsoClientRegistration>();
        public Queue<object> TokenAnswers { get; } = new Queue<object>();
        public SsoDeviceAuthorization Device { get; set; } = new SsoDeviceAuthorization
        {
            DeviceCode = Secrets.DeviceCode,
            UserCode = "ABCD-EFGH",
            VerificationUri = "https://device.sso.eu-west-1.amazonaws.com/",
            VerificationUriComplete = "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
            ExpiresInSeconds = 600,
            IntervalSeconds = 5,
        };
        public int RegistrationCount;

        public SsoClientRegistration RegisterClient(SsoEndpoint endpoint, SsoClientRequest request)
        {
            Calls.Add("RegisterClient");
            Registrations.Add(request);
            RegistrationCount++;
            return new SsoClientRegistration("client-" + RegistrationCount, Secrets.ClientSecret, _now().AddDays(90), request.Scopes);
        }

        public SsoDeviceAuthorization StartDeviceAuthorization(SsoEndpoint endpoint, SsoClientRegistration client, string startUrl)
        {
            Calls.Add("StartDeviceAuthorization");
            return Device;
        }

        public SsoTokenResult CreateToken(SsoEndpoint endpoint, SsoClientRegistration client, SsoTokenGrant grant)
        {
            Calls.Add("CreateToken:" + (grant.GrantType == SsoTokenGrant.DeviceCodeType ? "device_code" : grant.GrantType));
            Grants.Add(grant);
            GrantClients.Add(client);
            if (TokenAnswers.Count == 0) throw new InvalidOperationException("The test scripted no more CreateToken answers.");
            object answer = TokenAnswers.Dequeue();
            if (answer is SsoCallException e) throw e;
            return (SsoTokenResult)answer;
        }

        public static SsoCallException Error(string code) =>
            new SsoCallException(code, code + " from the fake service", 400, isNetworkFailure: false);
    }

    internal sealed class MemoryTokenStore : ISsoTokenStore
    {
        public Dictionary<string, SsoStoredToken> Tokens { get; } = new Dictionary<string, SsoStoredToken>();
        public int Writes;

        public SsoStoredToken Get(string tokenKey) => Tokens.TryGetValue(tokenKey, out var t) ? t : null;

        public void Set(string tokenKey, SsoStoredToken token)
        {
            Writes++;
            Tokens[tokenKey] = token;
        }

        public bool Remove(string tokenKey) => Tokens.Remove(tokenKey);
    }

    /// <summary>Starts at a fixed time; Sleep only moves the time on and records how long it was asked to wait.</summary>
    internal sealed class FakeClock : ISsoClock
    {
        public DateTimeOffset UtcNow { get; set; } = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        public List<TimeSpan> Sleeps { get; } = new List<TimeSpan>();

        public void Sleep(TimeSpan duration, System.Threading.CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            Sleeps.Add(duration);
            UtcNow += duration;
        }
    }

    /// <summary>
    /// A browser that, when opened on the authorize URL, "clicks": it GETs the redirect_uri of the URL on the real
    /// loopback listener with a code and the URL's state (or what the test says instead).
    /// </summary>
    internal sealed class FakeBrowser : IBrowser
    {
        public string WhyNot { get; set; }
        public bool StartFails { get; set; }
        public bool Click { get; set; } = true;
        public string Code { get; set; } = "AUTHCODE-1";
        public string StateOverride { get; set; }
        public string Error { get; set; }
        public List<string> Opened { get; } = new List<string>();
        public Task<HttpResponseMessage> Callback { get; private set; }

        public string WhyCannotOpen() => WhyNot;

        public bool Open(string url)
        {
            Opened.Add(url);
            if (StartFails) return false;
            if (Click && url.Contains("/authorize?"))
            {
                var q = AwsVault.Sso.LoopbackRedirect.ParseQuery(new Uri(url).Query.TrimStart('?'));
                string state = StateOverride ?? q["state"];
                string target = q["redirect_uri"] + "?" + (Error != null ? "error=" + Error + "&error_description=User%20said%20no" : "code=" + Code) +
                                "&state=" + Uri.EscapeDataString(state);
                Callback = Task.Run(async () =>
                {
                    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                    return await http.GetAsync(target);
                });
            }
            return true;
        }

        public IDictionary<string, string> LastQuery() => AwsVault.Sso.LoopbackRedirect.ParseQuery(new Uri(Opened.Last()).Query.TrimStart('?'));
    }
}
