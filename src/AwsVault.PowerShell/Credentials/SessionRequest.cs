namespace AwsVault.Credentials
{
    /// <summary>What the caller asked for: the session parameters shared by the session cmdlets.</summary>
    internal sealed class SessionRequest
    {
        public string ProfileName { get; set; }

        /// <summary>-Duration in seconds: the lifetime of the target profile's credentials.</summary>
        public int? DurationSeconds { get; set; }

        public bool NoSession { get; set; }
        public string MfaToken { get; set; }
        public string Region { get; set; }
        public bool Refresh { get; set; }

        /// <summary>Console sign-in: a profile whose chain ends in a stored key without a role gets GetFederationToken
        /// instead of GetSessionToken, because the federation endpoint refuses session-token credentials.</summary>
        public bool ForConsoleSignIn { get; set; }
    }
}
