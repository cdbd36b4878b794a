namespace AwsVault.Config
{
    /// <summary>The config keys the engine reads, spelled once.</summary>
    internal static class ConfigKeys
    {
        public const string Region = "region";
        public const string MfaSerial = "mfa_serial";
        public const string RoleArn = "role_arn";
        public const string SourceProfile = "source_profile";
        public const string ExternalId = "external_id";
        public const string RoleSessionName = "role_session_name";
        public const string DurationSeconds = "duration_seconds";
        public const string SessionTags = "session_tags";
        public const string TransitiveSessionTags = "transitive_session_tags";
        public const string SourceIdentity = "source_identity";
        public const string CredentialProcess = "credential_process";
        public const string MfaProcess = "mfa_process";
        public const string WebIdentityTokenFile = "web_identity_token_file";
        public const string WebIdentityTokenProcess = "web_identity_token_process";
        public const string StsRegionalEndpoints = "sts_regional_endpoints";
        public const string EndpointUrl = "endpoint_url";
        public const string MaxAttempts = "max_attempts";
        public const string RetryMode = "retry_mode";
        public const string IncludeProfile = "include_profile";
        public const string SsoSession = "sso_session";
        public const string SsoStartUrl = "sso_start_url";
        public const string SsoRegion = "sso_region";
        public const string SsoAccountId = "sso_account_id";
        public const string SsoRoleName = "sso_role_name";
        public const string SsoRegistrationScopes = "sso_registration_scopes";

        public const string DefaultProfile = "default";
    }
}
