using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsVault.Credentials;

namespace AwsVault.Aws
{
    /// <summary>IStsClient over the AWS SDK for .NET. Created by the module through reflection, never
    /// referenced by it, so the SDK stays inside the private load context.</summary>
    public sealed class SdkStsClient : IStsClient
    {
        // The SDK retries throttling and 5xx with backoff; these bound the total time a failing STS can take.
        private const int MaxErrorRetry = 3;
        private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(20);

        public StsResult GetSessionToken(StsEndpoint endpoint, AwsCredentials caller, int durationSeconds, string serialNumber, string tokenCode)
        {
            var request = new GetSessionTokenRequest { DurationSeconds = durationSeconds };
            if (!string.IsNullOrEmpty(serialNumber))
            {
                request.SerialNumber = serialNumber;
                request.TokenCode = tokenCode;
            }
            var response = Call(endpoint, caller, c => c.GetSessionTokenAsync(request));
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
            var response = Call(endpoint, caller, c => c.AssumeRoleAsync(request));
            return new StsResult(Convert(response.Credentials), response.AssumedRoleUser?.Arn);
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
            var response = Call(endpoint, null, c => c.AssumeRoleWithWebIdentityAsync(request));
            return new StsResult(Convert(response.Credentials), response.AssumedRoleUser?.Arn);
        }

        public string GetCallerIdentity(StsEndpoint endpoint, AwsCredentials caller) =>
            Call(endpoint, caller, c => c.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn;

        private static T Call<T>(StsEndpoint endpoint, AwsCredentials caller, Func<AmazonSecurityTokenServiceClient, Task<T>> call)
        {
            AWSCredentials credentials = caller == null
                ? (AWSCredentials)new AnonymousAWSCredentials()
                : caller.SessionToken == null
                    ? new BasicAWSCredentials(caller.AccessKeyId, caller.SecretAccessKey)
                    : new SessionAWSCredentials(caller.AccessKeyId, caller.SecretAccessKey, caller.SessionToken);
            try
            {
                using (var client = new AmazonSecurityTokenServiceClient(credentials, ConfigFor(endpoint)))
                {
                    return call(client).GetAwaiter().GetResult();
                }
            }
            catch (AmazonServiceException ex) when (ex.StatusCode != 0 && !string.IsNullOrEmpty(ex.ErrorCode))
            {
                throw new StsCallException(ex.ErrorCode, ex.Message, (int)ex.StatusCode, false, ex);
            }
            catch (Exception ex) when (IsNetworkFailure(ex, out string code))
            {
                throw new StsCallException(code, Innermost(ex).Message, 0, true, ex);
            }
            catch (AmazonClientException ex)
            {
                throw new StsCallException("ClientError", ex.Message, 0, false, ex);
            }
        }

        private static AmazonSecurityTokenServiceConfig ConfigFor(StsEndpoint endpoint)
        {
            var config = new AmazonSecurityTokenServiceConfig
            {
                MaxErrorRetry = MaxErrorRetry,
                Timeout = HttpTimeout,
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

        private static bool IsNetworkFailure(Exception ex, out string code)
        {
            code = null;
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                if (e is TaskCanceledException || e is TimeoutException)
                {
                    code = "Timeout";
                    return true;
                }
                if (e is HttpRequestException || e is SocketException || e is WebException)
                {
                    code = "ConnectionFailed";
                    return true;
                }
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
