namespace AwsVault
{
    /// <summary>
    /// The error id of every terminating error AwsVault raises, for scripts that match on
    /// <c>$_.FullyQualifiedErrorId</c> or <c>-ErrorId</c>. about_AwsVault lists the same names; a test keeps the two and
    /// the product source in step (no id is written as a literal anywhere else).
    /// </summary>
    public static class ErrorIds
    {
        // The config file and profiles
        public const string ConfigIncludeProfileNotFound = "ConfigIncludeProfileNotFound";
        public const string ConfigInvalidValue = "ConfigInvalidValue";
        public const string ConfigLockTimeout = "ConfigLockTimeout";
        public const string ConfigProfileLoop = "ConfigProfileLoop";
        public const string ConfigReadError = "ConfigReadError";
        public const string ConfigSourceProfileNotFound = "ConfigSourceProfileNotFound";
        public const string ConfigSsoSessionNotFound = "ConfigSsoSessionNotFound";
        public const string ConfigSsoSettingConflict = "ConfigSsoSettingConflict";
        public const string ConfigSsoSettingMissing = "ConfigSsoSettingMissing";
        public const string ConfigSyntaxError = "ConfigSyntaxError";
        public const string ConfigWriteError = "ConfigWriteError";
        public const string InvalidDuration = "InvalidDuration";
        public const string InvalidMaxAttempts = "InvalidMaxAttempts";
        public const string InvalidProfileName = "InvalidProfileName";
        public const string InvalidRetryMode = "InvalidRetryMode";
        public const string InvalidSessionTags = "InvalidSessionTags";
        public const string ProfileHasSourceProfile = "ProfileHasSourceProfile";
        public const string ProfileNotFound = "ProfileNotFound";
        public const string ProfileNotSso = "ProfileNotSso";
        public const string SessionParameterNotApplicable = "SessionParameterNotApplicable";

        // Stored keys and the file vault
        public const string AccessKeyRequired = "AccessKeyRequired";
        public const string CompletionNeedsNoPassphrase = "CompletionNeedsNoPassphrase";
        public const string ConfirmationRequired = "ConfirmationRequired";
        public const string CredentialsMissing = "CredentialsMissing";
        public const string EnvironmentKeyMissing = "EnvironmentKeyMissing";
        public const string ExportOfLongLivedKeyRefused = "ExportOfLongLivedKeyRefused";
        public const string FileAccessDenied = "FileAccessDenied";
        public const string FileAccessFailed = "FileAccessFailed";
        public const string FileVaultPassphraseRequired = "FileVaultPassphraseRequired";
        public const string InvalidAccessKeyId = "InvalidAccessKeyId";
        public const string InvalidBackend = "InvalidBackend";
        public const string InvalidSecretAccessKey = "InvalidSecretAccessKey";
        public const string ProfileKeyExists = "ProfileKeyExists";
        public const string ProfileKeyNotFound = "ProfileKeyNotFound";
        public const string ProfileNameRequired = "ProfileNameRequired";
        public const string TemporaryAccessKeyRejected = "TemporaryAccessKeyRejected";
        public const string VaultIoFailed = "VaultIoFailed";
        public const string VaultItemCorrupt = "VaultItemCorrupt";
        public const string VaultNeedsSecretManagement = "VaultNeedsSecretManagement";
        public const string VaultPassphraseIncorrect = "VaultPassphraseIncorrect";
        public const string VaultPassphraseMismatch = "VaultPassphraseMismatch";
        public const string VaultPassphraseMissing = "VaultPassphraseMissing";

        // SecretManagement
        public const string SecretManagementCallFailed = "SecretManagementCallFailed";
        public const string SecretManagementNotAvailable = "SecretManagementNotAvailable";
        public const string SecretManagementUnexpectedSecretType = "SecretManagementUnexpectedSecretType";
        public const string SecretVaultCallFailed = "SecretVaultCallFailed";
        public const string SecretVaultLocked = "SecretVaultLocked";
        public const string SecretVaultNotFound = "SecretVaultNotFound";
        public const string SecretVaultNotRegistered = "SecretVaultNotRegistered";
        public const string SecretVaultWriteFailed = "SecretVaultWriteFailed";

        // MFA
        public const string MfaProcessFailed = "MfaProcessFailed";
        public const string MfaTokenAlreadyUsed = "MfaTokenAlreadyUsed";
        public const string MfaTokenInvalid = "MfaTokenInvalid";
        public const string MfaTokenRequired = "MfaTokenRequired";

        // STS (StsPrefix + the STS error code; the common ones are listed)
        public const string StsPrefix = "Sts";
        public const string StsAccessDenied = "StsAccessDenied";
        public const string StsCallFailed = "StsCallFailed";
        public const string StsConnectionFailed = "StsConnectionFailed";
        public const string StsExpiredToken = "StsExpiredToken";
        public const string StsInvalidClientTokenId = "StsInvalidClientTokenId";
        public const string StsInvalidEndpoint = "StsInvalidEndpoint";
        public const string StsRegionDisabledException = "StsRegionDisabledException";
        public const string StsSignatureDoesNotMatch = "StsSignatureDoesNotMatch";
        public const string StsThrottling = "StsThrottling";
        public const string StsTimeout = "StsTimeout";
        public const string StsUnexpectedResponse = "StsUnexpectedResponse";
        public const string StsValidationError = "StsValidationError";

        // IAM: rotating a stored key (IamPrefix + the IAM error code; the common ones are listed), and the states a
        // rotation can stop in once the new key exists
        public const string IamPrefix = "Iam";
        public const string IamAccessDenied = "IamAccessDenied";
        public const string IamConnectionFailed = "IamConnectionFailed";
        public const string IamInvalidClientTokenId = "IamInvalidClientTokenId";
        public const string IamInvalidEndpoint = "IamInvalidEndpoint";
        public const string IamLimitExceeded = "IamLimitExceeded";
        public const string IamNoSuchEntity = "IamNoSuchEntity";
        public const string IamThrottling = "IamThrottling";
        public const string IamTimeout = "IamTimeout";
        public const string IamUnexpectedResponse = "IamUnexpectedResponse";
        public const string NewAccessKeyNotAccepted = "NewAccessKeyNotAccepted";
        public const string NewAccessKeyNotStored = "NewAccessKeyNotStored";
        public const string OldAccessKeyNotDeleted = "OldAccessKeyNotDeleted";

        // IAM Identity Center (SSO) sign-in
        public const string SsoAccessDenied = "SsoAccessDenied";
        public const string SsoCallFailed = "SsoCallFailed";
        public const string SsoSignInDenied = "SsoSignInDenied";
        public const string SsoSignInExpired = "SsoSignInExpired";
        public const string SsoSignInFailed = "SsoSignInFailed";
        public const string SsoSessionNameRequired = "SsoSessionNameRequired";
        public const string SsoSignInRequired = "SsoSignInRequired";
        public const string SsoTokenRevoked = "SsoTokenRevoked";

        // Other credential sources
        public const string CredentialProcessFailed = "CredentialProcessFailed";
        public const string WebIdentityTokenEmpty = "WebIdentityTokenEmpty";
        public const string WebIdentityTokenProcessFailed = "WebIdentityTokenProcessFailed";
        public const string WebIdentityTokenUnreadable = "WebIdentityTokenUnreadable";

        // Sessions, commands and processes
        public const string CommandNotFound = "CommandNotFound";
        public const string CommandRequired = "CommandRequired";
        public const string ModuleFilesMissing = "ModuleFilesMissing";
        public const string NestedSessionRefused = "NestedSessionRefused";
        public const string PipedObjectNotAProfile = "PipedObjectNotAProfile";
        public const string PipedProfileConflict = "PipedProfileConflict";
        public const string PipedProfileStoreMismatch = "PipedProfileStoreMismatch";
        public const string ProcessStartFailed = "ProcessStartFailed";
        public const string PromptCancelled = "PromptCancelled";
        public const string RuntimeDirectoryUnavailable = "RuntimeDirectoryUnavailable";
        public const string RuntimeDirectoryUnsafe = "RuntimeDirectoryUnsafe";
        public const string SessionLockTimeout = "SessionLockTimeout";
        public const string UnsafeBatchArgument = "UnsafeBatchArgument";

        // Console sign-in (Get-AwsVaultLoginUrl, Open-AwsVaultConsole)
        public const string LoginBrowserUnavailable = "LoginBrowserUnavailable";
        public const string LoginDestinationInvalid = "LoginDestinationInvalid";
        public const string LoginEndpointInvalid = "LoginEndpointInvalid";
        public const string LoginFederationConnectionFailed = "LoginFederationConnectionFailed";
        public const string LoginFederationTimeout = "LoginFederationTimeout";
        public const string LoginFederationUnavailable = "LoginFederationUnavailable";
        public const string LoginFederationUnexpectedResponse = "LoginFederationUnexpectedResponse";
        public const string LoginSigninTokenRefused = "LoginSigninTokenRefused";

        // The local credential server
        public const string CredentialServerLongLivedKeyRefused = "CredentialServerLongLivedKeyRefused";
        public const string CredentialServerFormatNotSupported = "CredentialServerFormatNotSupported";
        public const string CredentialServerListenAddressInvalid = "CredentialServerListenAddressInvalid";
        public const string CredentialServerNotRunning = "CredentialServerNotRunning";
        public const string CredentialServerStartFailed = "CredentialServerStartFailed";
    }
}
