using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AwsVault.Tests.Sts
{
    /// <summary>Who signed a request, once the signature has been verified.</summary>
    internal sealed class Principal
    {
        public string AccessKeyId { get; set; }
        public string Arn { get; set; }
        public string UserId { get; set; }
        public string Account { get; set; }

        /// <summary>The IAM user behind long-term keys or a GetSessionToken session; null for role sessions.</summary>
        public IamUser User { get; set; }

        /// <summary>Null for long-term keys.</summary>
        public IssuedSession Session { get; set; }
    }

    /// <summary>
    /// The STS actions and their rules. Everything here runs under the world's lock, so checks and the state
    /// they change (spent MFA codes, issued sessions) are one atomic step per request.
    /// </summary>
    internal sealed class StsOperations
    {
        public static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        public const string ApiVersion = "2011-06-15";

        /// <summary>Actions that work without a signature (the token is the credential).</summary>
        public static readonly HashSet<string> Unsigned = new HashSet<string>(StringComparer.Ordinal) { "AssumeRoleWithWebIdentity" };

        public static readonly HashSet<string> Emulated = new HashSet<string>(StringComparer.Ordinal)
        {
            "GetSessionToken", "AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity", "GetFederationToken",
        };

        // STS's documented patterns use Java's ASCII \w.
        private static readonly Regex SessionNamePattern = new Regex(@"^[A-Za-z0-9_+=,.@-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex ExternalIdPattern = new Regex(@"^[A-Za-z0-9_+=,.@:/-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex SerialPattern = new Regex(@"^[A-Za-z0-9_+=/:,.@-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex DigitsPattern = new Regex(@"^[0-9]*$", RegexOptions.CultureInvariant);
        private static readonly Regex TagKeyPattern = new Regex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$", RegexOptions.CultureInvariant);
        private static readonly Regex TagValuePattern = new Regex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", RegexOptions.CultureInvariant);
        private static readonly Regex TagIndexPattern = new Regex(@"^Tags\.member\.(\d+)\.(Key|Value)$", RegexOptions.CultureInvariant);
        private static readonly Regex ListIndexPattern = new Regex(@"^(\w+)\.member\.(\d+)(?:\.(\w+))?$", RegexOptions.CultureInvariant);

        private const int ChainedRoleLimitSeconds = 3600;

        private readonly StsWorld _world;

        public StsOperations(StsWorld world) => _world = world;

        // ---- authentication -------------------------------------------------------------------------

        /// <summary>Who signed the request, for STS or (service "iam", which is signed for us-east-1 only) IAM.</summary>
        public Principal Authenticate(SignatureClaim claim, SignedRequest request, string service = "sts")
        {
            if (claim == null) throw new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            if (claim.Problem != null) throw claim.Problem;
            SigV4.CheckScopeAndTime(claim, _world.Now, service, service == IamOperations.Service ? IamOperations.SigningRegion : null);

            var principal = new Principal { AccessKeyId = claim.AccessKeyId };
            string secret;
            var (user, key) = _world.FindLongTermKeyLocked(claim.AccessKeyId);
            if (user != null)
            {
                // Long-term keys with a token attached are refused: the token would name some other session.
                if (!key.Active || claim.SecurityToken != null) throw StsError.InvalidClientTokenId();
                // A key IAM has just created is unknown to STS until it has propagated.
                if (key.UsableFrom.HasValue && key.UsableFrom.Value > _world.Now) throw StsError.InvalidClientTokenId();
                secret = key.SecretAccessKey;
                principal.User = user;
                principal.Arn = user.Arn;
                principal.UserId = user.UserId;
                principal.Account = user.Account;
            }
            else
            {
                var session = _world.FindSessionLocked(claim.AccessKeyId);
                if (session == null) throw StsError.InvalidClientTokenId();
                // STS finds a session key through its token, so a missing, unsigned or foreign token means an unknown key.
                if (claim.SecurityToken == null || !claim.SecurityTokenSigned) throw StsError.InvalidClientTokenId();
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(claim.SecurityToken), Encoding.UTF8.GetBytes(session.SessionToken)))
                {
                    throw StsError.InvalidClientTokenId();
                }
                if (session.Expiration <= _world.Now) throw StsError.ExpiredToken();
                secret = session.SecretAccessKey;
                principal.Session = session;
                principal.Arn = session.Arn;
                principal.UserId = session.UserId;
                principal.Account = session.Account;
                if (session.UserName != null) principal.User = _world.FindUserByArnLocked(session.Arn);
            }

            if (!SigV4.Verify(claim, request, secret)) throw StsError.SignatureDoesNotMatch();
            return principal;
        }

        // ---- actions --------------------------------------------------------------------------------

        public XElement GetCallerIdentity(Principal caller)
            => new XElement(Ns + "GetCallerIdentityResult",
                new XElement(Ns + "Arn", caller.Arn),
                new XElement(Ns + "UserId", caller.UserId),
                new XElement(Ns + "Account", caller.Account));

        public XElement GetSessionToken(Principal caller, IReadOnlyDictionary<string, string> p, StsCall call, string region)
        {
            var v = new Validation();
            int? duration = v.Integer("durationSeconds", Get(p, "DurationSeconds"), 900, 129600);
            string serial = Get(p, "SerialNumber");
            string code = Get(p, "TokenCode");
            v.Check("serialNumber", serial, 9, 256, SerialPattern, @"[\w+=/:,.@-]*");
            v.Check("tokenCode", code, 6, 6, DigitsPattern, @"[\d]*");
            v.ThrowIfAny();

            if (caller.Session != null) throw StsError.AccessDenied("Cannot call GetSessionToken with session credentials");
            bool mfa = CheckMfa(caller, serial, code);

            var session = _world.IssueSessionLocked(new IssuedSession
            {
                IssuedBy = "GetSessionToken",
                ParentAccessKeyId = caller.AccessKeyId,
                Arn = caller.User.Arn,
                UserId = caller.User.UserId,
                Account = caller.User.Account,
                UserName = caller.User.Name,
                MfaAuthenticated = mfa,
                SigningRegion = region,
            }, duration ?? 43200);
            call.IssuedAccessKeyId = session.AccessKeyId;
            return new XElement(Ns + "GetSessionTokenResult", Credentials(session));
        }

        public XElement GetFederationToken(Principal caller, IReadOnlyDictionary<string, string> p, StsCall call, string region)
        {
            var v = new Validation();
            string name = v.Required(p, "Name", "name");
            v.Check("name", name, 2, 32, SessionNamePattern, @"[\w+=,.@-]*");
            int? requested = v.Integer("durationSeconds", Get(p, "DurationSeconds"), 900, 129600);
            string policy = Get(p, "Policy");
            v.Check("policy", policy, 1, 100000);
            var policyArns = PolicyArns(p, v);
            var tags = Tags(p, v);
            v.ThrowIfAny();
            CheckPolicyDocument(policy);

            // Only an IAM user's long-term key may federate (the emulator has no root user).
            if (caller.Session != null) throw StsError.AccessDenied("Cannot call GetFederationToken with session credentials");
            if (tags.Select(t => t.Key.ToLowerInvariant()).Distinct().Count() != tags.Count)
            {
                throw StsError.InvalidParameterValue("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
            int? packed = PackedPolicySize(policy, policyArns, tags);

            var user = caller.User;
            var session = _world.IssueSessionLocked(new IssuedSession
            {
                IssuedBy = "GetFederationToken",
                ParentAccessKeyId = caller.AccessKeyId,
                Arn = "arn:aws:sts::" + user.Account + ":federated-user/" + name,
                UserId = user.Account + ":" + name,
                Account = user.Account,
                FederatedUserName = name,
                ParentUserName = user.Name,
                Tags = tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
                Policy = policy,
                PolicyArns = policyArns,
                SigningRegion = region,
            }, requested ?? 43200);
            call.IssuedAccessKeyId = session.AccessKeyId;

            var result = new XElement(Ns + "GetFederationTokenResult",
                Credentials(session),
                new XElement(Ns + "FederatedUser",
                    new XElement(Ns + "FederatedUserId", session.UserId),
                    new XElement(Ns + "Arn", session.Arn)));
            if (packed.HasValue) result.Add(new XElement(Ns + "PackedPolicySize", packed.Value));
            return result;
        }

        public XElement AssumeRole(Principal caller, IReadOnlyDictionary<string, string> p, StsCall call, string region)
        {
            var v = new Validation();
            string roleArn = v.Required(p, "RoleArn", "roleArn");
            string sessionName = v.Required(p, "RoleSessionName", "roleSessionName");
            v.Check("roleArn", roleArn, 20, 2048);
            v.Check("roleSessionName", sessionName, 2, 64, SessionNamePattern, @"[\w+=,.@-]*");
            int? requested = v.Integer("durationSeconds", Get(p, "DurationSeconds"), 900, 43200);
            string externalId = Get(p, "ExternalId");
            v.Check("externalId", externalId, 2, 1224, ExternalIdPattern, @"[\w+=,.@:\/-]*");
            string serial = Get(p, "SerialNumber");
            string code = Get(p, "TokenCode");
            v.Check("serialNumber", serial, 9, 256, SerialPattern, @"[\w+=/:,.@-]*");
            v.Check("tokenCode", code, 6, 6, DigitsPattern, @"[\d]*");
            string sourceIdentity = Get(p, "SourceIdentity");
            v.Check("sourceIdentity", sourceIdentity, 2, 64, SessionNamePattern, @"[\w+=,.@-]*");
            string policy = Get(p, "Policy");
            v.Check("policy", policy, 1, 100000);
            var policyArns = PolicyArns(p, v);
            var tags = Tags(p, v);
            var transitive = List(p, "TransitiveTagKeys");
            if (transitive.Count > 50) v.Fail("transitiveTagKeys", null, "have length less than or equal to 50");
            foreach (var (key, i) in transitive.Select((k, i) => (k, i))) v.Check("transitiveTagKeys." + (i + 1) + ".member", key, 1, 128, TagKeyPattern, @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+");
            v.ThrowIfAny();
            CheckPolicyDocument(policy);

            // Tag keys are case-insensitive everywhere in IAM.
            if (tags.Select(t => t.Key.ToLowerInvariant()).Distinct().Count() != tags.Count)
            {
                throw StsError.InvalidParameterValue("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
            var tagKeys = new HashSet<string>(tags.Select(t => t.Key), StringComparer.OrdinalIgnoreCase);
            if (transitive.Any(k => !tagKeys.Contains(k)))
            {
                throw StsError.InvalidParameterValue("The specified transitive tag key must be included in the requested tags.");
            }
            var inherited = InheritedTransitiveTags(caller.Session);
            if (tags.Any(t => inherited.ContainsKey(t.Key)))
            {
                throw StsError.InvalidParameterValue("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
            }

            string denied = "User: " + caller.Arn + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn;
            // GetFederationToken's credentials may call no STS action but GetCallerIdentity.
            if (caller.Session?.IsFederatedUserSession ?? false) throw StsError.AccessDenied(denied);
            var role = _world.FindRoleLocked(roleArn);
            if (role == null || !Trusts(role, caller)) throw StsError.AccessDenied(denied);
            if (role.ExternalId != null && externalId != role.ExternalId) throw StsError.AccessDenied(denied);

            int duration = requested ?? 3600;
            if (caller.Session != null && caller.Session.IsRoleSession && duration > ChainedRoleLimitSeconds)
            {
                throw StsError.Validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
            }
            if (duration > role.MaxSessionDuration) throw StsError.Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

            // MFA presence sticks to a session and to the sessions chained from it.
            bool mfa = CheckMfa(caller, serial, code) || (caller.Session?.MfaAuthenticated ?? false);
            if (role.RequireMfa && !mfa) throw StsError.AccessDenied(denied);

            string inheritedSource = caller.Session?.SourceIdentity;
            if (inheritedSource != null && sourceIdentity != null && sourceIdentity != inheritedSource)
            {
                throw StsError.AccessDenied("User: " + caller.Arn + " is not authorized to perform: sts:SetSourceIdentity on resource: " + roleArn + " because the source identity of the calling session cannot be changed");
            }

            int? packed = PackedPolicySize(policy, policyArns, tags);

            var sessionTags = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
            foreach (var t in tags) sessionTags[t.Key] = t.Value;
            var sessionTransitive = new List<string>(caller.Session?.TransitiveTagKeys ?? Array.Empty<string>());
            foreach (string k in transitive)
            {
                if (!sessionTransitive.Contains(k, StringComparer.OrdinalIgnoreCase)) sessionTransitive.Add(k);
            }

            var session = _world.IssueSessionLocked(new IssuedSession
            {
                IssuedBy = "AssumeRole",
                ParentAccessKeyId = caller.AccessKeyId,
                Arn = "arn:aws:sts::" + role.Account + ":assumed-role/" + role.Name + "/" + sessionName,
                UserId = role.RoleId + ":" + sessionName,
                Account = role.Account,
                RoleArn = role.Arn,
                RoleSessionName = sessionName,
                MfaAuthenticated = mfa,
                Tags = sessionTags,
                TransitiveTagKeys = sessionTransitive,
                SourceIdentity = inheritedSource ?? sourceIdentity,
                Policy = policy,
                PolicyArns = policyArns,
                SigningRegion = region,
            }, duration);
            call.IssuedAccessKeyId = session.AccessKeyId;

            var result = new XElement(Ns + "AssumeRoleResult");
            if (session.SourceIdentity != null) result.Add(new XElement(Ns + "SourceIdentity", session.SourceIdentity));
            result.Add(AssumedRoleUser(session), Credentials(session));
            if (packed.HasValue) result.Add(new XElement(Ns + "PackedPolicySize", packed.Value));
            return result;
        }

        public XElement AssumeRoleWithWebIdentity(IReadOnlyDictionary<string, string> p, StsCall call, string region)
        {
            var v = new Validation();
            string roleArn = v.Required(p, "RoleArn", "roleArn");
            string sessionName = v.Required(p, "RoleSessionName", "roleSessionName");
            string token = v.Required(p, "WebIdentityToken", "webIdentityToken");
            v.Check("roleArn", roleArn, 20, 2048);
            v.Check("roleSessionName", sessionName, 2, 64, SessionNamePattern, @"[\w+=,.@-]*");
            // The token itself is a secret: constraint messages must not echo it.
            if (token != null && (token.Length < 4 || token.Length > 20000)) v.Fail("webIdentityToken", "***", "have length between 4 and 20000");
            string providerId = Get(p, "ProviderId");
            v.Check("providerId", providerId, 4, 2048);
            int? requested = v.Integer("durationSeconds", Get(p, "DurationSeconds"), 900, 43200);
            string policy = Get(p, "Policy");
            v.Check("policy", policy, 1, 100000);
            var policyArns = PolicyArns(p, v);
            v.ThrowIfAny();
            CheckPolicyDocument(policy);

            if (!TryReadJwt(token, out var claims))
            {
                throw new StsError(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
            }
            var accepted = _world.AcceptedWebIdentityTokensLocked;
            if (accepted.Count > 0 && !accepted.Contains(token))
            {
                throw new StsError(400, "InvalidIdentityToken", "Couldn't verify the web identity token: it is not one this world accepts.");
            }
            string subject = Claim(claims, "sub");
            string audience = Claim(claims, "aud");
            string issuer = Claim(claims, "iss");
            if (claims.HasValue && claims.Value.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out long expSeconds))
            {
                var expiry = DateTimeOffset.FromUnixTimeSeconds(expSeconds);
                if (expiry <= _world.Now)
                {
                    throw new StsError(400, "ExpiredTokenException", "Token expired: current date/time " + _world.Now.ToUnixTimeSeconds() + " must be before the expiration date/time " + expSeconds);
                }
            }

            var role = _world.FindRoleLocked(roleArn);
            string provider = providerId
                ?? (issuer == null ? null
                    : issuer.StartsWith("https://", StringComparison.Ordinal) && role != null ? "arn:aws:iam::" + role.Account + ":oidc-provider/" + issuer.Substring("https://".Length)
                    : issuer);
            bool trusted = role != null && (role.TrustedPrincipalArns.Count == 0 || role.TrustedPrincipalArns.Contains("*") || (provider != null && role.TrustedPrincipalArns.Contains(provider)));
            // A web identity carries no MFA context, so an MFA-only role can never trust it.
            if (!trusted || role.RequireMfa) throw StsError.AccessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity");

            int duration = requested ?? 3600;
            if (duration > role.MaxSessionDuration) throw StsError.Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
            int? packed = PackedPolicySize(policy, policyArns, new List<KeyValuePair<string, string>>());

            var session = _world.IssueSessionLocked(new IssuedSession
            {
                IssuedBy = "AssumeRoleWithWebIdentity",
                Arn = "arn:aws:sts::" + role.Account + ":assumed-role/" + role.Name + "/" + sessionName,
                UserId = role.RoleId + ":" + sessionName,
                Account = role.Account,
                RoleArn = role.Arn,
                RoleSessionName = sessionName,
                Policy = policy,
                PolicyArns = policyArns,
                SigningRegion = region,
            }, duration);
            call.IssuedAccessKeyId = session.AccessKeyId;

            var result = new XElement(Ns + "AssumeRoleWithWebIdentityResult");
            if (subject != null) result.Add(new XElement(Ns + "SubjectFromWebIdentityToken", subject));
            if (audience != null) result.Add(new XElement(Ns + "Audience", audience));
            result.Add(AssumedRoleUser(session), Credentials(session));
            if (packed.HasValue) result.Add(new XElement(Ns + "PackedPolicySize", packed.Value));
            if (provider != null) result.Add(new XElement(Ns + "Provider", provider));
            return result;
        }

        // ---- rules shared by the actions ------------------------------------------------------------

        /// <summary>False when no MFA was offered; throws when it was offered and fails.</summary>
        private bool CheckMfa(Principal caller, string serial, string code)
        {
            if (serial == null && code == null) return false;
            if (serial == null) throw StsError.AccessDenied(StsError.UnknownMfaDeviceMessage);
            if (code == null) throw StsError.AccessDenied(StsError.InvalidMfaCodeMessage);
            // Devices belong to IAM users; a role session has no user to own one.
            var device = caller.User?.MfaDevice;
            if (device == null || device.SerialNumber != serial) throw StsError.AccessDenied(StsError.UnknownMfaDeviceMessage);
            if (!_world.TryConsumeTotpLocked(device, code)) throw StsError.AccessDenied(StsError.InvalidMfaCodeMessage);
            return true;
        }

        private static bool Trusts(IamRole role, Principal caller)
        {
            if (role.TrustedPrincipalArns.Count == 0) return true;
            var names = new[] { "*", caller.Arn, caller.Session?.RoleArn, "arn:aws:iam::" + caller.Account + ":root" };
            return role.TrustedPrincipalArns.Any(t => names.Contains(t));
        }

        private static Dictionary<string, string> InheritedTransitiveTags(IssuedSession session)
        {
            var inherited = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (session == null) return inherited;
            foreach (string key in session.TransitiveTagKeys)
            {
                var match = session.Tags.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase));
                if (match.Key != null) inherited[match.Key] = match.Value;
            }
            return inherited;
        }

        private static void CheckPolicyDocument(string policy)
        {
            if (policy == null) return;
            try
            {
                using var _ = JsonDocument.Parse(policy);
            }
            catch (JsonException)
            {
                throw new StsError(400, "MalformedPolicyDocument", "The request was rejected because the policy document was malformed.");
            }
        }

        /// <summary>
        /// STS reports how much of the packed (compressed) allowance policies and tags use, as a percentage.
        /// The real packing is private; this scales the plain size so 2048 characters of policy is about 100 %.
        /// </summary>
        private static int? PackedPolicySize(string policy, IReadOnlyList<string> policyArns, IReadOnlyList<KeyValuePair<string, string>> tags)
        {
            if (policy == null && policyArns.Count == 0 && tags.Count == 0) return null;
            int chars = (policy == null ? 0 : Regex.Replace(policy, @"\s+", "").Length)
                + policyArns.Sum(a => a.Length)
                + tags.Sum(t => t.Key.Length + t.Value.Length + 2);
            int percent = Math.Max(1, (int)Math.Ceiling(chars * 100.0 / 2048));
            if (percent > 100) throw new StsError(400, "PackedPolicyTooLarge", "Packed policy consumes " + percent + "% of allotted space, please use smaller policy.");
            return percent;
        }

        private static List<string> PolicyArns(IReadOnlyDictionary<string, string> p, Validation v)
        {
            var arns = List(p, "PolicyArns", "arn");
            if (arns.Count > 10) v.Fail("policyArns", null, "have length less than or equal to 10");
            for (int i = 0; i < arns.Count; i++) v.Check("policyArns." + (i + 1) + ".member.arn", arns[i], 20, 2048);
            return arns;
        }

        private static List<KeyValuePair<string, string>> Tags(IReadOnlyDictionary<string, string> p, Validation v)
        {
            var byIndex = new SortedDictionary<int, (string Key, string Value)>();
            foreach (var kv in p)
            {
                var m = TagIndexPattern.Match(kv.Key);
                if (!m.Success) continue;
                int index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                byIndex.TryGetValue(index, out var tag);
                byIndex[index] = m.Groups[2].Value == "Key" ? (kv.Value, tag.Value) : (tag.Key, kv.Value);
            }
            if (byIndex.Count > 50) v.Fail("tags", null, "have length less than or equal to 50");
            var tags = new List<KeyValuePair<string, string>>();
            foreach (var (index, tag) in byIndex)
            {
                if (tag.Key == null) v.Fail("tags." + index + ".member.key", null, "not be null");
                if (tag.Value == null) v.Fail("tags." + index + ".member.value", null, "not be null");
                if (tag.Key == null || tag.Value == null) continue;
                v.Check("tags." + index + ".member.key", tag.Key, 1, 128, TagKeyPattern, @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+");
                v.Check("tags." + index + ".member.value", tag.Value, 0, 256, TagValuePattern, @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*");
                tags.Add(new KeyValuePair<string, string>(tag.Key, tag.Value));
            }
            return tags;
        }

        /// <summary>Name.member.N (or Name.member.N.field) values in index order.</summary>
        private static List<string> List(IReadOnlyDictionary<string, string> p, string name, string field = null)
        {
            var byIndex = new SortedDictionary<int, string>();
            foreach (var kv in p)
            {
                var m = ListIndexPattern.Match(kv.Key);
                if (!m.Success || m.Groups[1].Value != name) continue;
                string got = m.Groups[3].Success ? m.Groups[3].Value : null;
                if (got != field) continue;
                byIndex[int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)] = kv.Value;
            }
            return byIndex.Values.ToList();
        }

        /// <summary>Three dot-separated base64url parts; the claims are read when the payload is JSON.</summary>
        private static bool TryReadJwt(string token, out JsonElement? claims)
        {
            claims = null;
            string[] parts = token.Split('.');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0) return false;
            if (!parts.All(part => part.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' || c == '='))) return false;
            try
            {
                string b64 = parts[1].TrimEnd('=').Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
                using var doc = JsonDocument.Parse(Convert.FromBase64String(b64));
                if (doc.RootElement.ValueKind == JsonValueKind.Object) claims = doc.RootElement.Clone();
            }
            catch (FormatException) { }
            catch (JsonException) { }
            return true;
        }

        private static string Claim(JsonElement? claims, string name)
        {
            if (!claims.HasValue || !claims.Value.TryGetProperty(name, out var value)) return null;
            if (value.ValueKind == JsonValueKind.String) return value.GetString();
            // An audience may be a list; STS reports the one it matched, here the first.
            if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.String) return value[0].GetString();
            return null;
        }

        private static string Get(IReadOnlyDictionary<string, string> p, string name) => p.TryGetValue(name, out var v) ? v : null;

        public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        private static XElement Credentials(IssuedSession s)
            => new XElement(Ns + "Credentials",
                new XElement(Ns + "SessionToken", s.SessionToken),
                new XElement(Ns + "SecretAccessKey", s.SecretAccessKey),
                new XElement(Ns + "Expiration", FormatTime(s.Expiration)),
                new XElement(Ns + "AccessKeyId", s.AccessKeyId));

        private static XElement AssumedRoleUser(IssuedSession s)
            => new XElement(Ns + "AssumedRoleUser",
                new XElement(Ns + "Arn", s.Arn),
                new XElement(Ns + "AssumedRoleId", s.UserId));
    }
}
