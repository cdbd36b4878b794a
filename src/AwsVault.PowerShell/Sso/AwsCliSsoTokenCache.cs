using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using AwsVault.Internal;

namespace AwsVault.Sso
{
    /// <summary>
    /// Reads (never writes) the token the AWS CLI v2 left in ~/.aws/sso/cache, so someone who ran
    /// <c>aws sso login</c> is not asked to sign in again. Tokens AwsVault gets itself go into the vault only.
    /// </summary>
    /// <remarks>
    /// The format, as botocore writes and reads it (botocore/utils.py SSOTokenLoader, botocore/tokens.py
    /// SSOTokenProvider, awscli/customizations/sso; read from source, not copied):
    /// <list type="bullet">
    /// <item>file name: the lower-case SHA-1 hex of the UTF-8 sso-session name, or of the start URL for a profile
    /// with sso_start_url itself, plus ".json";</item>
    /// <item>always "startUrl", "region", "accessToken", "expiresAt"; for an sso-session also "refreshToken" (when
    /// the grant gave one), "clientId", "clientSecret", "registrationExpiresAt";</item>
    /// <item>times are UTC: botocore writes "2026-12-04T19:00:00Z", older CLI versions "2026-12-04T19:00:00UTC";
    /// botocore reads them with dateutil, so fractions and offsets are accepted here too.</item>
    /// </list>
    /// The legacy form's client registration lives in a separate file keyed by region, which is not read: a legacy
    /// token is used until it expires, as the CLI does.
    /// </remarks>
    internal sealed class AwsCliSsoTokenCache
    {
        /// <summary>Files bigger than this are not a token; they are not read into memory.</summary>
        private const long MaxFileSize = 64 * 1024;

        public AwsCliSsoTokenCache(string directory = null)
        {
            Directory = directory ?? DefaultDirectory;
        }

        /// <summary>~/.aws/sso/cache under the home AwsPaths finds (HOME, then USERPROFILE on Windows), read now.</summary>
        public static string DefaultDirectory => Path.Combine(AwsPaths.HomeDirectory, ".aws", "sso", "cache");

        public string Directory { get; }

        /// <summary>The CLI's file name for a token key (sso-session name, or start URL for the legacy form).</summary>
        public static string FileNameFor(string tokenKey)
        {
            if (string.IsNullOrEmpty(tokenKey)) throw new ArgumentException("A token key is a non-empty sso-session name or start URL.", nameof(tokenKey));
            using (SHA1 sha1 = SHA1.Create())
            {
                byte[] hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(tokenKey));
                var sb = new StringBuilder(hash.Length * 2 + 5);
                foreach (byte b in hash) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
                return sb.Append(".json").ToString();
            }
        }

        public string PathFor(string tokenKey) => Path.Combine(Directory, FileNameFor(tokenKey));

        /// <summary>
        /// The CLI's token for this key, or null with a reason (for -Verbose; it never holds a token or secret) when
        /// there is no file, the file cannot be read or parsed, it belongs to another start URL, or its access token
        /// has expired and it cannot be refreshed. An expired token that can be refreshed (refresh token and an
        /// unexpired client registration) is returned: the caller refreshes it and keeps the result in the vault.
        /// </summary>
        public SsoStoredToken Read(string tokenKey, string expectedStartUrl, DateTimeOffset now, out string reason)
        {
            reason = null;
            string path = PathFor(tokenKey);
            byte[] bytes;
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (stream.Length > MaxFileSize)
                    {
                        reason = "the AWS CLI token file '" + path + "' is too large to be a token";
                        return null;
                    }
                    bytes = new byte[stream.Length];
                    int read = 0;
                    while (read < bytes.Length)
                    {
                        int n = stream.Read(bytes, read, bytes.Length - read);
                        if (n == 0) break;
                        read += n;
                    }
                    if (read != bytes.Length) Array.Resize(ref bytes, read);
                }
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                reason = "the AWS CLI has no token for '" + tokenKey + "' ('" + path + "' does not exist)";
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                reason = "the AWS CLI token file '" + path + "' cannot be read: " + e.Message.TrimEnd('.');
                return null;
            }

            try
            {
                return Parse(bytes, path, expectedStartUrl, now, out reason);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        private static SsoStoredToken Parse(byte[] bytes, string path, string expectedStartUrl, DateTimeOffset now, out string reason)
        {
            reason = null;
            Dictionary<string, object> obj;
            try
            {
                obj = Json.ParseObject(bytes);
            }
            catch (FormatException e)
            {
                // Json's messages give a position, never the text.
                reason = "the AWS CLI token file '" + path + "' is not a JSON object (" + e.Message.TrimEnd('.') + ")";
                return null;
            }

            string startUrl = Text(obj, "startUrl");
            string access = Text(obj, "accessToken");
            if (string.IsNullOrEmpty(access))
            {
                reason = "the AWS CLI token file '" + path + "' holds no accessToken";
                return null;
            }
            if (!TryTime(Text(obj, "expiresAt"), out DateTimeOffset expiresAt))
            {
                reason = "the AWS CLI token file '" + path + "' has no readable expiresAt";
                return null;
            }
            if (!string.IsNullOrEmpty(expectedStartUrl) && !string.IsNullOrEmpty(startUrl) && !SameStartUrl(startUrl, expectedStartUrl))
            {
                reason = "the AWS CLI token file '" + path + "' is for start URL '" + startUrl + "', not '" + expectedStartUrl + "'";
                return null;
            }

            var token = new SsoStoredToken
            {
                StartUrl = string.IsNullOrEmpty(startUrl) ? expectedStartUrl : startUrl,
                Region = Text(obj, "region"),
                AccessToken = access,
                ExpiresAt = expiresAt,
                RefreshToken = Text(obj, "refreshToken"),
            };
            string clientId = Text(obj, "clientId");
            string clientSecret = Text(obj, "clientSecret");
            if (clientId != null && clientSecret != null && TryTime(Text(obj, "registrationExpiresAt"), out DateTimeOffset registrationExpiresAt))
            {
                token.Registration = new SsoClientRegistration(clientId, clientSecret, registrationExpiresAt);
            }

            if (expiresAt <= now && !token.CanRefreshAt(now))
            {
                reason = "the AWS CLI token in '" + path + "' expired at " + Rfc3339.Format(expiresAt) +
                         (token.RefreshToken == null ? " and holds no refresh token" : " and its client registration has expired or is missing");
                return null;
            }
            return token;
        }

        /// <summary>A non-empty string member, else null (a number or object where a string belongs counts as absent).</summary>
        private static string Text(Dictionary<string, object> obj, string name) =>
            obj.TryGetValue(name, out object value) && value is string s && s.Length > 0 ? s : null;

        /// <summary>The CLI's UTC times: "...Z", "...UTC" (older CLI versions), or with an offset or fraction.</summary>
        internal static bool TryTime(string text, out DateTimeOffset time)
        {
            time = default;
            if (string.IsNullOrEmpty(text)) return false;
            if (text.EndsWith("UTC", StringComparison.Ordinal)) text = text.Substring(0, text.Length - 3) + "Z";
            if (!Rfc3339.TryParse(text, out time)) return false;
            time = time.ToUniversalTime();
            return true;
        }

        private static bool SameStartUrl(string a, string b) =>
            string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }
}
