using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AwsVault.Tests.Sts
{
    /// <summary>
    /// The few IAM actions `rotate` needs, over the users and keys of the same world STS authenticates against,
    /// so a key IAM creates or deletes is at once what STS accepts or refuses. Runs under the world's lock.
    /// </summary>
    internal sealed class IamOperations
    {
        public static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
        public const string ApiVersion = "2010-05-08";
        public const string Service = "iam";

        /// <summary>IAM is global: its requests are signed for us-east-1 whatever the client's region.</summary>
        public const string SigningRegion = "us-east-1";

        public const int AccessKeysPerUser = 2;

        public static readonly HashSet<string> Emulated = new HashSet<string>(StringComparer.Ordinal)
        {
            "GetUser", "ListAccessKeys", "CreateAccessKey", "DeleteAccessKey", "UpdateAccessKey",
        };

        private static readonly HashSet<string> KeyChanges = new HashSet<string>(StringComparer.Ordinal) { "CreateAccessKey", "DeleteAccessKey", "UpdateAccessKey" };

        // IAM's documented patterns use Java's ASCII \w.
        private static readonly Regex UserNamePattern = new Regex(@"^[A-Za-z0-9_+=,.@-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex KeyIdPattern = new Regex(@"^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant);

        private readonly StsWorld _world;
        private readonly StsOperations _sts;

        public IamOperations(StsWorld world, StsOperations sts)
        {
            _world = world;
            _sts = sts;
        }

        public XElement Execute(string action, IReadOnlyDictionary<string, string> p, SignatureClaim claim, SignedRequest request, StsCall call)
        {
            if (string.IsNullOrEmpty(action)) throw new StsError(400, "MissingAction", "The request must contain the parameter Action");
            p.TryGetValue("Version", out string version);
            if (version != ApiVersion || !Emulated.Contains(action))
            {
                throw new StsError(400, "InvalidAction", "Could not find operation " + action + " for version " + (version ?? "NO_VERSION_SPECIFIED"));
            }
            var caller = _sts.Authenticate(claim, request, Service);
            call.CallerArn = caller.Arn;
            var session = caller.Session;
            // Federated users get no IAM at all, and a GetSessionToken session gets it only with MFA: IAM answers
            // both as if the token were unknown.
            if (session != null && (session.IsFederatedUserSession || (session.IssuedBy == "GetSessionToken" && !session.MfaAuthenticated)))
            {
                throw StsError.InvalidClientTokenId();
            }

            var v = new Validation();
            string userName = Get(p, "UserName");
            v.Check("userName", userName, 1, 128, UserNamePattern, @"[\w+=,.@-]+");
            string keyId = null, status = null;
            if (action == "DeleteAccessKey" || action == "UpdateAccessKey")
            {
                keyId = v.Required(p, "AccessKeyId", "accessKeyId");
                v.Check("accessKeyId", keyId, 16, 128, KeyIdPattern, @"[\w]+");
            }
            if (action == "UpdateAccessKey")
            {
                status = v.Required(p, "Status", "status");
                if (status != null && status != "Active" && status != "Inactive") v.Fail("status", status, "satisfy enum value set: [Active, Inactive]");
            }
            v.ThrowIfAny();

            var user = TargetUser(caller, userName, action);
            if (KeyChanges.Contains(action) && (user.RequireMfaForIam || _world.RequireMfaForIam) && !(session?.MfaAuthenticated ?? false))
            {
                throw StsError.AccessDenied("User: " + caller.Arn + " is not authorized to perform: iam:" + action + " on resource: user " + user.Name
                    + " with an explicit deny in an identity-based policy");
            }

            switch (action)
            {
                case "GetUser":
                    return new XElement(Ns + "GetUserResult", new XElement(Ns + "User",
                        new XElement(Ns + "Path", user.Path ?? "/"),
                        new XElement(Ns + "UserName", user.Name),
                        new XElement(Ns + "UserId", user.UserId),
                        new XElement(Ns + "Arn", user.Arn),
                        new XElement(Ns + "CreateDate", StsOperations.FormatTime(user.CreateDate ?? _world.Now))));
                case "ListAccessKeys":
                    return new XElement(Ns + "ListAccessKeysResult",
                        new XElement(Ns + "AccessKeyMetadata", user.AccessKeys.Select(k => new XElement(Ns + "member",
                            new XElement(Ns + "UserName", user.Name),
                            new XElement(Ns + "AccessKeyId", k.AccessKeyId),
                            new XElement(Ns + "Status", k.Status),
                            new XElement(Ns + "CreateDate", StsOperations.FormatTime(k.CreateDate ?? _world.Now))))),
                        new XElement(Ns + "IsTruncated", "false"));
                case "CreateAccessKey":
                {
                    if (user.AccessKeys.Count >= AccessKeysPerUser)
                    {
                        throw new StsError(409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: " + AccessKeysPerUser);
                    }
                    var key = _world.CreateAccessKeyLocked(user);
                    call.IssuedAccessKeyId = key.AccessKeyId;
                    return new XElement(Ns + "CreateAccessKeyResult", new XElement(Ns + "AccessKey",
                        new XElement(Ns + "UserName", user.Name),
                        new XElement(Ns + "AccessKeyId", key.AccessKeyId),
                        new XElement(Ns + "Status", key.Status),
                        new XElement(Ns + "SecretAccessKey", key.SecretAccessKey),
                        new XElement(Ns + "CreateDate", StsOperations.FormatTime(key.CreateDate.Value))));
                }
                case "DeleteAccessKey":
                    // Removed from the world, so the very next request signed with it is an unknown key.
                    user.AccessKeys.Remove(OwnKey(user, keyId));
                    return null;
                case "UpdateAccessKey":
                    OwnKey(user, keyId).Active = status == "Active";
                    return null;
                default:
                    throw new InvalidOperationException(action);
            }
        }

        /// <summary>The named user in the caller's account, or the calling user when no name is given.</summary>
        private IamUser TargetUser(Principal caller, string userName, string action)
        {
            if (userName == null)
            {
                // IAM's own answer when a role session leaves out the user it means.
                if (caller.User == null) throw StsError.Validation("Must specify userName when calling with non-User credentials");
                return caller.User;
            }
            return _world.FindUserLocked(caller.Account, userName)
                ?? throw new StsError(404, "NoSuchEntity", "The user with name " + userName + " cannot be found.");
        }

        private static AccessKey OwnKey(IamUser user, string keyId)
            => user.AccessKeys.FirstOrDefault(k => k.AccessKeyId == keyId)
                ?? throw new StsError(404, "NoSuchEntity", "The Access Key with id " + keyId + " cannot be found.");

        private static string Get(IReadOnlyDictionary<string, string> p, string name) => p.TryGetValue(name, out var v) ? v : null;
    }
}
