using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Util;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsVault.Credentials;
using AwsVault.Iam;

namespace AwsVault.Aws
{
    /// <summary>
    /// IIamClient over IAM's Query protocol (form POST, XML reply), for the four access-key calls rotation needs.
    /// There is no AWSSDK.IdentityManagement here, so requests are built by hand and signed by AWSSDK.Core's own
    /// AWS4Signer; this class writes no signing code. One attempt per call: the engine decides what to retry,
    /// because retrying CreateAccessKey blindly could make a key whose secret nobody ever sees.
    /// </summary>
    internal sealed class IamQueryClient : IIamClient
    {
        private const string Version = "2010-05-08";
        private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
        private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
        private static readonly HttpClient Http = new HttpClient { Timeout = CallTimeout };

        public IamUser GetUser(IamEndpoint endpoint, AwsCredentials caller)
        {
            XElement user = Result(Call(endpoint, caller, "GetUser"), "GetUser").Element(Ns + "User");
            string arn = Value(user, "Arn");
            string name = Value(user, "UserName");
            if (arn != null && arn.EndsWith(":root", StringComparison.Ordinal)) name = null;
            return new IamUser(name, arn);
        }

        public IReadOnlyList<IamAccessKeyInfo> ListAccessKeys(IamEndpoint endpoint, AwsCredentials caller, string userName)
        {
            var keys = new List<IamAccessKeyInfo>();
            string marker = null;
            do
            {
                var p = UserParameter(userName);
                if (marker != null) p["Marker"] = marker;
                XElement result = Result(Call(endpoint, caller, "ListAccessKeys", p), "ListAccessKeys");
                foreach (XElement member in result.Element(Ns + "AccessKeyMetadata")?.Elements(Ns + "member") ?? Enumerable.Empty<XElement>())
                {
                    keys.Add(new IamAccessKeyInfo(Value(member, "AccessKeyId"), Value(member, "Status"), Date(Value(member, "CreateDate"))));
                }
                marker = string.Equals(Value(result, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase) ? Value(result, "Marker") : null;
            }
            while (marker != null);
            return keys;
        }

        public IamNewAccessKey CreateAccessKey(IamEndpoint endpoint, AwsCredentials caller, string userName)
        {
            XElement key = Result(Call(endpoint, caller, "CreateAccessKey", UserParameter(userName)), "CreateAccessKey").Element(Ns + "AccessKey");
            string id = Value(key, "AccessKeyId");
            string secret = Value(key, "SecretAccessKey");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
            {
                throw new IamCallException("UnexpectedResponse", "IAM answered CreateAccessKey without an access key in the reply", 200, false);
            }
            return new IamNewAccessKey(id, secret);
        }

        public void DeleteAccessKey(IamEndpoint endpoint, AwsCredentials caller, string userName, string accessKeyId)
        {
            var p = UserParameter(userName);
            p["AccessKeyId"] = accessKeyId;
            Result(Call(endpoint, caller, "DeleteAccessKey", p), "DeleteAccessKey");
        }

        private static Dictionary<string, string> UserParameter(string userName)
        {
            var p = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!string.IsNullOrEmpty(userName)) p["UserName"] = userName;
            return p;
        }

        /// <summary>The XResult element of an XResponse, or the reply was not IAM's.</summary>
        private static XElement Result(XElement root, string action)
        {
            if (root.Name != Ns + (action + "Response"))
            {
                throw new IamCallException("UnexpectedResponse", "The endpoint answered " + action + " with success but the reply is not IAM's (" + root.Name.LocalName + ")", 200, false);
            }
            return root.Element(Ns + (action + "Result")) ?? new XElement(Ns + (action + "Result"));
        }

        private static XElement Call(IamEndpoint endpoint, AwsCredentials caller, string action, IDictionary<string, string> parameters = null)
        {
            if (endpoint.EndpointUrl != null && !Transport.IsHttpUrl(endpoint.EndpointUrl))
            {
                throw new IamCallException("InvalidEndpoint", "'" + endpoint.EndpointUrl + "' is not an http:// or https:// URL", 0, false);
            }
            var form = new StringBuilder("Action=" + action + "&Version=" + Version);
            foreach (var p in parameters ?? new Dictionary<string, string>())
            {
                form.Append('&').Append(Uri.EscapeDataString(p.Key)).Append('=').Append(Uri.EscapeDataString(p.Value));
            }
            byte[] body = Encoding.UTF8.GetBytes(form.ToString());
            var uri = new Uri(endpoint.Url);

            // Only the signing service, region and endpoint of the config matter to the signer; STS's config class
            // is the one this assembly has, told to sign for "iam".
            var config = new AmazonSecurityTokenServiceConfig
            {
                ServiceURL = endpoint.Url,
                AuthenticationRegion = endpoint.SigningRegion,
                AuthenticationServiceName = "iam",
            };
            var request = new DefaultRequest(new GetCallerIdentityRequest(), "IAM")
            {
                HttpMethod = "POST",
                Endpoint = uri,
                ResourcePath = "/",
                Content = body,
                AuthenticationRegion = endpoint.SigningRegion,
            };
            request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
            // Set before signing so that it is signed, as the SDK's pipeline does.
            if (caller.SessionToken != null) request.Headers["X-Amz-Security-Token"] = caller.SessionToken;
            AWSCredentials identity = caller.SessionToken == null
                ? (AWSCredentials)new BasicAWSCredentials(caller.AccessKeyId, caller.SecretAccessKey)
                : new SessionAWSCredentials(caller.AccessKeyId, caller.SecretAccessKey, caller.SessionToken);
            new AWS4Signer().Sign(request, config, new RequestMetrics(), identity);

            int status;
            string text;
            try
            {
                using (var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) })
                {
                    foreach (var h in request.Headers)
                    {
                        if (h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) message.Content.Headers.TryAddWithoutValidation("Content-Type", h.Value);
                        else if (h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)) message.Headers.Host = h.Value;
                        else if (!h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) message.Headers.TryAddWithoutValidation(h.Key, h.Value);
                    }
                    using (HttpResponseMessage response = Http.SendAsync(message).GetAwaiter().GetResult())
                    {
                        status = (int)response.StatusCode;
                        text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                    }
                }
            }
            catch (Exception ex) when (Transport.IsNetworkFailure(ex, out string code))
            {
                string message = code == "Timeout"
                    ? "No answer from IAM within " + CallTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s"
                    : Innermost(ex).Message;
                throw new IamCallException(code, message, 0, true, ex);
            }

            XElement root;
            try
            {
                root = XDocument.Parse(text).Root;
            }
            catch (XmlException ex)
            {
                throw new IamCallException("UnexpectedResponse",
                    "The endpoint answered HTTP " + status + " with a reply that is not IAM's XML", status, false, ex);
            }
            if (status >= 200 && status < 300) return root;

            XElement error = root?.Element(Ns + "Error") ?? root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            string errorCode = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            string errorMessage = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            if (string.IsNullOrEmpty(errorCode))
            {
                throw new IamCallException("UnexpectedResponse", "The endpoint answered HTTP " + status + " with no IAM error in the reply", status, false);
            }
            throw new IamCallException(errorCode, string.IsNullOrEmpty(errorMessage) ? errorCode : errorMessage, status, false);
        }

        private static string Value(XElement parent, string name) => parent?.Element(Ns + name)?.Value;

        private static DateTimeOffset? Date(string text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset d) ? d : (DateTimeOffset?)null;

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }
}
