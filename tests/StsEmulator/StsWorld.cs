using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace AwsVault.Tests.Sts
{
    /// <summary>
    /// Everything STS knows: IAM users with keys and MFA devices, roles, the sessions it has issued, the MFA
    /// codes already spent, the faults to inject and every call it has answered. One lock guards it all, and
    /// the server holds that lock for the whole of one request's processing, so tests may change the world
    /// between (or during) calls and concurrent clients see the same serial order real STS would give them.
    /// </summary>
    public sealed class StsWorld
    {
        private static readonly Regex AccountPattern = new Regex(@"^\d{12}$", RegexOptions.CultureInvariant);
        private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        // Unique ids (AIDA…, AROA…) use the same base32 alphabet as key ids.
        private const string IdAlphabet = KeyAlphabet;

        internal readonly object Gate = new object();
        private readonly List<IamUser> _users = new List<IamUser>();
        private readonly List<IamRole> _roles = new List<IamRole>();
        private readonly List<string> _acceptedWebIdentityTokens = new List<string>();
        private readonly Dictionary<string, IssuedSession> _sessions = new Dictionary<string, IssuedSession>(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<long>> _spentTotpSteps = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        private readonly List<StsCall> _calls = new List<StsCall>();
        private TimeProvider _time = TimeProvider.System;

        public FaultInjector Faults { get; } = new FaultInjector();

        /// <summary>
        /// The emulator's clock: session expiry, TOTP windows, the 15-minute signature skew and the Date
        /// response header (which SDKs use to correct their own skew) all follow it.
        /// </summary>
        public TimeProvider TimeProvider
        {
            get { lock (Gate) return _time; }
            set { lock (Gate) _time = value ?? TimeProvider.System; }
        }

        public DateTimeOffset Now => TimeProvider.GetUtcNow();

        private TimeSpan? _credentialLifetimeOverride;

        /// <summary>
        /// When set, every session issued from now on (GetSessionToken, AssumeRole, AssumeRoleWithWebIdentity,
        /// and SSO GetRoleCredentials) lives this long whatever DurationSeconds asked for: the reported
        /// Expiration and the emulator's own acceptance of the keys both follow it. Models credentials that
        /// expire sooner than requested (issue #13). Null (the default) honours the requested duration.
        /// </summary>
        public TimeSpan? CredentialLifetimeOverride
        {
            get { lock (Gate) return _credentialLifetimeOverride; }
            set
            {
                if (value.HasValue && value.Value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), "A lifetime is positive.");
                lock (Gate) _credentialLifetimeOverride = value;
            }
        }

        private TimeSpan _newKeyDelay = TimeSpan.Zero;

        /// <summary>
        /// How long a key made by CreateAccessKey is refused (InvalidClientTokenId, at STS and IAM alike) before it
        /// works, as AWS refuses new keys until they have propagated. Zero (the default): usable at once.
        /// </summary>
        public TimeSpan NewKeyDelay
        {
            get { lock (Gate) return _newKeyDelay; }
            set
            {
                if (value < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), "A delay is not negative.");
                lock (Gate) _newKeyDelay = value;
            }
        }

        private bool _requireMfaForIam;

        /// <summary>Every user as if <see cref="IamUser.RequireMfaForIam"/> were set.</summary>
        public bool RequireMfaForIam
        {
            get { lock (Gate) return _requireMfaForIam; }
            set { lock (Gate) _requireMfaForIam = value; }
        }

        // ---- users and roles ----------------------------------------------------------------------------

        /// <summary>A user with one access key; a random AKIA key and secret when none is given.</summary>
        public IamUser AddUser(string account, string name, string accessKeyId = null, string secretAccessKey = null)
        {
            var user = new IamUser { Account = account, Name = name };
            user.AccessKeys.Add(new AccessKey
            {
                AccessKeyId = accessKeyId ?? NewLongTermKeyId(),
                SecretAccessKey = secretAccessKey ?? NewSecret(),
            });
            return AddUser(user);
        }

        public IamUser AddUser(IamUser user)
        {
            if (user == null) throw new ArgumentNullException(nameof(user));
            if (string.IsNullOrEmpty(user.Name)) throw new ArgumentException("A user needs a name.", nameof(user));
            if (user.Account == null || !AccountPattern.IsMatch(user.Account)) throw new ArgumentException("'" + user.Account + "' is not a 12-digit account id.", nameof(user));
            user.AccessKeys ??= new List<AccessKey>();
            user.UserId ??= "AIDA" + RandomString(IdAlphabet, 17);
            user.Path ??= "/";
            lock (Gate)
            {
                var created = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
                user.CreateDate ??= created;
                foreach (var key in user.AccessKeys) key.CreateDate ??= created;
                if (_users.Any(u => u.Arn == user.Arn)) throw new ArgumentException(user.Arn + " already exists.", nameof(user));
                foreach (var key in user.AccessKeys)
                {
                    if (string.IsNullOrEmpty(key.AccessKeyId) || string.IsNullOrEmpty(key.SecretAccessKey)) throw new ArgumentException("An access key needs an id and a secret.", nameof(user));
                    if (FindLongTermKeyLocked(key.AccessKeyId).User != null) throw new ArgumentException(key.AccessKeyId + " already belongs to a user.", nameof(user));
                }
                _users.Add(user);
            }
            return user;
        }

        /// <summary>
        /// Gives the user a virtual MFA device arn:aws:iam::ACCOUNT:mfa/NAME (NAME defaults to the user name)
        /// with a random seed unless one is given.
        /// </summary>
        public MfaDevice AddMfaDevice(IamUser user, string deviceName = null, string base32Secret = null)
        {
            if (user == null) throw new ArgumentNullException(nameof(user));
            var device = new MfaDevice
            {
                SerialNumber = "arn:aws:iam::" + user.Account + ":mfa/" + (deviceName ?? user.Name),
                Base32Secret = base32Secret ?? Totp.NewSecret(),
            };
            Base32.Decode(device.Base32Secret);
            lock (Gate) user.MfaDevice = device;
            return device;
        }

        public IamRole AddRole(string roleArn, int maxSessionDuration = 3600, bool requireMfa = false, string externalId = null, params string[] trustedPrincipalArns)
            => AddRole(new IamRole
            {
                Arn = roleArn,
                MaxSessionDuration = maxSessionDuration,
                RequireMfa = requireMfa,
                ExternalId = externalId,
                TrustedPrincipalArns = trustedPrincipalArns?.ToList() ?? new List<string>(),
            });

        public IamRole AddRole(IamRole role)
        {
            if (role == null) throw new ArgumentNullException(nameof(role));
            if (!IamRole.IsValidArn(role.Arn)) throw new ArgumentException("'" + role.Arn + "' is not a role ARN (arn:aws:iam::123456789012:role/NAME).", nameof(role));
            role.TrustedPrincipalArns ??= new List<string>();
            role.RoleId ??= "AROA" + RandomString(IdAlphabet, 17);
            lock (Gate)
            {
                if (_roles.Any(r => r.Arn == role.Arn)) throw new ArgumentException(role.Arn + " already exists.", nameof(role));
                _roles.Add(role);
            }
            return role;
        }

        /// <summary>Tokens AssumeRoleWithWebIdentity accepts. Empty: any token that looks like a JWT.</summary>
        public void AcceptWebIdentityToken(string token)
        {
            if (string.IsNullOrEmpty(token)) throw new ArgumentException("A token.", nameof(token));
            lock (Gate) _acceptedWebIdentityTokens.Add(token);
        }

        public IReadOnlyList<IamUser> Users { get { lock (Gate) return _users.ToArray(); } }
        public IReadOnlyList<IamRole> Roles { get { lock (Gate) return _roles.ToArray(); } }
        public IReadOnlyList<string> AcceptedWebIdentityTokens { get { lock (Gate) return _acceptedWebIdentityTokens.ToArray(); } }

        /// <summary>The accounts users and roles live in.</summary>
        public IReadOnlyList<string> Accounts
        {
            get
            {
                lock (Gate) return _users.Select(u => u.Account).Concat(_roles.Select(r => r.Account)).Distinct().OrderBy(a => a, StringComparer.Ordinal).ToArray();
            }
        }

        public IamUser User(string name) { lock (Gate) return _users.FirstOrDefault(u => u.Name == name); }
        public IamRole Role(string arn) { lock (Gate) return _roles.FirstOrDefault(r => r.Arn == arn); }

        // ---- MFA ----------------------------------------------------------------------------------------

        /// <summary>
        /// A code STS would accept now for the device: the current step's code unless it was spent, else the
        /// next step's, else the previous step's. For tests that make several MFA calls inside one 30 s window.
        /// </summary>
        public string UnusedTokenCode(string serialNumber)
        {
            lock (Gate)
            {
                var device = FindDeviceLocked(serialNumber) ?? throw new ArgumentException("No MFA device " + serialNumber + ".", nameof(serialNumber));
                long step = Totp.TimeStep(Now);
                _spentTotpSteps.TryGetValue(serialNumber, out var spent);
                foreach (long candidate in new[] { step, step + 1, step - 1 })
                {
                    if (spent == null || !spent.Contains(candidate)) return Totp.GenerateForStep(Base32.Decode(device.Base32Secret), candidate);
                }
                throw new InvalidOperationException("Every code in the current window of " + serialNumber + " has been spent; wait for the next 30 s step.");
            }
        }

        /// <summary>RFC 6238 check with a one-step window either side, each step usable once per device.</summary>
        internal bool TryConsumeTotpLocked(MfaDevice device, string code)
        {
            if (code == null || code.Length != 6) return false;
            byte[] key = Base32.Decode(device.Base32Secret);
            long step = Totp.TimeStep(Now);
            if (!_spentTotpSteps.TryGetValue(device.SerialNumber, out var spent)) _spentTotpSteps[device.SerialNumber] = spent = new HashSet<long>();
            byte[] sent = Encoding.ASCII.GetBytes(code);
            foreach (long candidate in new[] { step, step - 1, step + 1 })
            {
                byte[] expected = Encoding.ASCII.GetBytes(Totp.GenerateForStep(key, candidate));
                if (CryptographicOperations.FixedTimeEquals(expected, sent))
                {
                    return spent.Add(candidate);
                }
            }
            return false;
        }

        internal MfaDevice FindDeviceLocked(string serialNumber)
            => _users.Select(u => u.MfaDevice).FirstOrDefault(d => d != null && d.SerialNumber == serialNumber);

        // ---- sessions -----------------------------------------------------------------------------------

        public IReadOnlyList<IssuedSession> Sessions { get { lock (Gate) return _sessions.Values.OrderBy(s => s.IssuedAt).ToArray(); } }

        public IssuedSession Session(string accessKeyId)
        {
            lock (Gate) return accessKeyId != null && _sessions.TryGetValue(accessKeyId, out var s) ? s : null;
        }

        /// <summary>Makes issued credentials expired now, so the next call with them gets ExpiredToken.</summary>
        public void ExpireSession(string accessKeyId)
        {
            lock (Gate)
            {
                if (!_sessions.TryGetValue(accessKeyId ?? "", out var s)) throw new ArgumentException("No session " + accessKeyId + ".", nameof(accessKeyId));
                s.Expiration = Now.AddSeconds(-1);
            }
        }

        internal IssuedSession IssueSessionLocked(IssuedSession template, int durationSeconds)
        {
            // Whole seconds: STS reports Expiration without fractions, and clients compare against what they parsed.
            var now = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
            template.AccessKeyId = "ASIA" + RandomString(KeyAlphabet, 16);
            template.SecretAccessKey = NewSecret();
            template.SessionToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(320));
            template.IssuedAt = now;
            template.Expiration = _credentialLifetimeOverride.HasValue
                ? now.AddSeconds(Math.Max(1, (long)Math.Ceiling(_credentialLifetimeOverride.Value.TotalSeconds)))
                : now.AddSeconds(durationSeconds);
            _sessions[template.AccessKeyId] = template;
            return template;
        }

        /// <summary>
        /// Registers role-session credentials that another service handed out (SSO GetRoleCredentials), so
        /// they sign STS calls as the assumed role: GetCallerIdentity reports them and AssumeRole accepts them
        /// as a source (chained, so the one-hour chaining limit applies). The role is added to the world when
        /// it is not there yet. <see cref="CredentialLifetimeOverride"/> applies as to any other session.
        /// </summary>
        public IssuedSession IssueRoleSession(string roleArn, string roleSessionName, TimeSpan lifetime, string issuedBy)
        {
            if (!IamRole.IsValidArn(roleArn)) throw new ArgumentException("'" + roleArn + "' is not a role ARN.", nameof(roleArn));
            if (string.IsNullOrEmpty(roleSessionName)) throw new ArgumentException("A session name.", nameof(roleSessionName));
            if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime));
            lock (Gate)
            {
                var role = FindRoleLocked(roleArn);
                if (role == null)
                {
                    role = new IamRole { Arn = roleArn, MaxSessionDuration = 43200, RoleId = "AROA" + RandomString(IdAlphabet, 17) };
                    _roles.Add(role);
                }
                return IssueSessionLocked(new IssuedSession
                {
                    IssuedBy = issuedBy ?? "GetRoleCredentials",
                    Arn = "arn:aws:sts::" + role.Account + ":assumed-role/" + role.Name + "/" + roleSessionName,
                    UserId = role.RoleId + ":" + roleSessionName,
                    Account = role.Account,
                    RoleArn = role.Arn,
                    RoleSessionName = roleSessionName,
                }, (int)Math.Ceiling(lifetime.TotalSeconds));
            }
        }

        internal IssuedSession FindSessionLocked(string accessKeyId) => _sessions.TryGetValue(accessKeyId, out var s) ? s : null;

        internal (IamUser User, AccessKey Key) FindLongTermKeyLocked(string accessKeyId)
        {
            foreach (var user in _users)
            {
                foreach (var key in user.AccessKeys)
                {
                    if (key.AccessKeyId == accessKeyId) return (user, key);
                }
            }
            return (null, null);
        }

        internal IamUser FindUserByArnLocked(string arn) => _users.FirstOrDefault(u => u.Arn == arn);
        internal IamUser FindUserLocked(string account, string name) => _users.FirstOrDefault(u => u.Account == account && u.Name == name);

        /// <summary>A copy of the user's keys as IAM holds them now (ids, status, dates, secrets).</summary>
        public IReadOnlyList<AccessKey> AccessKeysOf(string userName)
        {
            lock (Gate)
            {
                var user = _users.FirstOrDefault(u => u.Name == userName) ?? throw new ArgumentException("No user " + userName + ".", nameof(userName));
                return user.AccessKeys.Select(k => new AccessKey
                {
                    AccessKeyId = k.AccessKeyId,
                    SecretAccessKey = k.SecretAccessKey,
                    Active = k.Active,
                    CreateDate = k.CreateDate,
                    UsableFrom = k.UsableFrom,
                }).ToArray();
            }
        }

        internal AccessKey CreateAccessKeyLocked(IamUser user)
        {
            var now = DateTimeOffset.FromUnixTimeSeconds(Now.ToUnixTimeSeconds());
            string id;
            do id = NewLongTermKeyId(); while (FindLongTermKeyLocked(id).User != null);
            var key = new AccessKey
            {
                AccessKeyId = id,
                SecretAccessKey = NewSecret(),
                CreateDate = now,
                UsableFrom = _newKeyDelay > TimeSpan.Zero ? Now + _newKeyDelay : (DateTimeOffset?)null,
            };
            user.AccessKeys.Add(key);
            return key;
        }

        // ---- the federation (console sign-in) endpoint -------------------------------------------------

        private readonly List<FederationCall> _federationCalls = new List<FederationCall>();
        private readonly Dictionary<string, SigninTokenGrant> _signinTokens = new Dictionary<string, SigninTokenGrant>(StringComparer.Ordinal);

        /// <summary>Every request to /federation, in order.</summary>
        public IReadOnlyList<FederationCall> FederationCalls { get { lock (Gate) return _federationCalls.ToArray(); } }

        public void ClearFederationCalls() { lock (Gate) _federationCalls.Clear(); }

        internal void RecordFederation(FederationCall call) { lock (Gate) _federationCalls.Add(call); }

        /// <summary>The session a SigninToken was issued for, or null when the emulator never issued it.</summary>
        public IssuedSession SigninTokenFor(string signinToken)
        {
            lock (Gate) return signinToken != null && _signinTokens.TryGetValue(signinToken, out var g) ? FindSessionLocked(g.AccessKeyId) : null;
        }

        /// <summary>Everything known about an issued SigninToken (session, requested SessionDuration, expiry), or null.</summary>
        public SigninTokenGrant SigninTokenGrant(string signinToken)
        {
            lock (Gate) return signinToken != null && _signinTokens.TryGetValue(signinToken, out var g) ? g : null;
        }

        internal SigninTokenGrant IssueSigninTokenLocked(IssuedSession session, int? sessionDuration)
        {
            // Real sign-in tokens are long opaque strings; base64url keeps them safe in a URL without escaping.
            string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(384)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var grant = new SigninTokenGrant
            {
                SigninToken = token,
                AccessKeyId = session.AccessKeyId,
                SessionDuration = sessionDuration,
                IssuedAt = Now,
                Expiration = Now + FederationHandler.SigninTokenLifetime,
            };
            _signinTokens[token] = grant;
            return grant;
        }
        internal IamRole FindRoleLocked(string arn) => _roles.FirstOrDefault(r => r.Arn == arn);
        internal IReadOnlyList<string> AcceptedWebIdentityTokensLocked => _acceptedWebIdentityTokens;

        // ---- calls --------------------------------------------------------------------------------------

        /// <summary>Every request answered so far, in the order the answers were decided.</summary>
        public IReadOnlyList<StsCall> Calls { get { lock (Gate) return _calls.ToArray(); } }

        public IReadOnlyList<StsCall> CallsTo(string action) { lock (Gate) return _calls.Where(c => c.Action == action).ToArray(); }

        public void ClearCalls() { lock (Gate) _calls.Clear(); }

        internal void Record(StsCall call) { lock (Gate) _calls.Add(call); }

        // ---- JSON ---------------------------------------------------------------------------------------

        internal static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        private sealed class Document
        {
            public List<IamUser> Users { get; set; } = new List<IamUser>();
            public List<IamRole> Roles { get; set; } = new List<IamRole>();
            public List<string> AcceptedWebIdentityTokens { get; set; } = new List<string>();
        }

        /// <summary>{"users":[{name, account, userId?, accessKeys:[{accessKeyId, secretAccessKey, active?}], mfaDevice?:{serialNumber, base32Secret}}], "roles":[{arn, maxSessionDuration?, requireMfa?, externalId?, trustedPrincipalArns?}], "acceptedWebIdentityTokens"?:[...]}</summary>
        public static StsWorld FromJson(string json)
        {
            var doc = JsonSerializer.Deserialize<Document>(json, JsonOptions) ?? new Document();
            var world = new StsWorld();
            foreach (var user in doc.Users ?? new List<IamUser>()) world.AddUser(user);
            foreach (var role in doc.Roles ?? new List<IamRole>()) world.AddRole(role);
            foreach (var token in doc.AcceptedWebIdentityTokens ?? new List<string>()) world.AcceptWebIdentityToken(token);
            return world;
        }

        public static StsWorld Load(string path) => FromJson(File.ReadAllText(path));

        public string ToJson()
        {
            lock (Gate)
            {
                return JsonSerializer.Serialize(new Document { Users = _users, Roles = _roles, AcceptedWebIdentityTokens = _acceptedWebIdentityTokens }, JsonOptions);
            }
        }

        public void Save(string path) => File.WriteAllText(path, ToJson());

        // ---- ids ----------------------------------------------------------------------------------------

        /// <summary>A random AKIA… id: tests that need more users than AWS's two documented examples use these.</summary>
        public static string NewLongTermKeyId() => "AKIA" + RandomString(KeyAlphabet, 16);

        public static string NewSecret() => RandomString(SecretAlphabet, 40);

        private static string RandomString(string alphabet, int length)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            return new string(chars);
        }
    }
}
