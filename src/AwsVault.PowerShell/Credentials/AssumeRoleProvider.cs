using System.Collections.Generic;

namespace AwsVault.Credentials
{
    /// <summary>AssumeRole with the profile's role settings, signed by the credentials of the hop below.</summary>
    internal sealed class AssumeRoleProvider : ICredentialProvider
    {
        private readonly ICredentialProvider _source;
        private readonly StsEndpoint _endpoint;
        private readonly AssumeRoleParameters _template;
        private readonly string _mfaSerial;
        private readonly string _mfaProcess;
        private readonly string _durationSource;

        public AssumeRoleProvider(ICredentialProvider source, string profileName, StsEndpoint endpoint, AssumeRoleParameters template, string mfaSerial, string mfaProcess, string durationSource = null)
        {
            _durationSource = durationSource;
            _source = source;
            ProfileName = profileName;
            _endpoint = endpoint;
            _template = template;
            _mfaSerial = string.IsNullOrEmpty(mfaSerial) ? null : mfaSerial;
            _mfaProcess = mfaProcess;
        }

        public string ProfileName { get; }
        public string Description => "AssumeRole(" + ProfileName + (_mfaSerial != null ? ", MFA" : string.Empty) + ")";
        public bool IssuesRoleSession => true;
        public string MfaSerial => _mfaSerial;
        public ICredentialProvider Source => _source;

        public AwsCredentials Retrieve(ChainContext context)
        {
            AwsCredentials caller = _source.Retrieve(context);
            string code = _mfaSerial == null ? null : context.Mfa.GetCode(_mfaSerial, ProfileName, _mfaProcess, context.ConfigPath);
            var request = new AssumeRoleParameters
            {
                RoleArn = _template.RoleArn,
                RoleSessionName = _template.RoleSessionName ?? RoleSessionNames.Default(),
                DurationSeconds = _template.DurationSeconds,
                ExternalId = _template.ExternalId,
                Tags = _template.Tags ?? new Dictionary<string, string>(),
                TransitiveTagKeys = _template.TransitiveTagKeys ?? new List<string>(),
                SourceIdentity = _template.SourceIdentity,
                SerialNumber = _mfaSerial,
                TokenCode = code,
            };
            context.Log("profile " + ProfileName + ": calling STS AssumeRole " + request.RoleArn + " as session '" + request.RoleSessionName + "'" +
                        (_mfaSerial != null ? " with MFA " + _mfaSerial : " without MFA") + " for " + DurationLimits.Describe(request.DurationSeconds) +
                        " at " + _endpoint.Describe() + ", " + _endpoint.Retry.Describe() + ".");
            try
            {
                return context.Sts.AssumeRole(_endpoint, caller, request).Credentials;
            }
            catch (StsCallException ex)
            {
                throw StsErrors.Translate(ex, ProfileName, "AssumeRole " + request.RoleArn, _endpoint, code != null, _durationSource, caller.SecretAccessKey, caller.SessionToken);
            }
        }
    }
}
