using System;
using System.Management.Automation;
using AwsVault.Credentials;

namespace AwsVault.Iam
{
    /// <summary>Turns an IAM failure into the module's error, as <see cref="StsErrors"/> does for STS: the id is
    /// <see cref="ErrorIds.IamPrefix"/> + IAM's code, the category says what kind of failure it is, and the
    /// message names the profile, the call, the endpoint and what to do.</summary>
    internal static class IamErrors
    {
        private const string CheckTheWay = "Check the network, proxy settings (HTTPS_PROXY), and any AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL or endpoint_url setting";

        public static ErrorCategory CategoryOf(IamCallException ex)
        {
            switch (ex.Code)
            {
                case "AccessDenied":
                case "AccessDeniedException":
                    return ErrorCategory.PermissionDenied;
                case "InvalidClientTokenId":
                case "SignatureDoesNotMatch":
                case "IncompleteSignature":
                case "ExpiredToken":
                    return ErrorCategory.AuthenticationError;
                case "LimitExceeded":
                case "Throttling":
                case "ThrottlingException":
                case "RequestLimitExceeded":
                    return ErrorCategory.LimitsExceeded;
                case "NoSuchEntity":
                    return ErrorCategory.ObjectNotFound;
                case "ConnectionFailed":
                    return ErrorCategory.ConnectionError;
                case "Timeout":
                    return ErrorCategory.OperationTimeout;
                case "UnexpectedResponse":
                    return ErrorCategory.InvalidResult;
                case "InvalidEndpoint":
                case "ValidationError":
                case "InvalidInput":
                    return ErrorCategory.InvalidArgument;
                default:
                    return ex.HttpStatus >= 500 ? ErrorCategory.ResourceUnavailable : ErrorCategory.NotSpecified;
            }
        }

        /// <summary>"CreateAccessKey at https://iam.amazonaws.com failed: LimitExceeded: Cannot exceed quota ..." with the
        /// secrets removed; no hint.</summary>
        public static string Describe(IamCallException ex, string operation, IamEndpoint endpoint, params string[] secrets) =>
            operation + " at " + endpoint.Describe() + " failed: " + Code(ex) + ": " + StsErrors.Redact(ex.Message, secrets).Trim().TrimEnd('.');

        public static string Hint(IamCallException ex, bool usedMfaSession)
        {
            switch (ex.Code)
            {
                case "AccessDenied":
                case "AccessDeniedException":
                    return usedMfaSession
                        ? "The user may not manage its own access keys: it needs iam:GetUser, iam:ListAccessKeys, iam:CreateAccessKey and iam:DeleteAccessKey on itself."
                        : "The user may not manage its own access keys, or its policy allows that only with MFA: give the profile an mfa_serial (and leave out -NoSession) so the calls are made with an MFA session.";
                case "InvalidClientTokenId":
                case "SignatureDoesNotMatch":
                    return "IAM does not accept the credentials: the stored key may be deleted, deactivated or mistyped, or the session was made without MFA.";
                case "ConnectionFailed":
                    return "IAM could not be reached. " + CheckTheWay + ".";
                case "Timeout":
                    return "IAM did not answer in time. " + CheckTheWay + ", then try again.";
                case "UnexpectedResponse":
                    return "Something other than IAM answered: a proxy or a wrong endpoint. " + CheckTheWay + ".";
                case "InvalidEndpoint":
                    return "Set AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL or the profile's endpoint_url (whichever is set) to a URL such as https://iam.amazonaws.com, or remove it.";
                case "Throttling":
                case "ThrottlingException":
                    return "IAM is throttling the account's calls. Wait a little and try again.";
                default:
                    return ex.HttpStatus >= 500 ? "IAM failed on its side. Try again later." : "See the IAM documentation for this error code.";
            }
        }

        /// <summary>A failure before anything changed: the id carries IAM's code.</summary>
        public static AwsVaultException BeforeChange(IamCallException ex, string profileName, string operation, IamEndpoint endpoint, bool usedMfaSession, string stillStored, params string[] secrets) =>
            new AwsVaultException(ErrorIds.IamPrefix + StsErrors.Identifier(Code(ex)), CategoryOf(ex),
                "Profile '" + profileName + "', " + Describe(ex, operation, endpoint, secrets) + ". " + Hint(ex, usedMfaSession) +
                " Nothing was changed: the vault still holds the key " + stillStored + ".", profileName, ex);

        private static string Code(IamCallException ex) => string.IsNullOrEmpty(ex.Code) ? "Unknown" : ex.Code;
    }
}
