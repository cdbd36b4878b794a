using System;

namespace AwsVault
{
    /// <summary>A failed call to an AWS service (STS, IAM, SSO), reduced to what a message and a retry decision
    /// need, in the module's own types. The message comes from the service or the network stack and never holds a
    /// secret; each service's subclass documents its codes.</summary>
    internal abstract class AwsCallException : Exception
    {
        protected AwsCallException(string code, string message, int httpStatus, bool isNetworkFailure, Exception inner)
            : base(message, inner)
        {
            Code = code;
            HttpStatus = httpStatus;
            IsNetworkFailure = isNetworkFailure;
        }

        /// <summary>The service's error code, or ConnectionFailed / Timeout / UnexpectedResponse / CallFailed.</summary>
        public string Code { get; }

        /// <summary>The HTTP status of the reply; 0 when none came.</summary>
        public int HttpStatus { get; }

        public bool IsNetworkFailure { get; }
    }
}
