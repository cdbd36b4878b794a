using System;
using System.Collections.Generic;

namespace AwsVault.Tests.Sts
{
    /// <summary>An STS error response: thrown anywhere while a request is processed, written once by the handler.</summary>
    internal sealed class StsError : Exception
    {
        public StsError(int httpStatus, string code, string message) : base(message)
        {
            HttpStatus = httpStatus;
            Code = code;
        }

        public int HttpStatus { get; }
        public string Code { get; }

        /// <summary>AWS marks 5xx as the receiver's fault, everything else as the sender's.</summary>
        public string Type => HttpStatus >= 500 ? "Receiver" : "Sender";

        public const string InvalidTokenMessage = "The security token included in the request is invalid.";
        public const string SignatureMismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
        public const string InvalidMfaCodeMessage = "MultiFactorAuthentication failed with invalid MFA one time pass code. ";
        public const string UnknownMfaDeviceMessage = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.";

        public static StsError InvalidClientTokenId() => new StsError(403, "InvalidClientTokenId", InvalidTokenMessage);
        public static StsError SignatureDoesNotMatch(string message = SignatureMismatchMessage) => new StsError(403, "SignatureDoesNotMatch", message);
        public static StsError ExpiredToken() => new StsError(403, "ExpiredToken", "The security token included in the request is expired");
        public static StsError AccessDenied(string message) => new StsError(403, "AccessDenied", message);
        public static StsError Validation(string message) => new StsError(400, "ValidationError", message);
        public static StsError IncompleteSignature(string message) => new StsError(400, "IncompleteSignature", message);
        public static StsError InvalidParameterValue(string message) => new StsError(400, "InvalidParameterValue", message);
    }

    /// <summary>Collects constraint failures the way AWS's Coral validation reports them: all at once.</summary>
    internal sealed class Validation
    {
        private readonly List<string> _errors = new List<string>();

        public void Fail(string member, string value, string constraint)
            => _errors.Add("Value " + (value == null ? "null" : "'" + value + "'") + " at '" + member + "' failed to satisfy constraint: Member must " + constraint);

        public string Required(IReadOnlyDictionary<string, string> parameters, string name, string member)
        {
            parameters.TryGetValue(name, out var value);
            if (value == null) Fail(member, null, "not be null");
            return value;
        }

        /// <summary>Checks length then pattern and records only the first failure, as AWS does per member.</summary>
        public bool Check(string member, string value, int min, int max, System.Text.RegularExpressions.Regex pattern = null, string patternText = null)
        {
            if (value == null) return true;
            if (value.Length < min) { Fail(member, value, "have length greater than or equal to " + min); return false; }
            if (value.Length > max) { Fail(member, value, "have length less than or equal to " + max); return false; }
            if (pattern != null && !pattern.IsMatch(value)) { Fail(member, value, "satisfy regular expression pattern: " + patternText); return false; }
            return true;
        }

        public int? Integer(string member, string value, int min, int max)
        {
            if (value == null) return null;
            if (!int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int n))
            {
                // The Query protocol cannot bind a non-number to an integer member at all.
                throw new StsError(400, "MalformedInput", "Invalid value '" + value + "' for " + member + "; expected an integer.");
            }
            if (n < min) { Fail(member, value, "have value greater than or equal to " + min); return null; }
            if (n > max) { Fail(member, value, "have value less than or equal to " + max); return null; }
            return n;
        }

        public void ThrowIfAny()
        {
            if (_errors.Count == 0) return;
            string head = _errors.Count == 1 ? "1 validation error detected: " : _errors.Count + " validation errors detected: ";
            throw StsError.Validation(head + string.Join("; ", _errors));
        }
    }
}
