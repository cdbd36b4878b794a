using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace AwsVault.Tests.Sts
{
    public sealed class AccessKey
    {
        public string AccessKeyId { get; set; }
        public string SecretAccessKey { get; set; }

        /// <summary>An inactive key is refused the way IAM refuses a deactivated key: InvalidClientTokenId.</summary>
        public bool Active { get; set; } = true;

        /// <summary>When IAM created the key (ListAccessKeys reports it); set when the world adds or creates it.</summary>
        public DateTimeOffset? CreateDate { get; set; }

        /// <summary>
        /// Before this instant the key is refused as unknown (InvalidClientTokenId), as AWS refuses a new key
        /// until it has propagated. Null: usable at once. CreateAccessKey sets it from StsWorld.NewKeyDelay.
        /// </summary>
        public DateTimeOffset? UsableFrom { get; set; }

        [JsonIgnore]
        public string Status => Active ? "Active" : "Inactive";
    }

    public sealed class MfaDevice
    {
        /// <summary>arn:aws:iam::ACCOUNT:mfa/NAME, the value clients send as SerialNumber.</summary>
        public string SerialNumber { get; set; }

        /// <summary>The seed as IAM shows it for a virtual device (base32).</summary>
        public string Base32Secret { get; set; }
    }

    public sealed class IamUser
    {
        public string Name { get; set; }
        public string Account { get; set; }

        /// <summary>The unique id (AIDA…) that GetCallerIdentity reports as UserId. Generated when left empty.</summary>
        public string UserId { get; set; }

        public List<AccessKey> AccessKeys { get; set; } = new List<AccessKey>();
        public MfaDevice MfaDevice { get; set; }

        /// <summary>IAM's path ("/" unless the user was created under one); GetUser reports it.</summary>
        public string Path { get; set; } = "/";

        public DateTimeOffset? CreateDate { get; set; }

        /// <summary>
        /// Stands for an identity policy that denies iam:*AccessKey unless aws:MultiFactorAuthPresent: without an
        /// MFA-authenticated session, CreateAccessKey, UpdateAccessKey and DeleteAccessKey are AccessDenied.
        /// </summary>
        public bool RequireMfaForIam { get; set; }

        [JsonIgnore]
        public string Arn => "arn:aws:iam::" + Account + ":user/" + Name;

        /// <summary>The first key: most tests give a user exactly one.</summary>
        [JsonIgnore]
        public AccessKey Key => AccessKeys.Count > 0 ? AccessKeys[0] : null;
    }

    public sealed class IamRole
    {
        private static readonly Regex ArnPattern = new Regex(@"^arn:aws:iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]{1,64})$", RegexOptions.CultureInvariant);

        public string Arn { get; set; }

        /// <summary>The unique id (AROA…) that prefixes AssumedRoleId. Generated when left empty.</summary>
        public string RoleId { get; set; }

        /// <summary>IAM allows 3600..43200; the emulator takes what it is given so tests can model odd roles.</summary>
        public int MaxSessionDuration { get; set; } = 3600;

        /// <summary>Stands for a trust policy condition on aws:MultiFactorAuthPresent.</summary>
        public bool RequireMfa { get; set; }

        /// <summary>Stands for a trust policy condition on sts:ExternalId.</summary>
        public string ExternalId { get; set; }

        /// <summary>
        /// Empty: any principal of the world may assume the role. Otherwise the caller's user ARN, its role ARN
        /// (for a role session), its assumed-role ARN, its account root (arn:aws:iam::ACCOUNT:root) or "*" must be listed.
        /// </summary>
        public List<string> TrustedPrincipalArns { get; set; } = new List<string>();

        [JsonIgnore]
        public string Account => Parse().Groups[1].Value;

        /// <summary>The last path segment: assumed-role ARNs carry the name without the path.</summary>
        [JsonIgnore]
        public string Name => Parse().Groups[2].Value;

        internal static bool IsValidArn(string arn) => arn != null && ArnPattern.IsMatch(arn);

        private Match Parse()
        {
            var m = ArnPattern.Match(Arn ?? "");
            if (!m.Success) throw new InvalidOperationException("'" + Arn + "' is not a role ARN (arn:aws:iam::123456789012:role/NAME).");
            return m;
        }
    }

    /// <summary>Temporary credentials the emulator handed out, with everything later calls are judged on.</summary>
    public sealed class IssuedSession
    {
        public string AccessKeyId { get; internal set; }
        public string SecretAccessKey { get; internal set; }
        public string SessionToken { get; internal set; }

        /// <summary>GetSessionToken, AssumeRole or AssumeRoleWithWebIdentity.</summary>
        public string IssuedBy { get; internal set; }

        /// <summary>The key id that signed the call which created this session; null for web identity.</summary>
        public string ParentAccessKeyId { get; internal set; }

        /// <summary>The user ARN (GetSessionToken) or arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.</summary>
        public string Arn { get; internal set; }
        public string UserId { get; internal set; }
        public string Account { get; internal set; }

        /// <summary>The IAM user behind a GetSessionToken session; null for role and federated-user sessions.</summary>
        public string UserName { get; internal set; }

        /// <summary>GetFederationToken's Name; the session's ARN is arn:aws:sts::ACCOUNT:federated-user/NAME.</summary>
        public string FederatedUserName { get; internal set; }

        /// <summary>For a federated-user session: the IAM user whose long-term key called GetFederationToken.</summary>
        public string ParentUserName { get; internal set; }
        public bool IsFederatedUserSession => FederatedUserName != null;
        public string RoleArn { get; internal set; }
        public string RoleSessionName { get; internal set; }
        public bool IsRoleSession => RoleArn != null;

        public DateTimeOffset IssuedAt { get; internal set; }
        public DateTimeOffset Expiration { get; internal set; }

        /// <summary>MFA was checked when this session or one it was chained from was created.</summary>
        public bool MfaAuthenticated { get; internal set; }

        public IReadOnlyDictionary<string, string> Tags { get; internal set; } = new Dictionary<string, string>();
        public IReadOnlyCollection<string> TransitiveTagKeys { get; internal set; } = Array.Empty<string>();
        public string SourceIdentity { get; internal set; }
        public string Policy { get; internal set; }
        public IReadOnlyList<string> PolicyArns { get; internal set; } = Array.Empty<string>();
        public string SigningRegion { get; internal set; }
    }

    /// <summary>One HTTP request as STS saw it. Secrets (TokenCode, WebIdentityToken) are never recorded.</summary>
    public sealed class StsCall
    {
        public const string Masked = "***";

        public string RequestId { get; internal set; }

        /// <summary>"sts", or "iam" for a request whose signature is scoped to the iam service.</summary>
        public string Service { get; internal set; } = "sts";
        public DateTimeOffset Timestamp { get; internal set; }
        public string HttpMethod { get; internal set; }
        public string Action { get; internal set; }

        /// <summary>The key id from the signature's credential scope, whether or not it verified.</summary>
        public string CallerAccessKeyId { get; internal set; }

        /// <summary>Set only when the caller was authenticated.</summary>
        public string CallerArn { get; internal set; }
        public string SigningRegion { get; internal set; }

        /// <summary>The request parameters except Action and the SigV4 query parameters; TokenCode and WebIdentityToken are masked.</summary>
        public IReadOnlyDictionary<string, string> Parameters { get; internal set; }

        /// <summary>A TokenCode was sent (not necessarily a valid one).</summary>
        public bool UsedMfa { get; internal set; }
        public string SerialNumber { get; internal set; }

        public int HttpStatus { get; internal set; }

        /// <summary>Null on success.</summary>
        public string ErrorCode { get; internal set; }
        public string ErrorMessage { get; internal set; }

        /// <summary>The fault injected into this request, if any (Throttle, ServerError, Delay, Error).</summary>
        public string InjectedFault { get; internal set; }

        /// <summary>The session key this call issued (or the access key CreateAccessKey made), so a test can follow a chain through the calls.</summary>
        public string IssuedAccessKeyId { get; internal set; }
        public string UserAgent { get; internal set; }

        public bool Succeeded => ErrorCode == null;

        public string Parameter(string name) => Parameters != null && Parameters.TryGetValue(name, out var v) ? v : null;

        public override string ToString()
            => Action + " by " + (CallerArn ?? CallerAccessKeyId ?? "anonymous") + (UsedMfa ? " with MFA" : "") + " -> " + HttpStatus + (ErrorCode != null ? " " + ErrorCode : "");
    }
}
