using System;

namespace AwsVault.Credentials
{
    /// <summary>
    /// GetFederationToken around an IAM user's long-lived key, for console sign-in only (aws-vault's
    /// FederationTokenProvider): the federation endpoint refuses GetSessionToken sessions, so a profile without a role
    /// signs in as a federated user named after the IAM user, with an allow-all session policy (the session can still do
    /// only what the user's own policies allow). STS takes no MFA for this call, so a profile's mfa_serial cannot apply;
    /// the log says so. The session is not cached: like aws-vault, every sign-in gets its own.
    /// </summary>
    internal sealed class FederationTokenProvider : ICredentialProvider
    {
        /// <summary>aws-vault's session policy: everything the user itself may do.</summary>
        internal const string AllowAllPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

        /// <summary>GetFederationToken's longest Name.</summary>
        internal const int MaximumNameLength = 32;

        private readonly ICredentialProvider _source;
        private readonly StsEndpoint _endpoint;
        private readonly int _durationSeconds;
        private readonly string _durationSource;
        private readonly string _ignoredMfaSerial;

        public FederationTokenProvider(ICredentialProvider source, string profileName, StsEndpoint endpoint, int durationSeconds, string durationSource, string ignoredMfaSerial)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
            ProfileName = profileName;
            _endpoint = endpoint;
            _durationSeconds = durationSeconds;
            _durationSource = durationSource;
            _ignoredMfaSerial = string.IsNullOrEmpty(ignoredMfaSerial) ? null : ignoredMfaSerial;
        }

        public string ProfileName { get; }
        public string Description => "GetFederationToken(" + ProfileName + ")";
        public bool IssuesRoleSession => false;
        public ICredentialProvider Source => _source;
        public string MfaSerial => null;

        /// <summary>The federated user's name from the caller's ARN, as aws-vault names it: the IAM user name (the last
        /// part of the ARN's resource, so a path is dropped), cut to 32 characters; "root" for the account's root user.</summary>
        internal static string NameFor(string callerArn)
        {
            string resource = callerArn ?? string.Empty;
            int colon = resource.LastIndexOf(':');
            if (colon >= 0) resource = resource.Substring(colon + 1);
            int slash = resource.LastIndexOf('/');
            if (slash >= 0) resource = resource.Substring(slash + 1);
            return resource.Length > MaximumNameLength ? resource.Substring(0, MaximumNameLength) : resource;
        }

        internal static bool IsRootUser(string callerArn) =>
            callerArn != null && callerArn.EndsWith(":root", StringComparison.Ordinal);

        public AwsCredentials Retrieve(ChainContext context)
        {
            AwsCredentials caller = _source.Retrieve(context);
            if (_ignoredMfaSerial != null)
            {
                context.Log("profile " + ProfileName + ": its mfa_serial " + _ignoredMfaSerial + " is not used for console sign-in: GetFederationToken takes no MFA code " +
                            "(as in aws-vault). Give the profile a role_arn with mfa_serial to sign in with MFA.");
            }

            context.Log("profile " + ProfileName + ": calling STS GetCallerIdentity at " + _endpoint.Describe() + " to name the federated user after the IAM user.");
            CallerIdentity identity;
            try
            {
                identity = context.Sts.GetCallerIdentity(_endpoint, caller);
            }
            catch (StsCallException ex)
            {
                throw StsErrors.Translate(ex, ProfileName, "GetCallerIdentity", _endpoint, false, caller.SecretAccessKey, caller.SessionToken);
            }

            if (IsRootUser(identity.Arn))
            {
                // AWS allows a root user's federated session at most 1 h; refused here rather than by STS, with the reason.
                DurationLimits.Check(_durationSeconds, DurationLimits.FederationTokenRootMaximum, ProfileName,
                    "a GetFederationToken session signed by the account's root user", _durationSource);
            }

            var parameters = new FederationTokenParameters
            {
                Name = NameFor(identity.Arn),
                DurationSeconds = _durationSeconds,
                Policy = AllowAllPolicy,
            };
            context.Log("profile " + ProfileName + ": calling STS GetFederationToken for federated user '" + parameters.Name + "' for " +
                        DurationLimits.Describe(_durationSeconds) + " (" + _durationSource + ") at " + _endpoint.Describe() + ", " + _endpoint.Retry.Describe() + ".");
            try
            {
                return context.Sts.GetFederationToken(_endpoint, caller, parameters).Credentials;
            }
            catch (StsCallException ex)
            {
                throw StsErrors.Translate(ex, ProfileName, "GetFederationToken", _endpoint, false, _durationSource, caller.SecretAccessKey, caller.SessionToken);
            }
        }
    }
}
