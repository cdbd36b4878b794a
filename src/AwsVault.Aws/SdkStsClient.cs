using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsVault.Credentials;

namespace AwsVault.Aws
{
    /// <summary>IStsClient over the AWS SDK for .NET. Created by <see cref="AwsClientFactory"/>, never
    /// referenced by the module, so the SDK stays inside the private load context.</summary>
    internal sealed class SdkStsClient : IStsClient
    {
        public StsResult GetSessionToken(StsEndpoint endpoint, AwsCredentials caller, int durationSeconds, string serialNumber, string tokenCode)
        {
            var request = new GetSessionTokenRequest { DurationSeconds = durationSeconds };
            if (!string.IsNullOrEmpty(serialNumber))
            {
                request.SerialNumber = serialNumber;
                request.TokenCode = tokenCode;
            }
            var response = Call(endpoint, caller, (c, t) => c.GetSessionTokenAsync(request, t));
            return new StsResult(Convert(response.Credentials));
        }

        public StsResult AssumeRole(StsEndpoint endpoint, AwsCredentials caller, AssumeRoleParameters p)
        {
            var request = new AssumeRoleRequest
            {
                RoleArn = p.RoleArn,
                RoleSessionName = p.RoleSessionName,
                DurationSeconds = p.DurationSeconds,
            };
            if (!string.IsNullOrEmpty(p.ExternalId)) request.ExternalId = p.ExternalId;
            if (!string.IsNullOrEmpty(p.SerialNumber))
            {
                request.SerialNumber = p.SerialNumber;
                request.TokenCode = p.TokenCode;
            }
            if (p.Tags != null && p.Tags.Count > 0)
            {
                request.Tags = p.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
            }
            if (p.TransitiveTagKeys != null && p.TransitiveTagKeys.Count > 0)
            {
                request.TransitiveTagKeys = p.TransitiveTagKeys.ToList();
            }
            if (!string.IsNullOrEmpty(p.SourceIdentity)) request.SourceIdentity = p.SourceIdentity;
            var response = Call(endpoint, caller, (c, t) => c.AssumeRoleAsync(request, t));
            return new StsResult(Convert(response.Credentials));
        }

        public StsResult AssumeRoleWithWebIdentity(StsEndpoint endpoint, WebIdentityParameters p)
        {
            var request = new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = p.RoleArn,
                RoleSessionName = p.RoleSessionName,
                DurationSeconds = p.DurationSeconds,
                WebIdentityToken = p.WebIdentityToken,
            };
            var response = Call(endpoint, null, (c, t) => c.AssumeRoleWithWebIdentityAsync(request, t));
            return new StsResult(Convert(response.Credentials));
        }

        public string GetCallerIdentity(StsEndpoint endpoint, AwsCredentials caller)
        {
            var response = Call(endpoint, caller, (c, t) => c.GetCallerIdentityAsync(new GetCallerIdentityRequest(), t));
            return response.Arn;
        }

        private static T Call<T>(StsEndpoint endpoint, AwsCredentials caller, Func<AmazonSecurityTokenServiceClient, CancellationToken, Task<T>> call)
        {
            AWSCredentials credentials = caller == null
                ? (AWSCredentials)new AnonymousAWSCredentials()
                : caller.SessionToken == null
                    ? new BasicAWSCredentials(caller.AccessKeyId, caller.SecretAccessKey)
                    : new SessionAWSCredentials(caller.AccessKeyId, caller.SecretAccessKey, caller.SessionToken);
            StsRetryPolicy retry = endpoint.Retry;
            if (!string.IsNullOrEmpty(endpoint.EndpointUrl) && !Transport.IsHttpUrl(endpoint.EndpointUrl))
            {
                throw new StsCallException("InvalidEndpoint", "'" + endpoint.EndpointUrl + "' is not an http:// or https:// URL", 0, false);
            }
            var clock = Stopwatch.StartNew();
            try
            {
                using (var client = new AmazonSecurityTokenServiceClient(credentials, ConfigFor(endpoint)))
                using (var deadline = new CancellationTokenSource())
                {
                    Task<T> task = call(client, deadline.Token);
                    // The per-attempt timeout bounds each attempt; the deadline bounds the whole call, also where the
                    // SDK would try once more than asked (seen after timeouts) or a reply stalls after its headers.
                    bool finished;
                    try { finished = task.Wait(retry.Deadline); }
                    catch (AggregateException) { finished = true; }
                    if (!finished)
                    {
                        deadline.Cancel();
                        // The abandoned call ends with the cancellation; observe its exception so it is not reported
                        // as unobserved later.
                        task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                        throw new StsCallException("Timeout", NoAnswer(retry, clock), 0, true);
                    }
                    return task.GetAwaiter().GetResult();
                }
            }
            catch (StsCallException)
            {
                throw;
            }
            catch (AmazonServiceException ex) when (ex.StatusCode != 0 && !string.IsNullOrEmpty(ex.ErrorCode) && !(ex is AmazonUnmarshallingException))
            {
                throw new StsCallException(ex.ErrorCode, ex.Message, (int)ex.StatusCode, false, ex);
            }
            catch (Exception ex) when (Transport.IsNetworkFailure(ex, out string code))
            {
                string message = code == "Timeout" ? NoAnswer(retry, clock) : Innermost(ex).Message + " (" + retry.Describe() + ")";
                throw new StsCallException(code, message, 0, true, ex);
            }
            catch (Exception ex) when (IsUnreadableReply(ex))
            {
                // The SDK reads only successful replies as results, and throws the XML reader's own exception
                // (not an SDK one) when a 2xx body is not XML at all: a captive portal, another service's JSON.
                throw new StsCallException("UnexpectedResponse",
                    "The endpoint answered with success (HTTP 2xx) but with a reply that is not an STS response (it could not be read as STS's XML)",
                    0, false, ex);
            }
            catch (AmazonServiceException ex)
            {
                // An HTTP reply without an STS error in it (a proxy's 502 page), or a reply the SDK cannot read as
                // STS's XML (a 200 from another service): something other than STS answered.
                int status = (int)ex.StatusCode;
                throw new StsCallException("UnexpectedResponse",
                    (status != 0 ? "The endpoint answered HTTP " + status + " " : "The endpoint answered ") +
                    "with a reply that is not an STS response" + (status >= 300 ? " (no STS error in it)" : " (it could not be read as STS's XML)"),
                    status, false, ex);
            }
            catch (Exception ex)
            {
                // Whatever else the SDK throws (AmazonClientException and its kind) still becomes an Sts* error
                // with the profile and the call, never a raw SDK exception.
                throw new StsCallException("CallFailed", Innermost(ex).Message, 0, false, ex);
            }
        }

        private static string NoAnswer(StsRetryPolicy retry, Stopwatch clock) =>
            "No answer from STS within " + clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s, " + retry.Describe();

        private static AmazonSecurityTokenServiceConfig ConfigFor(StsEndpoint endpoint)
        {
            StsRetryPolicy retry = endpoint.Retry;
            var config = new AmazonSecurityTokenServiceConfig
            {
                RetryMode = retry.Mode == StsRetryPolicy.Adaptive ? RequestRetryMode.Adaptive : RequestRetryMode.Standard,
                // MaxErrorRetry counts retries, AWS_MAX_ATTEMPTS counts attempts.
                MaxErrorRetry = retry.MaxAttempts - 1,
                // The SDK re-sends at once, outside MaxErrorRetry, after a reset on a pooled connection; seen as a
                // 4th request after timeouts on a loaded machine. Such errors still count as ordinary retries, so
                // "3 attempts" stays 3 requests.
                MaxStaleConnectionRetries = 0,
                // On netstandard2.0 this is HttpClient.Timeout: one attempt's connect, send and reply together
                // (ClientConfig has no separate ConnectTimeout there, and ReadWriteTimeout is .NET Framework only).
                Timeout = retry.AttemptTimeout,
            };
            string region = string.IsNullOrEmpty(endpoint.Region) ? "us-east-1" : endpoint.Region;
            if (!string.IsNullOrEmpty(endpoint.EndpointUrl))
            {
                config.ServiceURL = endpoint.EndpointUrl;
                config.AuthenticationRegion = region;
            }
            else if (endpoint.UseGlobalEndpoint)
            {
                config.ServiceURL = "https://sts.amazonaws.com";
                config.AuthenticationRegion = "us-east-1";
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
                // The endpoint was resolved already (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, AWS_ENDPOINT_URL_STS, ...):
                // without this the SDK resolves again from the environment, with its own per-process cache, and
                // sends the call to AWS_ENDPOINT_URL_STS even when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.
                config.IgnoreConfiguredEndpointUrls = true;
            }
            return config;
        }

        private static AwsCredentials Convert(Amazon.SecurityToken.Model.Credentials c)
        {
            DateTimeOffset? expiration = null;
            if (c.Expiration.HasValue)
            {
                expiration = new DateTimeOffset(DateTime.SpecifyKind(c.Expiration.Value.ToUniversalTime(), DateTimeKind.Utc));
            }
            return new AwsCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, expiration);
        }



        private static bool IsUnreadableReply(Exception ex)
        {
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                if (e is XmlException || e is AmazonUnmarshallingException) return true;
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
