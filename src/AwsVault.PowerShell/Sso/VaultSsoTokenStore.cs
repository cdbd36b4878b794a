using System;
using System.Collections.Generic;
using System.Linq;
using AwsVault.Internal;
using AwsVault.Storage;

namespace AwsVault.Sso
{
    /// <summary>
    /// <see cref="ISsoTokenStore"/> over the user's <see cref="ICredentialStore"/>: one encrypted item per sign-in,
    /// next to the keys and sessions (file vault item "oidc:&lt;token key&gt;", SecretManagement secret
    /// "AwsVault-SsoToken-&lt;encoded key&gt;"), never in a file of ours.
    /// </summary>
    /// <remarks>
    /// The item's data is the JSON aws-vault's OIDCTokenKeyring keeps (vault/oidctokenkeyring.go, read from
    /// source; 99designs v7 and the ByteNess fork): an object with "Token" (the SDK's CreateTokenOutput:
    /// AccessToken, ExpiresIn, IdToken, RefreshToken, TokenType) and "Expiration" (RFC 3339), which the fork extends
    /// with "ClientID", "ClientSecret" and "ClientSecretExpiresAt" so a refresh token can be redeemed. Go ignores
    /// unknown members, so ours (StartURL, Region, ClientScopes) ride along without upsetting aws-vault, and we read
    /// its items (members matched case-insensitively, as Go does). An unreadable item is reported at -Verbose and
    /// treated as no sign-in; the next sign-in overwrites it.
    /// </remarks>
    internal sealed class VaultSsoTokenStore : ISsoTokenStore
    {
        private readonly ICredentialStore _store;
        private readonly Action<string> _log;

        public VaultSsoTokenStore(ICredentialStore store, Action<string> log = null)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _log = log ?? (_ => { });
        }

        public SsoStoredToken Get(string tokenKey)
        {
            string json = _store.GetSsoToken(tokenKey);
            if (json == null) return null;
            SsoStoredToken token = Parse(json, out string problem);
            if (token == null)
            {
                _log("The stored SSO sign-in for '" + tokenKey + "' in the " + _store.Backend + " vault cannot be used (" + problem + "); signing in again replaces it.");
            }
            return token;
        }

        public void Set(string tokenKey, SsoStoredToken token)
        {
            if (token == null) throw new ArgumentNullException(nameof(token));
            if (string.IsNullOrEmpty(token.AccessToken)) throw new ArgumentException("An SSO sign-in needs an access token.", nameof(token));
            _store.SetSsoToken(tokenKey, ToJson(token, DateTimeOffset.UtcNow));
        }

        public bool Remove(string tokenKey) => _store.RemoveSsoToken(tokenKey);

        /// <summary>aws-vault's OIDCTokenData shape plus our members. ExpiresIn is the seconds left at writing, as
        /// aws-vault writes it; Expiration is what counts on reading, for both tools.</summary>
        internal static string ToJson(SsoStoredToken token, DateTimeOffset now)
        {
            long expiresIn = Math.Max(0, (long)(token.ExpiresAt - now).TotalSeconds);
            string inner = new JsonObjectWriter()
                .String("AccessToken", token.AccessToken)
                .Number("ExpiresIn", expiresIn)
                .String("IdToken", null)
                .String("RefreshToken", string.IsNullOrEmpty(token.RefreshToken) ? null : token.RefreshToken)
                .String("TokenType", "Bearer")
                .Raw("ResultMetadata", "{}")
                .ToString();
            var writer = new JsonObjectWriter()
                .Raw("Token", inner)
                .String("Expiration", Rfc3339.Format(token.ExpiresAt));
            SsoClientRegistration client = token.Registration;
            if (client != null)
            {
                writer.String("ClientID", client.ClientId)
                      .String("ClientSecret", client.ClientSecret)
                      .String("ClientSecretExpiresAt", Rfc3339.Format(client.ExpiresAt))
                      .Raw("ClientScopes", "[" + string.Join(",", client.Scopes.Select(JsonObjectWriter.Quote)) + "]");
            }
            return writer.String("StartURL", token.StartUrl)
                         .String("Region", token.Region)
                         .ToString();
        }

        /// <summary>The sign-in in an item's JSON, or null with a reason that names no secret.</summary>
        internal static SsoStoredToken Parse(string json, out string problem)
        {
            problem = null;
            Dictionary<string, object> obj;
            try
            {
                obj = Json.ParseObject(json);
            }
            catch (FormatException e)
            {
                problem = "the item is not a JSON object: " + e.Message;
                return null;
            }
            var tokenObj = Member(obj, "Token") as Dictionary<string, object>;
            if (tokenObj == null)
            {
                problem = "the item has no Token object";
                return null;
            }
            string access = Member(tokenObj, "AccessToken") as string;
            if (string.IsNullOrEmpty(access))
            {
                problem = "the item holds no access token";
                return null;
            }
            if (!(Member(obj, "Expiration") is string expiration) || !Rfc3339.TryParse(expiration, out DateTimeOffset expiresAt))
            {
                problem = "the item's Expiration is missing or not an RFC 3339 time";
                return null;
            }
            var token = new SsoStoredToken
            {
                StartUrl = Member(obj, "StartURL") as string,
                Region = Member(obj, "Region") as string,
                AccessToken = access,
                ExpiresAt = expiresAt.ToUniversalTime(),
                RefreshToken = NullIfEmpty(Member(tokenObj, "RefreshToken") as string),
            };
            string clientId = Member(obj, "ClientID") as string;
            string clientSecret = Member(obj, "ClientSecret") as string;
            if (!string.IsNullOrEmpty(clientId) && !string.IsNullOrEmpty(clientSecret))
            {
                // aws-vault leaves ClientSecretExpiresAt out when the registration does not expire (omitzero).
                DateTimeOffset clientExpires = DateTimeOffset.MaxValue;
                if (Member(obj, "ClientSecretExpiresAt") is string ce && !Rfc3339.TryParse(ce, out clientExpires))
                {
                    problem = "the item's ClientSecretExpiresAt is not an RFC 3339 time";
                    return null;
                }
                var scopes = (Member(obj, "ClientScopes") as List<object>)?.OfType<string>().ToList();
                token.Registration = new SsoClientRegistration(clientId, clientSecret, clientExpires, scopes);
            }
            return token;
        }

        private static object Member(Dictionary<string, object> obj, string name) =>
            Json.TryGetMember(obj, name, out object value) ? value : null;

        private static string NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;
    }
}
