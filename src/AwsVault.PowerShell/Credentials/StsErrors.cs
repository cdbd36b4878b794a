using System;
using System.Management.Automation;
using System.Text;
using AwsVault.Output;

namespace AwsVault.Credentials
{
    /// <summary>Turns an STS failure into the module's error: the id carries the STS code, the category says
    /// what kind of failure it is, and the message names the profile and the hop and says what to do.</summary>
    internal static class StsErrors
    {
        // What stands between AwsVault and STS, for the hints of failures that never reached it.
        private const string CheckTheWay = "Check the network, proxy settings (HTTPS_PROXY), and any AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or endpoint_url setting";

        public static AwsVaultException Translate(StsCallException ex, string profileName, string operation, StsEndpoint endpoint, bool sentMfa, params string[] secrets) =>
            Translate(ex, profileName, operation, endpoint, sentMfa, null, secrets);

        /// <param name="durationSource">Where the requested session length came from (-Duration, a TTL variable,
        /// duration_seconds, the default), so STS's duration errors point at what the user actually set.</param>
        public static AwsVaultException Translate(StsCallException ex, string profileName, string operation, StsEndpoint endpoint, bool sentMfa, string durationSource, params string[] secrets)
        {
            string code = string.IsNullOrEmpty(ex.Code) ? "Unknown" : ex.Code;
            string stsMessage = Redact(ex.Message, secrets);
            string where = "Profile '" + profileName + "', " + operation + " at " + endpoint.Describe();
            string hint;
            ErrorCategory category;
            switch (code)
            {
                case "AccessDenied":
                    category = ErrorCategory.PermissionDenied;
                    hint = sentMfa && stsMessage.IndexOf("MultiFactorAuthentication", StringComparison.OrdinalIgnoreCase) >= 0
                        ? "The MFA code was rejected. Codes are valid for 30 seconds and AWS accepts each one only once: wait for the next code and try again."
                        : operation == "GetFederationToken"
                            ? "Console sign-in with a stored key needs GetFederationToken: allow the IAM user sts:GetFederationToken, or give the profile a role_arn (with source_profile) to sign in with that role instead."
                            : "Check the role's trust policy, external_id and mfa_serial, and the permissions of the identity that makes the call.";
                    break;
                case "ExpiredToken":
                case "ExpiredTokenException":
                    category = ErrorCategory.AuthenticationError;
                    hint = "The session used for this call has expired. Run Clear-AwsVaultSession '" + profileName + "' (or use -Refresh) and try again.";
                    break;
                case "InvalidClientTokenId":
                case "SignatureDoesNotMatch":
                case "IncompleteSignature":
                case "UnrecognizedClientException":
                    category = ErrorCategory.AuthenticationError;
                    hint = "AWS does not accept the credentials this hop signed with. If they are the stored key, it may be deleted, deactivated or mistyped: replace it with Add-AwsVaultProfile -Force.";
                    break;
                case "Throttling":
                case "ThrottlingException":
                case "RequestLimitExceeded":
                case "TooManyRequestsException":
                    category = ErrorCategory.LimitsExceeded;
                    hint = "STS kept throttling the request after the SDK's retries. Wait a little and try again, or reuse sessions (they are cached) instead of making new ones.";
                    break;
                case "ConnectionFailed":
                    category = ErrorCategory.ConnectionError;
                    hint = "STS could not be reached. " + CheckTheWay + ".";
                    break;
                case "Timeout":
                    category = ErrorCategory.OperationTimeout;
                    hint = "STS did not answer in time. " + CheckTheWay + ", then try again. " +
                           "AWS_MAX_ATTEMPTS (or max_attempts in the profile) sets how many attempts are made.";
                    break;
                case "UnexpectedResponse":
                    category = ErrorCategory.InvalidResult;
                    hint = "Something other than STS answered: a proxy, a captive portal or a wrong endpoint. Check AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL and the profile's endpoint_url, and any proxy (HTTPS_PROXY) between here and STS.";
                    break;
                case "InvalidEndpoint":
                    category = ErrorCategory.InvalidArgument;
                    hint = "Set AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or the profile's endpoint_url (whichever is set) to a URL such as https://sts." +
                           (string.IsNullOrEmpty(endpoint.Region) ? "us-east-1" : endpoint.Region) + ".amazonaws.com, or remove it to use AWS's endpoint.";
                    break;
                case "CallFailed":
                    category = ErrorCategory.NotSpecified;
                    hint = "The AWS SDK could not complete the call. Check the endpoint (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, endpoint_url), the region and the network, then try again.";
                    break;
                case "ValidationError":
                case "InvalidParameterValue":
                case "MalformedPolicyDocument":
                case "PackedPolicyTooLarge":
                    category = ErrorCategory.InvalidArgument;
                    hint = durationSource != null && stsMessage.IndexOf("Duration", StringComparison.OrdinalIgnoreCase) >= 0
                        ? "The session length came from " + durationSource + ". Ask for a shorter one: a role allows at most its MaxSessionDuration, and a role assumed from another role at most 1h."
                        : "Check the request's settings: the session length" + (durationSource != null ? " (from " + durationSource + ")" : string.Empty) + ", role_session_name, session_tags and source_identity.";
                    break;
                case "RegionDisabledException":
                    category = ErrorCategory.PermissionDenied;
                    hint = "STS is not activated in this region for the account. Activate it in IAM or choose another region.";
                    break;
                default:
                    category = ex.HttpStatus >= 500 ? ErrorCategory.ResourceUnavailable : ErrorCategory.NotSpecified;
                    hint = ex.HttpStatus >= 500 ? "STS failed on its side after the SDK's retries. Try again later." : "See the STS documentation for this error code.";
                    break;
            }
            return new AwsVaultException(ErrorIds.StsPrefix + Identifier(code), category,
                where + " failed: " + code + ": " + stsMessage.Trim().TrimEnd('.') + ". " + hint, profileName, ex);
        }

        /// <summary>Removes secrets from text that came from outside (STS, the network stack).</summary>
        public static string Redact(string text, params string[] secrets)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            foreach (string secret in secrets)
            {
                if (!string.IsNullOrEmpty(secret) && secret.Length >= 8)
                {
                    text = text.Replace(secret, "****");
                }
            }
            return text;
        }

        internal static string Identifier(string code)
        {
            var sb = new StringBuilder();
            foreach (char c in code)
            {
                if (char.IsLetterOrDigit(c)) sb.Append(c);
            }
            return sb.Length == 0 ? "Unknown" : sb.ToString();
        }
    }
}
