using System;
using System.Collections.Generic;

namespace AwsVault.Tests.Sts.Sso
{
    /// <summary>An AWS account the user can see in the access portal (once a role is assigned in it).</summary>
    public sealed class SsoAccount
    {
        public string AccountId { get; internal set; }
        public string Name { get; internal set; }
        public string Email { get; internal set; }
    }

    /// <summary>A permission set assigned to the user in one account.</summary>
    public sealed class SsoRoleAssignment
    {
        public string AccountId { get; internal set; }
        public string RoleName { get; internal set; }

        /// <summary>The IAM role Identity Center provisions for it:
        /// arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NAME_HEX16.</summary>
        public string RoleArn { get; internal set; }
    }

    /// <summary>What the user does when the sign-in page (device verification or /authorize) asks.</summary>
    public enum SsoUserDecision
    {
        /// <summary>Allows access (device flow: after <see cref="SsoWorld.PendingPolls"/> polls).</summary>
        Approve,
        /// <summary>Refuses: the device flow gets AccessDeniedException, the browser a redirect with error=access_denied.</summary>
        Deny,
        /// <summary>Never acts: device polls stay pending until the code expires; /authorize shows a page and never redirects.</summary>
        Ignore,
    }

    /// <summary>One scripted answer to a device-code CreateToken poll (see <see cref="SsoWorld.ScriptPolls"/>).</summary>
    public enum SsoPoll
    {
        Pending,
        SlowDown,
        Approve,
        Deny,
        Expire,
    }

    /// <summary>A RegisterClient result as the world keeps it.</summary>
    public sealed class SsoClient
    {
        public string ClientId { get; internal set; }
        public string ClientSecret { get; internal set; }
        public string ClientName { get; internal set; }
        public string ClientType { get; internal set; }
        public IReadOnlyList<string> Scopes { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> GrantTypes { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<string> RedirectUris { get; internal set; } = Array.Empty<string>();
        public string IssuerUrl { get; internal set; }
        public DateTimeOffset IssuedAt { get; internal set; }
        public DateTimeOffset SecretExpiresAt { get; internal set; }
    }

    /// <summary>A StartDeviceAuthorization in progress.</summary>
    public sealed class SsoDeviceAuthorization
    {
        public string DeviceCode { get; internal set; }
        public string UserCode { get; internal set; }
        public string ClientId { get; internal set; }
        public string StartUrl { get; internal set; }
        public DateTimeOffset ExpiresAt { get; internal set; }
        public int Interval { get; internal set; }

        /// <summary>CreateToken polls answered so far.</summary>
        public int Polls { get; internal set; }

        /// <summary>Null while the user has not acted; true approved, false denied.</summary>
        public bool? Approved { get; internal set; }

        /// <summary>Tokens were issued; the device code is spent.</summary>
        public bool Redeemed { get; internal set; }
        internal DateTimeOffset? LastPoll { get; set; }
    }

    /// <summary>An access token (with its refresh token, if one was issued).</summary>
    public sealed class SsoToken
    {
        public string AccessToken { get; internal set; }
        public string RefreshToken { get; internal set; }
        public string ClientId { get; internal set; }
        public string GrantType { get; internal set; }
        public IReadOnlyList<string> Scopes { get; internal set; } = Array.Empty<string>();
        public DateTimeOffset IssuedAt { get; internal set; }
        public DateTimeOffset ExpiresAt { get; internal set; }

        /// <summary>Logout revoked the access token.</summary>
        public bool LoggedOut { get; internal set; }

        /// <summary>The refresh token was used (refresh tokens rotate: each is good once).</summary>
        public bool RefreshTokenUsed { get; internal set; }
    }

    /// <summary>One HTTP request as the SSO emulator saw it. Secrets (tokens, codes, verifiers) are never recorded.</summary>
    public sealed class SsoCall
    {
        public const string OidcService = "sso-oauth";
        public const string PortalService = "portal.sso";

        public string RequestId { get; internal set; }
        public DateTimeOffset Timestamp { get; internal set; }
        public string HttpMethod { get; internal set; }
        public string Path { get; internal set; }

        /// <summary>sso-oauth or portal.sso.</summary>
        public string Service { get; internal set; }

        /// <summary>RegisterClient, StartDeviceAuthorization, CreateToken, Authorize, VerifyDevice,
        /// GetRoleCredentials, ListAccounts, ListAccountRoles, Logout; null for an unknown route.</summary>
        public string Action { get; internal set; }
        public string ClientId { get; internal set; }
        public string GrantType { get; internal set; }
        public string AccountId { get; internal set; }
        public string RoleName { get; internal set; }

        /// <summary>An x-amz-sso_bearer_token header came with the request.</summary>
        public bool SentBearerToken { get; internal set; }

        public int HttpStatus { get; internal set; }

        /// <summary>The x-amzn-ErrorType name (AuthorizationPendingException, UnauthorizedException, …); null on success.</summary>
        public string ErrorCode { get; internal set; }
        public string ErrorMessage { get; internal set; }
        public string InjectedFault { get; internal set; }

        /// <summary>GetRoleCredentials: the key id of the role session it issued (also in the STS world).</summary>
        public string IssuedAccessKeyId { get; internal set; }
        public string UserAgent { get; internal set; }

        public bool Succeeded => ErrorCode == null && HttpStatus < 400;

        public override string ToString() => Service + " " + Action + (GrantType != null ? " " + GrantType : "") + " -> " + HttpStatus + (ErrorCode != null ? " " + ErrorCode : "");
    }

    /// <summary>An SSO error: thrown while a request is processed, written once by the handler.</summary>
    internal sealed class SsoError : Exception
    {
        public SsoError(int httpStatus, string type, string oauthError, string message) : base(message)
        {
            HttpStatus = httpStatus;
            Type = type;
            OAuthError = oauthError;
        }

        public int HttpStatus { get; }

        /// <summary>The x-amzn-ErrorType the SDK maps to an exception class.</summary>
        public string Type { get; }

        /// <summary>For sso-oauth: the RFC 6749 "error" member; null for the portal, whose body is {"message"}.</summary>
        public string OAuthError { get; }

        // sso-oauth (the OAuth error codes of RFC 6749 / RFC 8628 in the body, the exception name in the header).
        public static SsoError AuthorizationPending() => new SsoError(400, "AuthorizationPendingException", "authorization_pending", "Authorization is still pending");
        public static SsoError SlowDown() => new SsoError(400, "SlowDownException", "slow_down", "Client is polling too fast");
        public static SsoError ExpiredToken(string message = "Device code has expired") => new SsoError(400, "ExpiredTokenException", "expired_token", message);
        public static SsoError AccessDenied(string message = "Access denied by the user") => new SsoError(400, "AccessDeniedException", "access_denied", message);
        public static SsoError InvalidClient(string message = "Invalid client credentials") => new SsoError(401, "InvalidClientException", "invalid_client", message);
        public static SsoError InvalidGrant(string message) => new SsoError(400, "InvalidGrantException", "invalid_grant", message);
        public static SsoError InvalidRequest(string message) => new SsoError(400, "InvalidRequestException", "invalid_request", message);
        public static SsoError InvalidScope(string message) => new SsoError(400, "InvalidScopeException", "invalid_scope", message);
        public static SsoError UnsupportedGrantType(string message) => new SsoError(400, "UnsupportedGrantTypeException", "unsupported_grant_type", message);
        public static SsoError UnauthorizedClient(string message) => new SsoError(400, "UnauthorizedClientException", "unauthorized_client", message);
        public static SsoError InvalidRedirectUri(string message) => new SsoError(400, "InvalidRedirectUriException", "invalid_redirect_uri", message);

        // portal.sso ({"message": ...} bodies).
        public static SsoError Unauthorized() => new SsoError(401, "UnauthorizedException", null, "Session token not found or invalid");
        public static SsoError Forbidden() => new SsoError(403, "ForbiddenException", null, "No access");
        public static SsoError PortalInvalidRequest(string message) => new SsoError(400, "InvalidRequestException", null, message);
    }
}
