namespace AwsVault.Credentials
{
    /// <summary>GetSessionToken around long-lived keys, with MFA when the profile has mfa_serial.</summary>
    internal sealed class SessionTokenProvider : ICredentialProvider
    {
        private readonly ICredentialProvider _source;
        private readonly StsEndpoint _endpoint;
        private readonly int _durationSeconds;
        private readonly string _mfaSerial;
        private readonly string _mfaProcess;
        private readonly string _durationSource;

        public SessionTokenProvider(ICredentialProvider source, string profileName, StsEndpoint endpoint, int durationSeconds, string mfaSerial, string mfaProcess, string durationSource = null)
        {
            _durationSource = durationSource;
            _source = source;
            ProfileName = profileName;
            _endpoint = endpoint;
            _durationSeconds = durationSeconds;
            _mfaSerial = string.IsNullOrEmpty(mfaSerial) ? null : mfaSerial;
            _mfaProcess = mfaProcess;
        }

        public string ProfileName { get; }
        public string Description => "GetSessionToken(" + ProfileName + (_mfaSerial != null ? ", MFA" : string.Empty) + ")";
        public bool IssuesRoleSession => false;
        public string MfaSerial => _mfaSerial;
        public ICredentialProvider Source => _source;

        public AwsCredentials Retrieve(ChainContext context)
        {
            AwsCredentials caller = _source.Retrieve(context);
            string code = _mfaSerial == null ? null : context.Mfa.GetCode(_mfaSerial, ProfileName, _mfaProcess, context.ConfigPath);
            context.Log("profile " + ProfileName + ": calling STS GetSessionToken" + (_mfaSerial != null ? " with MFA " + _mfaSerial : " without MFA") +
                        " for " + DurationLimits.Describe(_durationSeconds) + " at " + _endpoint.Describe() + ", " + _endpoint.Retry.Describe() + ".");
            try
            {
                return context.Sts.GetSessionToken(_endpoint, caller, _durationSeconds, _mfaSerial, code).Credentials;
            }
            catch (StsCallException ex)
            {
                throw StsErrors.Translate(ex, ProfileName, "GetSessionToken", _endpoint, code != null, _durationSource, caller.SecretAccessKey, caller.SessionToken);
            }
        }
    }
}
