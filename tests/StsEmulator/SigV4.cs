using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace AwsVault.Tests.Sts
{
    /// <summary>The request as the signer saw it: raw path and query, headers by lower-case name, body bytes.</summary>
    internal sealed class SignedRequest
    {
        public string Method { get; set; }
        public string RawPath { get; set; }
        public string RawQuery { get; set; }
        public Func<string, string> Header { get; set; }
        public byte[] Body { get; set; }
    }

    /// <summary>What the Authorization header (or the presigned X-Amz-* query parameters) claims.</summary>
    internal sealed class SignatureClaim
    {
        public bool Presigned { get; set; }
        public string AccessKeyId { get; set; }
        public string ScopeDate { get; set; }
        public string Region { get; set; }
        public string Service { get; set; }
        public string Terminator { get; set; }
        public string[] SignedHeaders { get; set; } = Array.Empty<string>();
        public string Signature { get; set; }
        public string AmzDate { get; set; }
        public DateTimeOffset RequestTime { get; set; }
        public int? ExpiresSeconds { get; set; }
        public string SecurityToken { get; set; }

        /// <summary>Parsed far enough to name the key, but malformed: the error to answer with.</summary>
        public StsError Problem { get; set; }

        public string Scope => ScopeDate + "/" + Region + "/" + Service + "/" + Terminator;

        /// <summary>A presigned token sits in the signed query; a header token counts only when it is a signed header.</summary>
        public bool SecurityTokenSigned => Presigned || SignedHeaders.Contains("x-amz-security-token");
    }

    /// <summary>
    /// AWS Signature Version 4 as documented in "Create a signed AWS API request": canonical request, string to
    /// sign, derived key, HMAC-SHA256. Written from the specification, not shared with any client, so a client
    /// bug cannot be mirrored here.
    /// </summary>
    internal static class SigV4
    {
        public const string Algorithm = "AWS4-HMAC-SHA256";
        public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

        private static readonly HashSet<string> PresignParameters = new HashSet<string>(StringComparer.Ordinal)
        {
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Expires", "X-Amz-Security-Token",
        };

        public static bool IsPresignParameter(string name) => PresignParameters.Contains(name);

        /// <summary>Null when the request carries no signature at all.</summary>
        public static SignatureClaim Parse(SignedRequest request, IReadOnlyList<(string Name, string Value)> query)
        {
            string authorization = request.Header("authorization");
            if (authorization != null) return ParseHeader(authorization, request);
            string algorithm = First(query, "X-Amz-Algorithm");
            if (algorithm != null) return ParseQuery(algorithm, query);
            return null;
        }

        private static SignatureClaim ParseHeader(string authorization, SignedRequest request)
        {
            var claim = new SignatureClaim();
            authorization = authorization.Trim();
            int space = authorization.IndexOf(' ');
            string algorithm = space < 0 ? authorization : authorization.Substring(0, space);
            if (algorithm != Algorithm)
            {
                claim.Problem = StsError.IncompleteSignature("Unsupported AWS 'algorithm': '" + algorithm + "'");
                return claim;
            }
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string part in authorization.Substring(space + 1).Split(','))
            {
                int eq = part.IndexOf('=');
                if (eq > 0) fields[part.Substring(0, eq).Trim()] = part.Substring(eq + 1).Trim();
            }
            fields.TryGetValue("Credential", out var credential);
            fields.TryGetValue("SignedHeaders", out var signedHeaders);
            fields.TryGetValue("Signature", out var signature);
            ApplyCredential(claim, credential);

            var missing = new List<string>();
            if (credential == null) missing.Add("Authorization header requires 'Credential' parameter.");
            if (signature == null) missing.Add("Authorization header requires 'Signature' parameter.");
            if (signedHeaders == null) missing.Add("Authorization header requires 'SignedHeaders' parameter.");
            string amzDate = request.Header("x-amz-date");
            string httpDate = request.Header("date");
            if (amzDate == null && httpDate == null) missing.Add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
            if (missing.Count > 0)
            {
                claim.Problem = StsError.IncompleteSignature(string.Join(" ", missing) + " Authorization=" + authorization);
                return claim;
            }

            claim.SignedHeaders = signedHeaders.Split(';');
            claim.Signature = signature;
            claim.SecurityToken = request.Header("x-amz-security-token");
            if (amzDate != null)
            {
                claim.AmzDate = amzDate;
                if (!TryParseAmzDate(amzDate, out var time))
                {
                    claim.Problem = StsError.IncompleteSignature("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
                    return claim;
                }
                claim.RequestTime = time;
            }
            else
            {
                if (!DateTimeOffset.TryParseExact(httpDate, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    claim.Problem = StsError.IncompleteSignature("Date must be in RFC 1123 format. Got '" + httpDate + "'.");
                    return claim;
                }
                claim.RequestTime = time.ToUniversalTime();
                claim.AmzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            }
            return claim;
        }

        private static SignatureClaim ParseQuery(string algorithm, IReadOnlyList<(string Name, string Value)> query)
        {
            var claim = new SignatureClaim { Presigned = true };
            string credential = First(query, "X-Amz-Credential");
            ApplyCredential(claim, credential);
            if (algorithm != Algorithm)
            {
                claim.Problem = StsError.IncompleteSignature("Unsupported AWS 'algorithm': '" + algorithm + "'");
                return claim;
            }
            string date = First(query, "X-Amz-Date");
            string signedHeaders = First(query, "X-Amz-SignedHeaders");
            string signature = First(query, "X-Amz-Signature");
            string expires = First(query, "X-Amz-Expires");
            var missing = new[] { ("X-Amz-Credential", credential), ("X-Amz-Date", date), ("X-Amz-SignedHeaders", signedHeaders), ("X-Amz-Signature", signature) }
                .Where(p => p.Item2 == null).Select(p => "AWS query-string parameters must include '" + p.Item1 + "'.").ToArray();
            if (missing.Length > 0)
            {
                claim.Problem = StsError.IncompleteSignature(string.Join(" ", missing) + " Re-examine the query-string parameters.");
                return claim;
            }
            claim.AmzDate = date;
            claim.SignedHeaders = signedHeaders.Split(';');
            claim.Signature = signature;
            claim.SecurityToken = First(query, "X-Amz-Security-Token");
            if (!TryParseAmzDate(date, out var time))
            {
                claim.Problem = StsError.IncompleteSignature("Date must be in ISO-8601 'basic format'. Got '" + date + "'. See http://en.wikipedia.org/wiki/ISO_8601");
                return claim;
            }
            claim.RequestTime = time;
            if (expires != null)
            {
                if (!int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                {
                    claim.Problem = StsError.IncompleteSignature("X-Amz-Expires should be a number");
                    return claim;
                }
                claim.ExpiresSeconds = seconds;
            }
            return claim;
        }

        private static void ApplyCredential(SignatureClaim claim, string credential)
        {
            if (credential == null) return;
            // The key id never contains '/', so the scope is always the last four parts.
            string[] parts = credential.Split('/');
            claim.AccessKeyId = parts[0];
            if (parts.Length == 5)
            {
                claim.ScopeDate = parts[1];
                claim.Region = parts[2];
                claim.Service = parts[3];
                claim.Terminator = parts[4];
            }
            else
            {
                claim.Problem = StsError.IncompleteSignature("Credential should be scoped to a valid region. ");
            }
        }

        private static bool TryParseAmzDate(string value, out DateTimeOffset time)
            => DateTimeOffset.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

        /// <summary>The scope and clock rules STS applies before it looks at any key.</summary>
        public static void CheckScopeAndTime(SignatureClaim claim, DateTimeOffset now, string service = "sts", string requiredRegion = null)
        {
            if (claim.Service != service)
            {
                throw StsError.SignatureDoesNotMatch("Credential should be scoped to correct service: '" + service + "'. ");
            }
            if (requiredRegion != null && claim.Region != requiredRegion)
            {
                throw StsError.SignatureDoesNotMatch("Credential should be scoped to a valid region, not '" + claim.Region + "'. ");
            }
            if (claim.Terminator != "aws4_request")
            {
                throw StsError.SignatureDoesNotMatch("Credential should be scoped with a valid terminator: 'aws4_request', not '" + claim.Terminator + "'. ");
            }
            if (claim.AmzDate.Substring(0, 8) != claim.ScopeDate)
            {
                throw StsError.SignatureDoesNotMatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + claim.ScopeDate + "' != '" + claim.AmzDate.Substring(0, 8) + "', from '" + claim.AmzDate + "'.");
            }
            if (!claim.SignedHeaders.Contains("host"))
            {
                throw StsError.SignatureDoesNotMatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
            }
            string Basic(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            if (claim.Presigned && claim.ExpiresSeconds.HasValue)
            {
                var end = claim.RequestTime.AddSeconds(claim.ExpiresSeconds.Value);
                if (now > end) throw StsError.SignatureDoesNotMatch("Signature expired: " + claim.AmzDate + " is now earlier than " + Basic(now.AddSeconds(-claim.ExpiresSeconds.Value)) + " (" + Basic(now) + " - " + claim.ExpiresSeconds.Value + " sec.)");
            }
            else if (claim.RequestTime < now - AllowedSkew)
            {
                throw StsError.SignatureDoesNotMatch("Signature expired: " + claim.AmzDate + " is now earlier than " + Basic(now - AllowedSkew) + " (" + Basic(now) + " - 15 min.)");
            }
            if (claim.RequestTime > now + AllowedSkew)
            {
                throw StsError.SignatureDoesNotMatch("Signature not yet current: " + claim.AmzDate + " is still later than " + Basic(now + AllowedSkew) + " (" + Basic(now) + " + 15 min.)");
            }
        }

        public static bool Verify(SignatureClaim claim, SignedRequest request, string secretAccessKey)
        {
            // A declared body hash is signed in place of the body, so it must really be the body's hash.
            string declared = request.Header("x-amz-content-sha256")?.Trim();
            if (declared != null && declared != "UNSIGNED-PAYLOAD" && declared != Hex(SHA256.HashData(request.Body ?? Array.Empty<byte>()))) return false;
            string expected = ComputeSignature(claim, request, secretAccessKey);
            byte[] a = Encoding.ASCII.GetBytes(expected);
            byte[] b = Encoding.ASCII.GetBytes(claim.Signature ?? "");
            return CryptographicOperations.FixedTimeEquals(a, b);
        }

        public static string ComputeSignature(SignatureClaim claim, SignedRequest request, string secretAccessKey)
        {
            string canonicalRequest = CanonicalRequest(claim, request);
            string stringToSign = Algorithm + "\n" + claim.AmzDate + "\n" + claim.Scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
            byte[] key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
            foreach (string part in new[] { claim.ScopeDate, claim.Region, claim.Service, claim.Terminator })
            {
                key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
            }
            return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        }

        public static string CanonicalRequest(SignatureClaim claim, SignedRequest request)
        {
            var sb = new StringBuilder();
            sb.Append(request.Method).Append('\n');
            sb.Append(CanonicalUri(request.RawPath)).Append('\n');
            sb.Append(CanonicalQuery(request.RawQuery, claim.Presigned)).Append('\n');
            foreach (string name in claim.SignedHeaders)
            {
                sb.Append(name).Append(':').Append(CanonicalHeaderValue(request.Header(name))).Append('\n');
            }
            sb.Append('\n');
            sb.Append(string.Join(";", claim.SignedHeaders)).Append('\n');
            sb.Append(PayloadHash(request));
            return sb.ToString();
        }

        /// <summary>x-amz-content-sha256 when the client sent it (it is then what the client signed), else the body's hash.</summary>
        public static string PayloadHash(SignedRequest request)
            => request.Header("x-amz-content-sha256")?.Trim() ?? Hex(SHA256.HashData(request.Body ?? Array.Empty<byte>()));

        /// <summary>Services other than S3 encode each path segment a second time.</summary>
        public static string CanonicalUri(string rawPath)
        {
            if (string.IsNullOrEmpty(rawPath)) return "/";
            return string.Join("/", rawPath.Split('/').Select(UriEncode));
        }

        public static string CanonicalQuery(string rawQuery, bool presigned)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var (name, value) in FormEncoding.ParsePairs(rawQuery))
            {
                if (presigned && name == "X-Amz-Signature") continue;
                pairs.Add(new KeyValuePair<string, string>(UriEncode(name), UriEncode(value)));
            }
            return string.Join("&", pairs
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value));
        }

        /// <summary>Trimmed, inner runs of spaces collapsed, repeated headers joined with commas.</summary>
        public static string CanonicalHeaderValue(string value)
        {
            if (value == null) return "";
            var sb = new StringBuilder(value.Length);
            bool space = false;
            foreach (char c in value.Trim())
            {
                if (c == ' ' || c == '\t')
                {
                    if (!space) sb.Append(' ');
                    space = true;
                }
                else
                {
                    sb.Append(c);
                    space = false;
                }
            }
            return sb.ToString();
        }

        /// <summary>RFC 3986 percent-encoding of everything but the unreserved characters, upper-case hex.</summary>
        public static string UriEncode(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (byte b in Encoding.UTF8.GetBytes(value))
            {
                char c = (char)b;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            return sb.ToString();
        }

        public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

        private static string First(IReadOnlyList<(string Name, string Value)> pairs, string name)
        {
            foreach (var p in pairs)
            {
                if (p.Name == name) return p.Value;
            }
            return null;
        }
    }

    internal static class FormEncoding
    {
        /// <summary>application/x-www-form-urlencoded pairs in order; '+' is a space, a name without '=' has an empty value.</summary>
        public static List<(string Name, string Value)> ParsePairs(string text)
        {
            var pairs = new List<(string, string)>();
            if (string.IsNullOrEmpty(text)) return pairs;
            foreach (string part in text.Split('&'))
            {
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                string name = eq < 0 ? part : part.Substring(0, eq);
                string value = eq < 0 ? "" : part.Substring(eq + 1);
                pairs.Add((Decode(name), Decode(value)));
            }
            return pairs;
        }

        private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }
}
