using System;

namespace AwsVault.Sso
{
    /// <summary>An SSO OIDC or portal failure, reduced to what a message and the sign-in loop need. The message
    /// comes from the service or the network stack and never contains a token or client secret.</summary>
    /// <remarks>Codes: the service's error name (AuthorizationPendingException, SlowDownException,
    /// ExpiredTokenException, AccessDeniedException, InvalidGrantException, InvalidClientException,
    /// UnauthorizedException, ...), or ConnectionFailed / Timeout / CallFailed.</remarks>
    internal sealed class SsoCallException : AwsCallException
    {
        public SsoCallException(string code, string message, int httpStatus, bool isNetworkFailure, Exception inner = null)
            : base(code, message, httpStatus, isNetworkFailure, inner)
        {
        }
    }
}
