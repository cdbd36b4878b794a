using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using AwsVault.Credentials;
using AwsVault.Sso;

namespace AwsVault.Aws
{
    /// <summary>
    /// One SSO OIDC or portal call, the way <see cref="SdkStsClient"/> makes an STS call: the endpoint and retry
    /// settings on the client's config, sync over async with a deadline for the whole call, and every failure
    /// turned into an <see cref="SsoCallException"/>. The secrets of the call (client secret, tokens, codes) are
    /// cut out of every message, and an SDK exception whose text holds one is not kept as the inner exception.
    /// </summary>
    internal static class SsoCalls
    {
        public const string Redacted = "<redacted>";

        public static T Call<TClient, TConfig, T>(
            SsoEndpoint endpoint,
            string service,
            Func<AWSCredentials, TConfig, TClient> newClient,
            Func<TClient, CancellationToken, Task<T>> call,
            params string[] secrets)
            where TClient : IDisposable
            where TConfig : ClientConfig, new()
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            StsRetryPolicy retry = endpoint.Retry;
            string name = service == "oidc" ? "SSO OIDC" : "the SSO portal";
            if (endpoint.EndpointUrl != null && !Transport.IsHttpUrl(endpoint.EndpointUrl))
            {
                throw new SsoCallException("InvalidEndpoint", Redact("'" + endpoint.EndpointUrl + "' is not an http:// or https:// URL", secrets), 0, false);
            }
            if (endpoint.EndpointUrl == null && string.IsNullOrEmpty(endpoint.Region))
            {
                throw new SsoCallException("InvalidEndpoint", "No region for " + name + ": sso_region (or sso_session's sso_region) must be set", 0, false);
            }
            var clock = Stopwatch.StartNew();
            try
            {
                // Anonymous: RegisterClient, StartDeviceAuthorization and CreateToken are unsigned, and the portal
                // takes the access token as a bearer header; no AWS credentials of the user's are ever sent.
                using (TClient client = newClient(new AnonymousAWSCredentials(), ConfigFor<TConfig>(endpoint)))
                using (var deadline = new CancellationTokenSource())
                {
                    Task<T> task = call(client, deadline.Token);
                    bool finished;
                    try { finished = task.Wait(retry.Deadline); }
                    catch (AggregateException) { finished = true; }
                    if (!finished)
                    {
                        deadline.Cancel();
                        task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                        throw new SsoCallException("Timeout", NoAnswer(name, retry, clock), 0, true);
                    }
                    return task.GetAwaiter().GetResult();
                }
            }
            catch (SsoCallException)
            {
                throw;
            }
            catch (AmazonServiceException ex) when (ex.StatusCode != 0 && !(ex is AmazonUnmarshallingException) && CodeOf(ex) != null)
            {
                string code = CodeOf(ex);
                string message = DescriptionOf(ex);
                if (string.IsNullOrEmpty(message)) message = code;
                throw new SsoCallException(code, Redact(message, secrets), (int)ex.StatusCode, false, Keepable(ex, secrets));
            }
            catch (Exception ex) when (Transport.IsNetworkFailure(ex, out string code))
            {
                string message = code == "Timeout" ? NoAnswer(name, retry, clock) : Innermost(ex).Message + " (" + retry.Describe() + ")";
                throw new SsoCallException(code, Redact(message, secrets), 0, true, Keepable(ex, secrets));
            }
            catch (Exception ex) when (IsUnreadableReply(ex))
            {
                throw new SsoCallException("UnexpectedResponse",
                    "The endpoint answered with success (HTTP 2xx) but with a reply that is not an " + Title(name) + " response (it could not be read as its JSON)",
                    0, false, Keepable(ex, secrets));
            }
            catch (AmazonServiceException ex)
            {
                int status = (int)ex.StatusCode;
                throw new SsoCallException("UnexpectedResponse",
                    (status != 0 ? "The endpoint answered HTTP " + status + " " : "The endpoint answered ") +
                    "with a reply that is not an " + Title(name) + " response" + (status >= 300 ? " (no error of the service in it)" : " (it could not be read)"),
                    status, false, Keepable(ex, secrets));
            }
            catch (Exception ex)
            {
                throw new SsoCallException("CallFailed", Redact(Innermost(ex).Message, secrets), 0, false, Keepable(ex, secrets));
            }
        }

        /// <summary>A reply that lacks what the service always sends (a token, a client id).</summary>
        public static SsoCallException Incomplete(string what) =>
            new SsoCallException("UnexpectedResponse", "The endpoint's reply has no " + what + ": it is not a complete IAM Identity Center response", 0, false);

        /// <summary>Every occurrence of each secret replaced; the SDK echoes request members in some messages.</summary>
        public static string Redact(string text, string[] secrets)
        {
            if (string.IsNullOrEmpty(text) || secrets == null) return text;
            foreach (string secret in secrets)
            {
                if (string.IsNullOrEmpty(secret)) continue;
                int at;
                while ((at = text.IndexOf(secret, StringComparison.Ordinal)) >= 0)
                {
                    text = text.Substring(0, at) + Redacted + text.Substring(at + secret.Length);
                }
            }
            return text;
        }

        private static string Title(string name) => name == "SSO OIDC" ? "SSO OIDC" : "SSO portal";

        private static TConfig ConfigFor<TConfig>(SsoEndpoint endpoint) where TConfig : ClientConfig, new()
        {
            StsRetryPolicy retry = endpoint.Retry;
            var config = new TConfig
            {
                RetryMode = retry.Mode == StsRetryPolicy.Adaptive ? RequestRetryMode.Adaptive : RequestRetryMode.Standard,
                MaxErrorRetry = retry.MaxAttempts - 1,
                MaxStaleConnectionRetries = 0,
                Timeout = retry.AttemptTimeout,
            };
            string region = string.IsNullOrEmpty(endpoint.Region) ? "us-east-1" : endpoint.Region;
            if (endpoint.EndpointUrl != null)
            {
                config.ServiceURL = endpoint.EndpointUrl;
                config.AuthenticationRegion = region;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
                // The endpoint was resolved by the module already (see SdkStsClient.ConfigFor).
                config.IgnoreConfiguredEndpointUrls = true;
            }
            return config;
        }

        /// <summary>The service's error name: the SDK's ErrorCode, else the modeled exception's type name.</summary>
        private static string CodeOf(AmazonServiceException ex)
        {
            if (!string.IsNullOrEmpty(ex.ErrorCode)) return ex.ErrorCode;
            Type type = ex.GetType();
            // The services' base exceptions (AmazonSSOOIDCException, AmazonSSOException) name no error.
            if (type == typeof(AmazonServiceException) || type.Name.StartsWith("Amazon", StringComparison.Ordinal)) return null;
            return type.Name;
        }

        /// <summary>OIDC errors carry RFC 6749's error_description (the SDK's Error_description) and often no
        /// message; portal errors carry a message.</summary>
        private static string DescriptionOf(AmazonServiceException ex)
        {
            PropertyInfo property = ex.GetType().GetProperty("Error_description");
            string description = property?.GetValue(ex) as string;
            if (!string.IsNullOrEmpty(description)) return description;
            return ex.Message;
        }

        /// <summary>The SDK exception as inner exception, unless some message in it holds a secret.</summary>
        private static Exception Keepable(Exception ex, string[] secrets)
        {
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                string text = e.Message ?? "";
                if (e is AmazonServiceException service) text += " " + DescriptionOf(service);
                if (Redact(text, secrets) != text) return null;
            }
            return ex;
        }

        private static string NoAnswer(string name, StsRetryPolicy retry, Stopwatch clock) =>
            "No answer from " + name + " within " + clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s, " + retry.Describe();


        private static bool IsUnreadableReply(Exception ex)
        {
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                // System.Text.Json's JsonException, by name: the SDK's JSON reader on both builds.
                if (e is AmazonUnmarshallingException || e.GetType().Name == "JsonException" || e is FormatException) return true;
            }
            return false;
        }


        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }
    }
}
