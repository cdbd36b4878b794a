using System.Collections.Generic;

namespace AwsVault.Storage
{
    /// <summary>
    /// Where long-lived keys and cached sessions are kept. Listing members never need a passphrase or an
    /// unlocked vault: <c>Get-AwsVaultProfile</c> must work in a non-interactive session.
    /// </summary>
    internal interface ICredentialStore
    {
        /// <summary>"file" or "secretmanagement".</summary>
        string Backend { get; }

        /// <summary>Where the items are, for messages: a directory or a SecretManagement vault name.</summary>
        string Location { get; }

        IReadOnlyList<string> ListProfilesWithKeys();

        bool HasKey(string profileName);

        /// <summary>The stored key, or null when the profile has none.</summary>
        AccessKey GetKey(string profileName);

        void SetKey(string profileName, AccessKey key);

        /// <summary>True when a key was there to remove.</summary>
        bool RemoveKey(string profileName);

        IReadOnlyList<SessionKey> ListSessions();

        /// <summary>The cached session's data (JSON of the STS Credentials), or null when it is not there.</summary>
        string GetSession(SessionKey key);

        void SetSession(SessionKey key, string json);

        bool RemoveSession(SessionKey key);

        /// <summary>The token keys (sso-session names, or start URLs for the legacy form) of the stored SSO
        /// sign-ins. Names only: no passphrase needed. Neither profiles nor sessions: those listings never show them.</summary>
        IReadOnlyList<string> ListSsoTokens();

        /// <summary>The stored SSO sign-in (an opaque JSON document that holds tokens and the client secret), or
        /// null when there is none. Only <see cref="AwsVault.Sso.VaultSsoTokenStore"/> reads or writes it.</summary>
        string GetSsoToken(string tokenKey);

        void SetSsoToken(string tokenKey, string json);

        bool RemoveSsoToken(string tokenKey);
    }
}
