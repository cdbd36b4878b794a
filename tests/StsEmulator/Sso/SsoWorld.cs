using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsVault.Tests.Sts.Sso
{
    /// <summary>
    /// Everything IAM Identity Center knows for one signed-in user: the start URL and region, accounts and the
    /// roles assigned in them, registered OIDC clients, device and browser authorizations, tokens, and every
    /// call answered. It shares the lock and the clock of its <see cref="Sts"/> world, and role credentials from
    /// GetRoleCredentials become sessions there, so STS accepts them (an SSO profile as a source_profile).
    /// </summary>
    public sealed class SsoWorld
    {
        private static readonly Regex AccountPattern = new Regex(@"^\d{12}$", RegexOptions.CultureInvariant);
        private const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ";

        private readonly List<string> _startUrls = new List<string>();
        private readonly List<SsoAccount> _accounts = new List<SsoAccount>();
        private readonly List<SsoRoleAssignment> _assignments = new List<SsoRoleAssignment>();
        private readonly Dictionary<string, SsoClient> _clients = new Dictionary<string, SsoClient>(StringComparer.Ordinal);
        private readonly Dictionary<string, SsoDeviceAuthorization> _devices = new Dictionary<string, SsoDeviceAuthorization>(StringComparer.Ordinal);
        private readonly Dictionary<string, AuthorizationCode> _codes = new Dictionary<string, AuthorizationCode>(StringComparer.Ordinal);
        private readonly List<SsoToken> _tokens = new List<SsoToken>();
        private readonly Queue<SsoPoll> _pollScript = new Queue<SsoPoll>();
        private readonly List<SsoCall> _calls = new List<SsoCall>();

        public SsoWorld(StsWorld sts = null, string startUrl = DefaultStartUrl, string region = "us-east-1")
        {
            Sts = sts ?? new StsWorld();
            Region = region;
            AddStartUrl(startUrl);
        }

        public const string DefaultStartUrl = "https://d-9067example.awsapps.com/start";
        public const string AccessScope = "sso:account:access";
        public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

        /// <summary>The STS world whose lock, clock and sessions this world shares.</summary>
        public StsWorld Sts { get; }

        internal object Gate => Sts.Gate;
        public DateTimeOffset Now => Sts.Now;

        /// <summary>The Identity Center region (recorded only: any region's endpoint is this server).</summary>
        public string Region { get; set; }

        /// <summary>Injected faults, keyed by action name (CreateToken, GetRoleCredentials, …) or "*".
        /// Throttle is 429 TooManyRequestsException here.</summary>
        public FaultInjector Faults { get; } = new FaultInjector();

        // ---- knobs ------------------------------------------------------------------------------------

        /// <summary>The name role sessions carry (arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_…/UserName).</summary>
        public string UserName { get; set; } = "alice@example.com";

        /// <summary>What the user does on the sign-in page; see <see cref="SsoUserDecision"/>.</summary>
        public SsoUserDecision Decision { get; set; } = SsoUserDecision.Approve;

        /// <summary>Device flow: polls answered authorization_pending before the user's decision shows.</summary>
        public int PendingPolls { get; set; }

        /// <summary>Device flow: a poll sooner than the interval after the previous one is slow_down (RFC 8628).
        /// Off by default so tests that poll as fast as they like stay deterministic.</summary>
        public bool EnforcePollInterval { get; set; }

        /// <summary>The interval StartDeviceAuthorization advertises, in seconds.</summary>
        public int PollIntervalSeconds { get; set; } = 1;

        public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
        public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);
        public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(8);
        public TimeSpan ClientRegistrationLifetime { get; set; } = TimeSpan.FromDays(90);

        /// <summary>How long GetRoleCredentials keys live (Sts.CredentialLifetimeOverride still wins).</summary>
        public TimeSpan RoleCredentialLifetime { get; set; } = TimeSpan.FromHours(1);

        /// <summary>Answers for the next device-code polls, ahead of <see cref="PendingPolls"/> and <see cref="Decision"/>.</summary>
        public void ScriptPolls(params SsoPoll[] answers)
        {
            lock (Gate) foreach (var a in answers) _pollScript.Enqueue(a);
        }

        // ---- directory --------------------------------------------------------------------------------

        public IReadOnlyList<string> StartUrls { get { lock (Gate) return _startUrls.ToArray(); } }

        /// <summary>Another start URL StartDeviceAuthorization accepts (any when the list is empty).</summary>
        public void AddStartUrl(string startUrl)
        {
            if (string.IsNullOrEmpty(startUrl)) return;
            lock (Gate) if (!_startUrls.Contains(startUrl)) _startUrls.Add(startUrl);
        }

        public SsoAccount AddAccount(string accountId, string name, string email = null)
        {
            if (accountId == null || !AccountPattern.IsMatch(accountId)) throw new ArgumentException("'" + accountId + "' is not a 12-digit account id.", nameof(accountId));
            var account = new SsoAccount { AccountId = accountId, Name = name ?? accountId, Email = email ?? "aws+" + accountId + "@example.com" };
            lock (Gate)
            {
                if (_accounts.Any(a => a.AccountId == accountId)) throw new ArgumentException(accountId + " already exists.", nameof(accountId));
                _accounts.Add(account);
            }
            return account;
        }

        /// <summary>Assigns a permission set; the account is added (named after its id) when it is not there yet.
        /// The IAM role behind it is added to the STS world, trusting anyone, with a 12-hour maximum.</summary>
        public SsoRoleAssignment AssignRole(string accountId, string roleName)
        {
            if (string.IsNullOrEmpty(roleName)) throw new ArgumentException("A role name.", nameof(roleName));
            lock (Gate)
            {
                if (!_accounts.Any(a => a.AccountId == accountId)) AddAccount(accountId, accountId);
                var existing = _assignments.FirstOrDefault(r => r.AccountId == accountId && r.RoleName == roleName);
                if (existing != null) return existing;
                string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(accountId + "/" + roleName))).Substring(0, 16).ToLowerInvariant();
                var assignment = new SsoRoleAssignment
                {
                    AccountId = accountId,
                    RoleName = roleName,
                    RoleArn = "arn:aws:iam::" + accountId + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_" + roleName + "_" + hash,
                };
                if (Sts.Role(assignment.RoleArn) == null) Sts.AddRole(assignment.RoleArn, maxSessionDuration: 43200);
                _assignments.Add(assignment);
                return assignment;
            }
        }

        public IReadOnlyList<SsoAccount> Accounts { get { lock (Gate) return _accounts.ToArray(); } }
        public IReadOnlyList<SsoRoleAssignment> Assignments { get { lock (Gate) return _assignments.ToArray(); } }

        /// <summary>Accounts with at least one role assigned, in the order they were added (what ListAccounts shows).</summary>
        internal List<SsoAccount> VisibleAccountsLocked() => _accounts.Where(a => _assignments.Any(r => r.AccountId == a.AccountId)).ToList();
        internal List<SsoRoleAssignment> RolesLocked(string accountId) => _assignments.Where(r => r.AccountId == accountId).ToList();
        internal SsoRoleAssignment FindAssignmentLocked(string accountId, string roleName) => _assignments.FirstOrDefault(r => r.AccountId == accountId && r.RoleName == roleName);

        // ---- clients, authorizations, tokens ------------------------------------------------------------

        public IReadOnlyList<SsoClient> Clients { get { lock (Gate) return _clients.Values.OrderBy(c => c.IssuedAt).ToArray(); } }
        public SsoClient Client(string clientId) { lock (Gate) return clientId != null && _clients.TryGetValue(clientId, out var c) ? c : null; }

        /// <summary>Makes a registration's secret expired: its next use is InvalidClientException.</summary>
        public void ExpireClient(string clientId)
        {
            lock (Gate)
            {
                if (!_clients.TryGetValue(clientId ?? "", out var c)) throw new ArgumentException("No client " + clientId + ".", nameof(clientId));
                c.SecretExpiresAt = Now.AddSeconds(-1);
            }
        }

        public IReadOnlyList<SsoDeviceAuthorization> DeviceAuthorizations { get { lock (Gate) return _devices.Values.ToArray(); } }

        /// <summary>The user approves (true) or denies (false) the device authorization with this user code,
        /// as on the verification page; the next poll sees it.</summary>
        public void DecideDevice(string userCode, bool approve)
        {
            lock (Gate)
            {
                var d = _devices.Values.FirstOrDefault(x => x.UserCode == userCode) ?? throw new ArgumentException("No device authorization " + userCode + ".", nameof(userCode));
                d.Approved = approve;
            }
        }

        /// <summary>Makes every pending device code expired now.</summary>
        public void ExpireDeviceAuthorizations()
        {
            lock (Gate) foreach (var d in _devices.Values) d.ExpiresAt = Now.AddSeconds(-1);
        }

        public IReadOnlyList<SsoToken> Tokens { get { lock (Gate) return _tokens.ToArray(); } }

        public SsoToken Token(string accessToken) { lock (Gate) return _tokens.FirstOrDefault(t => t.AccessToken == accessToken); }

        /// <summary>Makes the access token expired: the portal answers 401 UnauthorizedException.</summary>
        public void ExpireAccessToken(string accessToken)
        {
            lock (Gate)
            {
                var t = _tokens.FirstOrDefault(x => x.AccessToken == accessToken) ?? throw new ArgumentException("No such access token.", nameof(accessToken));
                t.ExpiresAt = Now.AddSeconds(-1);
            }
        }

        internal sealed class AuthorizationCode
        {
            public string Code;
            public string ClientId;
            public string RedirectUri;
            public string CodeChallenge;
            public IReadOnlyList<string> Scopes;
            public DateTimeOffset ExpiresAt;
            public bool Used;
        }

        internal SsoClient FindClientLocked(string clientId) => clientId != null && _clients.TryGetValue(clientId, out var c) ? c : null;

        internal SsoClient RegisterClientLocked(string name, string type, IReadOnlyList<string> scopes, IReadOnlyList<string> grantTypes, IReadOnlyList<string> redirectUris, string issuerUrl)
        {
            var now = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
            var client = new SsoClient
            {
                ClientId = RandomToken(22),
                ClientSecret = "eyJraWQiOiJrZXktMSIsImFsZyI6IkhTMzg0In0." + RandomToken(200),
                ClientName = name,
                ClientType = type,
                Scopes = scopes,
                GrantTypes = grantTypes,
                RedirectUris = redirectUris,
                IssuerUrl = issuerUrl,
                IssuedAt = now,
                SecretExpiresAt = now + ClientRegistrationLifetime,
            };
            _clients[client.ClientId] = client;
            return client;
        }

        internal SsoDeviceAuthorization StartDeviceLocked(SsoClient client, string startUrl)
        {
            var now = Now;
            var d = new SsoDeviceAuthorization
            {
                DeviceCode = RandomToken(64),
                UserCode = RandomString(UserCodeAlphabet, 4) + "-" + RandomString(UserCodeAlphabet, 4),
                ClientId = client.ClientId,
                StartUrl = startUrl,
                ExpiresAt = now + DeviceCodeLifetime,
                Interval = PollIntervalSeconds,
            };
            _devices[d.DeviceCode] = d;
            return d;
        }

        internal SsoDeviceAuthorization FindDeviceLocked(string deviceCode) => deviceCode != null && _devices.TryGetValue(deviceCode, out var d) ? d : null;
        internal SsoDeviceAuthorization FindDeviceByUserCodeLocked(string userCode) => _devices.Values.FirstOrDefault(d => d.UserCode == userCode);

        internal SsoPoll? NextScriptedPollLocked() => _pollScript.Count > 0 ? _pollScript.Dequeue() : null;

        internal AuthorizationCode IssueCodeLocked(SsoClient client, string redirectUri, string challenge, IReadOnlyList<string> scopes)
        {
            var code = new AuthorizationCode
            {
                Code = RandomToken(43),
                ClientId = client.ClientId,
                RedirectUri = redirectUri,
                CodeChallenge = challenge,
                Scopes = scopes,
                ExpiresAt = Now + AuthorizationCodeLifetime,
            };
            _codes[code.Code] = code;
            return code;
        }

        internal AuthorizationCode FindCodeLocked(string code) => code != null && _codes.TryGetValue(code, out var c) ? c : null;

        internal SsoToken IssueTokenLocked(SsoClient client, string grantType, IReadOnlyList<string> scopes)
        {
            var now = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
            // Identity Center gives refresh tokens to clients registered with scopes or the refresh_token grant.
            bool refresh = client.Scopes.Count > 0 || client.GrantTypes.Contains("refresh_token");
            var token = new SsoToken
            {
                AccessToken = "aoa" + RandomToken(300),
                RefreshToken = refresh ? "aor" + RandomToken(300) : null,
                ClientId = client.ClientId,
                GrantType = grantType,
                Scopes = scopes ?? client.Scopes,
                IssuedAt = now,
                ExpiresAt = now + AccessTokenLifetime,
            };
            _tokens.Add(token);
            return token;
        }

        internal SsoToken FindByRefreshTokenLocked(string refreshToken) => refreshToken == null ? null : _tokens.FirstOrDefault(t => t.RefreshToken == refreshToken);

        /// <summary>The live token for a bearer value: known, not logged out, not expired.</summary>
        internal SsoToken AuthenticateLocked(string bearer)
        {
            if (string.IsNullOrEmpty(bearer)) return null;
            var t = _tokens.FirstOrDefault(x => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(x.AccessToken), Encoding.UTF8.GetBytes(bearer)));
            if (t == null || t.LoggedOut || t.ExpiresAt <= Now) return null;
            return t;
        }

        // ---- calls --------------------------------------------------------------------------------------

        public IReadOnlyList<SsoCall> Calls { get { lock (Gate) return _calls.ToArray(); } }
        public IReadOnlyList<SsoCall> CallsTo(string action) { lock (Gate) return _calls.Where(c => c.Action == action).ToArray(); }
        public void ClearCalls() { lock (Gate) _calls.Clear(); }
        internal void Record(SsoCall call) { lock (Gate) _calls.Add(call); }

        // ---- ids ----------------------------------------------------------------------------------------

        private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        internal static string RandomToken(int length) => RandomString(UrlSafe, length);

        private static string RandomString(string alphabet, int length)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }
    }
}
