using System;
using System.Collections.Generic;
using AwsVault.Credentials;

namespace AwsVault.Iam
{
    /// <summary>
    /// The IAM calls that rotating a stored key needs, in the module's own types. The implementation
    /// (AwsVault.Aws's IamQueryClient) speaks IAM's Query protocol signed by AWSSDK.Core's SigV4 signer, inside the
    /// private load context, like <see cref="IStsClient"/>. A null <c>userName</c> means the caller's own user.
    /// Failures are thrown as <see cref="IamCallException"/>; no message ever holds a secret.
    /// </summary>
    internal interface IIamClient
    {
        IamUser GetUser(IamEndpoint endpoint, AwsCredentials caller);

        IReadOnlyList<IamAccessKeyInfo> ListAccessKeys(IamEndpoint endpoint, AwsCredentials caller, string userName);

        IamNewAccessKey CreateAccessKey(IamEndpoint endpoint, AwsCredentials caller, string userName);

        void DeleteAccessKey(IamEndpoint endpoint, AwsCredentials caller, string userName, string accessKeyId);
    }

    /// <summary>Where IAM is: a global service per partition, signed for the partition's one region.</summary>
    internal sealed class IamEndpoint
    {
        public IamEndpoint(string region, string endpointUrl)
        {
            EndpointUrl = string.IsNullOrEmpty(endpointUrl) ? null : endpointUrl;
            string r = region ?? string.Empty;
            if (r.StartsWith("cn-", StringComparison.Ordinal))
            {
                SigningRegion = "cn-north-1";
                DefaultUrl = "https://iam.cn-north-1.amazonaws.com.cn";
            }
            else if (r.StartsWith("us-gov-", StringComparison.Ordinal))
            {
                SigningRegion = "us-gov-west-1";
                DefaultUrl = "https://iam.us-gov.amazonaws.com";
            }
            else
            {
                SigningRegion = "us-east-1";
                DefaultUrl = "https://iam.amazonaws.com";
            }
        }

        /// <summary>From AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, a [services] block's iam, or endpoint_url; null for AWS's.</summary>
        public string EndpointUrl { get; }

        /// <summary>The region SigV4 names: IAM's one region in the partition of the profile's region.</summary>
        public string SigningRegion { get; }

        private string DefaultUrl { get; }

        public string Url => EndpointUrl ?? DefaultUrl;

        public string Describe() => Url;
    }

    internal sealed class IamUser
    {
        public IamUser(string userName, string arn)
        {
            UserName = userName;
            Arn = arn;
        }

        /// <summary>Null for the account's root user (its ARN ends in ":root").</summary>
        public string UserName { get; }
        public string Arn { get; }
    }

    /// <summary>A key as ListAccessKeys shows it: never its secret.</summary>
    internal sealed class IamAccessKeyInfo
    {
        public IamAccessKeyInfo(string accessKeyId, string status, DateTimeOffset? createDate)
        {
            AccessKeyId = accessKeyId;
            Status = status;
            CreateDate = createDate;
        }

        public string AccessKeyId { get; }
        public string Status { get; }
        public DateTimeOffset? CreateDate { get; }
    }

    internal sealed class IamNewAccessKey
    {
        public IamNewAccessKey(string accessKeyId, string secretAccessKey)
        {
            AccessKeyId = accessKeyId;
            SecretAccessKey = secretAccessKey;
        }

        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }

        public override string ToString() => AccessKeyId;
    }

    /// <summary>An IAM failure reduced to what a message needs: IAM's code (LimitExceeded, AccessDenied,
    /// NoSuchEntity, ...) or ConnectionFailed / Timeout / UnexpectedResponse / InvalidEndpoint / CallFailed.</summary>
    internal sealed class IamCallException : AwsCallException
    {
        public IamCallException(string code, string message, int httpStatus, bool isNetworkFailure, Exception inner = null)
            : base(code, message, httpStatus, isNetworkFailure, inner)
        {
        }

        /// <summary>Worth another attempt: throttling, IAM's own failures, the network. Never a refusal.</summary>
        public bool IsTransient =>
            IsNetworkFailure || HttpStatus >= 500 || Code == "Throttling" || Code == "ThrottlingException" || Code == "RequestLimitExceeded";
    }
}
