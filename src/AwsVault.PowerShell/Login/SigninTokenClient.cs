using System;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using AwsVault.Credentials;
using AwsVault.Internal;

namespace AwsVault.Login
{
    /// <summary>
    /// The federation endpoint's getSigninToken: a session's key, secret and token in, a sign-in token (valid 15
    /// minutes) out. The request URL holds the session's secret and the reply holds the token, so neither is ever put
    /// into a message, a log line or an exception: failures name the endpoint, the status and the session's key id only.
    /// </summary>
    internal static class SigninTokenClient
    {
        /// <summary>One GET; the endpoint answers at once or not at all.</summary>
        internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

        // The real endpoint answers 400 with an empty body; a proxy or stand-in may say why in a line of text.
        private const int MaximumReasonLength = 200;

        public static string GetSigninToken(Uri federation, AwsCredentials session, int? sessionDuration, string profileName, Action<string> log)
        {
            string sessionJson = new JsonObjectWriter()
                .String("sessionId", session.AccessKeyId)
                .String("sessionKey", session.SecretAccessKey)
                .String("sessionToken", session.SessionToken ?? string.Empty)
                .ToString();
            string query = "?Action=getSigninToken" +
                           (sessionDuration.HasValue ? "&SessionDuration=" + sessionDuration.Value.ToString(CultureInfo.InvariantCulture) : string.Empty) +
                           "&Session=" + Uri.EscapeDataString(sessionJson);
            var request = new Uri(federation.GetLeftPart(UriPartial.Path) + query);
            log("profile " + profileName + ": asking the federation endpoint " + federation.GetLeftPart(UriPartial.Path) + " for a sign-in token (getSigninToken) for session " +
                session.AccessKeyId + (sessionDuration.HasValue ? ", console session " + DurationLimits.Describe(sessionDuration.Value) : string.Empty) + ".");

            int status;
            string body;
            try
            {
                using (var handler = new HttpClientHandler { AllowAutoRedirect = false })
                using (var http = new HttpClient(handler) { Timeout = Timeout })
                using (HttpResponseMessage response = http.GetAsync(request).GetAwaiter().GetResult())
                {
                    status = (int)response.StatusCode;
                    body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult() ?? string.Empty;
                }
            }
            catch (Exception ex) when (ex is TaskCanceledException || ex is TimeoutException)
            {
                throw new AwsVaultException(ErrorIds.LoginFederationTimeout, ErrorCategory.OperationTimeout,
                    Where(federation, profileName) + " did not answer within " + Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s. " + CheckTheWay + ", then try again.",
                    profileName);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is WebException || ex is System.IO.IOException || ex is System.Net.Sockets.SocketException)
            {
                // The inner exception is left out: its text is the network stack's, and the request URL holds the secret.
                throw new AwsVaultException(ErrorIds.LoginFederationConnectionFailed, ErrorCategory.ConnectionError,
                    Where(federation, profileName) + " could not be reached: " + Redacted(Innermost(ex).Message, session, request) + ". " + CheckTheWay + ".",
                    profileName);
            }

            if (status == 200)
            {
                string token = TokenFrom(body);
                if (string.IsNullOrEmpty(token))
                {
                    throw new AwsVaultException(ErrorIds.LoginFederationUnexpectedResponse, ErrorCategory.InvalidResult,
                        Where(federation, profileName) + " answered HTTP 200 without a SigninToken: something other than the AWS federation endpoint answered. " +
                        "Check " + ConsoleEndpoints.EndpointVariable + " and any proxy (HTTPS_PROXY) between here and AWS.", profileName);
                }
                log("profile " + profileName + ": got a sign-in token for session " + session.AccessKeyId + " (valid 15 minutes).");
                return token;
            }

            string reason = Reason(body, session, request);
            if (status >= 400 && status < 500)
            {
                throw new AwsVaultException(ErrorIds.LoginSigninTokenRefused, ErrorCategory.AuthenticationError,
                    Where(federation, profileName) + " refused the session " + session.AccessKeyId + " (HTTP " + status.ToString(CultureInfo.InvariantCulture) + (reason.Length > 0 ? ": " + reason : string.Empty) + "). " +
                    "It accepts unexpired role, IAM Identity Center and GetFederationToken sessions, but not GetSessionToken sessions or long-lived keys " +
                    "(a credential_process that returns those cannot sign in)" +
                    (sessionDuration.HasValue ? ", and a console session length (-Duration) only for role sessions, from 15m to 12h" : string.Empty) +
                    ". If the session was revoked, run the command again with -Refresh.", profileName);
            }
            throw new AwsVaultException(ErrorIds.LoginFederationUnavailable, ErrorCategory.ResourceUnavailable,
                Where(federation, profileName) + " failed with HTTP " + status.ToString(CultureInfo.InvariantCulture) + (reason.Length > 0 ? ": " + reason : string.Empty) +
                ". Try again later; if it keeps failing, check " + ConsoleEndpoints.EndpointVariable + " and any proxy (HTTPS_PROXY) in the way.", profileName);
        }

        /// <summary>The URL that signs the browser in: the federation endpoint's login action with the token.</summary>
        public static string LoginUrl(Uri federation, string issuer, string destination, string signinToken) =>
            federation.GetLeftPart(UriPartial.Path) +
            "?Action=login&Issuer=" + Uri.EscapeDataString(issuer) +
            "&Destination=" + Uri.EscapeDataString(destination) +
            "&SigninToken=" + Uri.EscapeDataString(signinToken);

        private const string CheckTheWay = "Check the network, proxy settings (HTTPS_PROXY) and " + ConsoleEndpoints.EndpointVariable;

        private static string Where(Uri federation, string profileName) =>
            "Profile '" + profileName + "': the federation endpoint " + federation.GetLeftPart(UriPartial.Path);

        private static string TokenFrom(string body)
        {
            try
            {
                var reply = Json.ParseObject(body);
                return Json.TryGetMember(reply, "SigninToken", out object value) ? value as string : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        // One line of a short text reply, without anything of the session in it.
        private static string Reason(string body, AwsCredentials session, Uri request)
        {
            string text = (body ?? string.Empty).Trim();
            if (text.Length == 0 || text.StartsWith("<", StringComparison.Ordinal)) return string.Empty;
            int newline = text.IndexOfAny(new[] { '\r', '\n' });
            if (newline >= 0) text = text.Substring(0, newline);
            if (text.Length > MaximumReasonLength) text = text.Substring(0, MaximumReasonLength) + "...";
            return Redacted(text, session, request).TrimEnd('.');
        }

        private static string Redacted(string text, AwsCredentials session, Uri request) =>
            StsErrors.Redact(text, request.AbsoluteUri, request.Query, Uri.EscapeDataString(session.SecretAccessKey), session.SecretAccessKey,
                session.SessionToken == null ? null : Uri.EscapeDataString(session.SessionToken), session.SessionToken);

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }
}
