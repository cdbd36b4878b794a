using System;
using System.Collections.Generic;
using AwsVault.Sdk;

namespace AwsVault.Credentials
{
    /// <summary>
    /// The STS calls the engine needs, in the module's own types. The implementation lives in
    /// AwsVault.Aws.dll, loaded privately with its AWSSDK (see PrivateDependencies), so no AWSSDK type ever
    /// crosses this boundary and another module's AWSSDK.Core cannot clash with ours.
    /// Failures are thrown as <see cref="StsCallException"/>.
    /// </summary>
    internal interface IStsClient
    {
        StsResult GetSessionToken(StsEndpoint endpoint, AwsCredentials caller, int durationSeconds, string serialNumber, string tokenCode);

        StsResult AssumeRole(StsEndpoint endpoint, AwsCredentials caller, AssumeRoleParameters parameters);

        StsResult AssumeRoleWithWebIdentity(StsEndpoint endpoint, WebIdentityParameters parameters);

        /// <summary>Who the credentials belong to (their ARN); it needs no permission, so it also tells whether
        /// AWS accepts a key at all.</summary>
        string GetCallerIdentity(StsEndpoint endpoint, AwsCredentials caller);
    }

    /// <summary>Where to send a call: a signing region and, when configured, an explicit endpoint URL; and how
    /// hard to try there (<see cref="StsRetryPolicy"/>).</summary>
    internal sealed class StsEndpoint
    {
        public StsEndpoint(string region, string endpointUrl, bool useGlobalEndpoint, StsRetryPolicy retry = null)
        {
            Region = region;
            EndpointUrl = endpointUrl;
            UseGlobalEndpoint = useGlobalEndpoint;
            Retry = retry ?? StsRetryPolicy.Default;
        }

        /// <summary>Attempts, retry mode, per-attempt timeout and the deadline of one call.</summary>
        public StsRetryPolicy Retry { get; }

        public string Region { get; }

        /// <summary>From AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or endpoint_url; null for the AWS endpoint.</summary>
        public string EndpointUrl { get; }

        /// <summary>sts_regional_endpoints = legacy: the global sts.amazonaws.com endpoint.</summary>
        public bool UseGlobalEndpoint { get; }

        public string Describe() => EndpointUrl ?? (UseGlobalEndpoint ? "https://sts.amazonaws.com" : "https://sts." + Region + ".amazonaws.com");
    }

    internal sealed class AssumeRoleParameters
    {
        public string RoleArn { get; set; }
        public string RoleSessionName { get; set; }
        public int DurationSeconds { get; set; }
        public string ExternalId { get; set; }
        public string SerialNumber { get; set; }
        public string TokenCode { get; set; }
        public IReadOnlyDictionary<string, string> Tags { get; set; }
        public IReadOnlyList<string> TransitiveTagKeys { get; set; }
        public string SourceIdentity { get; set; }
    }

    internal sealed class WebIdentityParameters
    {
        public string RoleArn { get; set; }
        public string RoleSessionName { get; set; }
        public int DurationSeconds { get; set; }
        public string WebIdentityToken { get; set; }
    }

    internal sealed class StsResult
    {
        public StsResult(AwsCredentials credentials)
        {
            Credentials = credentials;
        }

        public AwsCredentials Credentials { get; }
    }

    /// <summary>An STS failure, already reduced to what a message needs. The message comes from STS or the
    /// network stack and never contains the caller's secret.</summary>
    /// <remarks>Codes: the STS error code (AccessDenied, Throttling, ...), or ConnectionFailed / Timeout /
    /// UnexpectedResponse (a reply that is not STS's) / CallFailed (anything else the SDK threw).</remarks>
    internal sealed class StsCallException : AwsCallException
    {
        public StsCallException(string code, string message, int httpStatus, bool isNetworkFailure, Exception inner = null)
            : base(code, message, httpStatus, isNetworkFailure, inner)
        {
        }
    }
}
