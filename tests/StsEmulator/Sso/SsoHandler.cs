using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsVault.Tests.Sts.Sso
{
    /// <summary>
    /// The two REST-JSON services of IAM Identity Center on the STS emulator's port: SSO OIDC ("sso-oauth":
    /// RegisterClient, StartDeviceAuthorization, CreateToken, plus the browser's GET /authorize and the device
    /// verification page GET /device) and the access portal ("portal.sso": GetRoleCredentials, ListAccounts,
    /// ListAccountRoles, Logout). Requests are unsigned, as the real services take them; the portal reads the
    /// access token from x-amz-sso_bearer_token. Errors carry x-amzn-ErrorType (what the SDKs map to an
    /// exception) and the body each service uses: {"error","error_description"} for OIDC, {"message"} for the portal.
    /// </summary>
    internal sealed class SsoHandler
    {
        public const string BearerHeader = "x-amz-sso_bearer_token";
        private const int DefaultPageSize = 20;

        private static readonly Dictionary<(string Method, string Path), (string Service, string Action)> Routes = new Dictionary<(string, string), (string, string)>
        {
            [("POST", "/client/register")] = (SsoCall.OidcService, "RegisterClient"),
            [("POST", "/device_authorization")] = (SsoCall.OidcService, "StartDeviceAuthorization"),
            [("POST", "/token")] = (SsoCall.OidcService, "CreateToken"),
            [("GET", "/authorize")] = (SsoCall.OidcService, "Authorize"),
            [("GET", "/device")] = (SsoCall.OidcService, "VerifyDevice"),
            [("GET", "/federation/credentials")] = (SsoCall.PortalService, "GetRoleCredentials"),
            [("GET", "/assignment/accounts")] = (SsoCall.PortalService, "ListAccounts"),
            [("GET", "/assignment/roles")] = (SsoCall.PortalService, "ListAccountRoles"),
            [("POST", "/logout")] = (SsoCall.PortalService, "Logout"),
        };

        private static readonly HashSet<string> Paths = new HashSet<string>(Routes.Keys.Select(k => k.Path), StringComparer.Ordinal);

        private readonly SsoWorld _world;
        private readonly CancellationToken _stopping;

        public SsoHandler(SsoWorld world, CancellationToken stopping)
        {
            _world = world;
            _stopping = stopping;
        }

        /// <summary>A path of Identity Center's; everything else stays STS's.</summary>
        public static bool Handles(string rawPath) => Paths.Contains(rawPath);

        private sealed class Reply
        {
            public int Status = 200;
            public JsonObject Json;
            public string Location;
            public string Html;
        }

        public async Task HandleAsync(HttpContext context, string rawPath, string rawQuery)
        {
            string method = context.Request.Method;
            Routes.TryGetValue((method, rawPath), out var route);
            string service = route.Service ?? (rawPath.StartsWith("/federation", StringComparison.Ordinal) || rawPath.StartsWith("/assignment", StringComparison.Ordinal) || rawPath == "/logout" ? SsoCall.PortalService : SsoCall.OidcService);

            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                body = buffer.ToArray();
            }
            var query = FormEncoding.ParsePairs(rawQuery).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
            string bearer = context.Request.Headers.TryGetValue(BearerHeader, out var b) ? b.ToString() : null;

            var call = new SsoCall
            {
                RequestId = Guid.NewGuid().ToString(),
                HttpMethod = method,
                Path = rawPath,
                Service = service,
                Action = route.Action,
                SentBearerToken = bearer != null,
                UserAgent = context.Request.Headers.UserAgent.ToString(),
                AccountId = query.GetValueOrDefault("account_id"),
                RoleName = query.GetValueOrDefault("role_name"),
                ClientId = query.GetValueOrDefault("client_id"),
            };

            var fault = route.Action != null ? _world.Faults.Take(route.Action) : null;
            if (fault != null) call.InjectedFault = fault.Kind.ToString();
            if (fault != null && fault.Kind == FaultKind.Delay)
            {
                try { await Task.Delay(fault.Duration, _stopping); }
                catch (OperationCanceledException) { }
                fault = null;
            }
            if (fault != null && fault.Kind == FaultKind.Silent)
            {
                call.Timestamp = _world.Now;
                _world.Record(call);
                using (var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping))
                {
                    try { await Task.Delay(Timeout.Infinite, held.Token); }
                    catch (OperationCanceledException) { }
                }
                context.Abort();
                return;
            }
            if (fault != null && fault.Kind == FaultKind.ForeignReply)
            {
                call.Timestamp = _world.Now;
                call.HttpStatus = fault.HttpStatus;
                _world.Record(call);
                byte[] foreign = Encoding.UTF8.GetBytes(fault.Body);
                context.Response.StatusCode = fault.HttpStatus;
                context.Response.ContentType = fault.ContentType;
                await context.Response.Body.WriteAsync(foreign, context.RequestAborted);
                return;
            }

            Reply reply;
            SsoError error = null;
            try
            {
                if (fault != null) throw FaultError(fault, service);
                if (route.Action == null)
                {
                    throw service == SsoCall.PortalService
                        ? new SsoError(404, "UnknownOperationException", null, "No route for " + method + " " + rawPath)
                        : new SsoError(404, "UnknownOperationException", "invalid_request", "No route for " + method + " " + rawPath);
                }
                JsonElement json = default;
                if (method == "POST" && body.Length > 0 && service == SsoCall.OidcService)
                {
                    try { json = JsonDocument.Parse(body).RootElement; }
                    catch (JsonException) { throw SsoError.InvalidRequest("The request body is not JSON."); }
                }
                string origin = "http://" + context.Request.Host.Value;
                lock (_world.Gate)
                {
                    call.Timestamp = _world.Now;
                    reply = route.Action switch
                    {
                        "RegisterClient" => RegisterClient(json, call),
                        "StartDeviceAuthorization" => StartDeviceAuthorization(json, call, origin),
                        "CreateToken" => CreateToken(json, call),
                        "Authorize" => Authorize(query, call),
                        "VerifyDevice" => VerifyDevice(query, call),
                        _ => Portal(route.Action, query, bearer, call),
                    };
                }
            }
            catch (SsoError e)
            {
                error = e;
                call.ErrorCode = e.Type;
                call.ErrorMessage = e.Message;
                var errorBody = e.OAuthError != null
                    ? new JsonObject { ["error"] = e.OAuthError, ["error_description"] = e.Message }
                    : new JsonObject { ["message"] = e.Message };
                reply = new Reply { Status = e.HttpStatus, Json = errorBody };
            }
            if (call.Timestamp == default) call.Timestamp = _world.Now;
            call.HttpStatus = reply.Status;
            _world.Record(call);

            context.Response.StatusCode = reply.Status;
            context.Response.Headers["x-amzn-RequestId"] = call.RequestId;
            context.Response.Headers.Date = _world.Now.ToString("r");
            if (error != null) context.Response.Headers["x-amzn-ErrorType"] = error.Type;
            if (reply.Location != null)
            {
                context.Response.Headers.Location = reply.Location;
                return;
            }
            byte[] bytes;
            if (reply.Html != null)
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                bytes = Encoding.UTF8.GetBytes(reply.Html);
            }
            else
            {
                context.Response.ContentType = "application/json";
                bytes = Encoding.UTF8.GetBytes((reply.Json ?? new JsonObject()).ToJsonString());
            }
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }

        private static SsoError FaultError(Fault fault, string service)
        {
            bool oidc = service == SsoCall.OidcService;
            switch (fault.Kind)
            {
                case FaultKind.Throttle: return new SsoError(429, "TooManyRequestsException", oidc ? "slow_down" : null, "Rate exceeded");
                case FaultKind.ServerError: return new SsoError(fault.HttpStatus, "InternalServerException", oidc ? "server_error" : null, fault.Message);
                default: return new SsoError(fault.HttpStatus, fault.Code, oidc ? fault.Code : null, fault.Message);
            }
        }

        // ---- sso-oauth ----------------------------------------------------------------------------------

        private Reply RegisterClient(JsonElement json, SsoCall call)
        {
            string name = Str(json, "clientName");
            string type = Str(json, "clientType");
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(type)) throw SsoError.InvalidRequest("clientName and clientType are required");
            if (type != "public") throw new SsoError(400, "InvalidClientMetadataException", "invalid_client_metadata", "Invalid client type: " + type);
            var grants = List(json, "grantTypes");
            var redirects = List(json, "redirectUris");
            foreach (string g in grants)
            {
                if (g != "authorization_code" && g != "refresh_token" && g != SsoWorld.DeviceCodeGrant) throw SsoError.InvalidRequest("Invalid grant type: " + g);
            }
            if (grants.Contains("authorization_code") && redirects.Count == 0) throw SsoError.InvalidRedirectUri("redirectUris are required for the authorization_code grant");
            foreach (string r in redirects)
            {
                if (!Uri.TryCreate(r, UriKind.Absolute, out _)) throw SsoError.InvalidRedirectUri("Invalid redirect URI: " + r);
            }
            var client = _world.RegisterClientLocked(name, type, List(json, "scopes"), grants, redirects, Str(json, "issuerUrl"));
            call.ClientId = client.ClientId;
            return new Reply
            {
                Json = new JsonObject
                {
                    ["clientId"] = client.ClientId,
                    ["clientSecret"] = client.ClientSecret,
                    ["clientIdIssuedAt"] = client.IssuedAt.ToUnixTimeSeconds(),
                    ["clientSecretExpiresAt"] = client.SecretExpiresAt.ToUnixTimeSeconds(),
                },
            };
        }

        private SsoClient CheckClient(JsonElement json, SsoCall call)
        {
            string clientId = Str(json, "clientId");
            string secret = Str(json, "clientSecret");
            call.ClientId = clientId;
            if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret)) throw SsoError.InvalidRequest("clientId and clientSecret are required");
            var client = _world.FindClientLocked(clientId);
            if (client == null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(client.ClientSecret), Encoding.UTF8.GetBytes(secret)))
            {
                throw SsoError.InvalidClient("Invalid client credentials");
            }
            if (client.SecretExpiresAt <= _world.Now) throw SsoError.InvalidClient("Client credentials have expired");
            return client;
        }

        private Reply StartDeviceAuthorization(JsonElement json, SsoCall call, string origin)
        {
            var client = CheckClient(json, call);
            string startUrl = Str(json, "startUrl");
            if (string.IsNullOrEmpty(startUrl)) throw SsoError.InvalidRequest("startUrl is required");
            var known = _world.StartUrls;
            if (known.Count > 0 && !known.Contains(startUrl)) throw SsoError.InvalidRequest("Invalid start URL: " + startUrl);
            var d = _world.StartDeviceLocked(client, startUrl);
            string verification = origin + "/device";
            return new Reply
            {
                Json = new JsonObject
                {
                    ["deviceCode"] = d.DeviceCode,
                    ["userCode"] = d.UserCode,
                    ["verificationUri"] = verification,
                    ["verificationUriComplete"] = verification + "?user_code=" + d.UserCode,
                    ["expiresIn"] = (int)Math.Round((d.ExpiresAt - _world.Now).TotalSeconds),
                    ["interval"] = d.Interval,
                },
            };
        }

        private Reply CreateToken(JsonElement json, SsoCall call)
        {
            string grantType = Str(json, "grantType");
            call.GrantType = grantType;
            var client = CheckClient(json, call);
            if (string.IsNullOrEmpty(grantType)) throw SsoError.InvalidRequest("grantType is required");
            if (client.GrantTypes.Count > 0 && !client.GrantTypes.Contains(grantType) && grantType != SsoWorld.DeviceCodeGrant)
            {
                throw SsoError.UnauthorizedClient("Client is not authorized for grant type " + grantType);
            }
            var now = _world.Now;
            SsoToken token;
            switch (grantType)
            {
                case SsoWorld.DeviceCodeGrant:
                {
                    var d = _world.FindDeviceLocked(Str(json, "deviceCode"));
                    if (d == null || d.ClientId != client.ClientId || d.Redeemed) throw SsoError.InvalidGrant("Invalid device code provided");
                    if (d.ExpiresAt <= now) throw SsoError.ExpiredToken();
                    d.Polls++;
                    var scripted = _world.NextScriptedPollLocked();
                    if (scripted.HasValue)
                    {
                        d.LastPoll = now;
                        switch (scripted.Value)
                        {
                            case SsoPoll.Pending: throw SsoError.AuthorizationPending();
                            case SsoPoll.SlowDown: throw SsoError.SlowDown();
                            case SsoPoll.Approve: d.Approved = true; break;
                            case SsoPoll.Deny: d.Approved = false; break;
                            case SsoPoll.Expire: d.ExpiresAt = now.AddSeconds(-1); throw SsoError.ExpiredToken();
                        }
                    }
                    else
                    {
                        bool tooSoon = _world.EnforcePollInterval && d.LastPoll.HasValue && now - d.LastPoll.Value < TimeSpan.FromSeconds(d.Interval);
                        d.LastPoll = now;
                        if (tooSoon)
                        {
                            // RFC 8628 3.5: the client must add 5 seconds to its interval from now on.
                            d.Interval += 5;
                            throw SsoError.SlowDown();
                        }
                        if (d.Approved == null && d.Polls > _world.PendingPolls)
                        {
                            if (_world.Decision == SsoUserDecision.Approve) d.Approved = true;
                            else if (_world.Decision == SsoUserDecision.Deny) d.Approved = false;
                        }
                    }
                    if (d.Approved == null) throw SsoError.AuthorizationPending();
                    if (d.Approved == false) throw SsoError.AccessDenied();
                    d.Redeemed = true;
                    token = _world.IssueTokenLocked(client, grantType, null);
                    break;
                }
                case "authorization_code":
                {
                    var code = _world.FindCodeLocked(Str(json, "code"));
                    if (code == null || code.Used || code.ClientId != client.ClientId) throw SsoError.InvalidGrant("Invalid authorization code provided");
                    if (code.ExpiresAt <= now) throw SsoError.InvalidGrant("Authorization code has expired");
                    if (Str(json, "redirectUri") != code.RedirectUri) throw SsoError.InvalidGrant("Redirect URI does not match the one of the authorization request");
                    string verifier = Str(json, "codeVerifier");
                    if (string.IsNullOrEmpty(verifier)) throw SsoError.InvalidRequest("codeVerifier is required");
                    string computed = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
                    // A failed verification spends the code too, as RFC 6749 10.5 asks of one-time codes.
                    code.Used = true;
                    if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(code.CodeChallenge)))
                    {
                        throw SsoError.InvalidGrant("Code verifier does not match the code challenge");
                    }
                    token = _world.IssueTokenLocked(client, grantType, code.Scopes);
                    break;
                }
                case "refresh_token":
                {
                    var old = _world.FindByRefreshTokenLocked(Str(json, "refreshToken"));
                    if (old == null || old.ClientId != client.ClientId || old.RefreshTokenUsed) throw SsoError.InvalidGrant("Invalid refresh token provided");
                    old.RefreshTokenUsed = true;
                    token = _world.IssueTokenLocked(client, grantType, old.Scopes);
                    break;
                }
                default:
                    throw SsoError.UnsupportedGrantType("Unsupported grant type: " + grantType);
            }
            var result = new JsonObject
            {
                ["accessToken"] = token.AccessToken,
                ["tokenType"] = "Bearer",
                ["expiresIn"] = (int)Math.Round((token.ExpiresAt - token.IssuedAt).TotalSeconds),
            };
            if (token.RefreshToken != null) result["refreshToken"] = token.RefreshToken;
            return new Reply { Json = result };
        }

        /// <summary>The browser's half of the authorization code flow: the world's <see cref="SsoWorld.Decision"/>
        /// is the user's click, answered with a 302 to the client's redirect_uri.</summary>
        private Reply Authorize(Dictionary<string, string> q, SsoCall call)
        {
            var client = _world.FindClientLocked(q.GetValueOrDefault("client_id"));
            if (client == null || client.SecretExpiresAt <= _world.Now) throw SsoError.InvalidClient("Unknown client_id");
            string redirect = q.GetValueOrDefault("redirect_uri");
            // Never redirect to a URI the client did not register: the error goes to the browser itself.
            if (redirect == null || !client.RedirectUris.Any(r => RedirectMatches(r, redirect))) throw SsoError.InvalidRedirectUri("redirect_uri is not registered for this client");
            string state = q.GetValueOrDefault("state");
            if (q.GetValueOrDefault("response_type") != "code") return RedirectError(redirect, "unsupported_response_type", "response_type must be code", state);
            string challenge = q.GetValueOrDefault("code_challenge");
            if (string.IsNullOrEmpty(challenge) || q.GetValueOrDefault("code_challenge_method") != "S256")
            {
                return RedirectError(redirect, "invalid_request", "PKCE with code_challenge_method=S256 is required", state);
            }
            if (!client.GrantTypes.Contains("authorization_code")) return RedirectError(redirect, "unauthorized_client", "Client is not registered for authorization_code", state);
            var scopes = (q.GetValueOrDefault("scopes") ?? q.GetValueOrDefault("scope") ?? "").Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries);
            switch (_world.Decision)
            {
                case SsoUserDecision.Approve:
                    var code = _world.IssueCodeLocked(client, redirect, challenge, scopes.Length > 0 ? scopes : client.Scopes);
                    return new Reply { Status = 302, Location = AddQuery(redirect, ("code", code.Code), ("state", state)) };
                case SsoUserDecision.Deny:
                    return RedirectError(redirect, "access_denied", "The user denied the request", state);
                default:
                    return new Reply { Html = "<html><body><h1>Allow " + HtmlEncoder.Default.Encode(client.ClientName) + " to access your data?</h1></body></html>" };
            }
        }

        private Reply VerifyDevice(Dictionary<string, string> q, SsoCall call)
        {
            var d = _world.FindDeviceByUserCodeLocked(q.GetValueOrDefault("user_code") ?? "");
            if (d == null || d.ExpiresAt <= _world.Now) return new Reply { Status = 400, Html = "<html><body><h1>Invalid or expired code</h1></body></html>" };
            call.ClientId = d.ClientId;
            if (d.Approved == null && _world.Decision == SsoUserDecision.Approve) d.Approved = true;
            else if (d.Approved == null && _world.Decision == SsoUserDecision.Deny) d.Approved = false;
            string text = d.Approved == true ? "Request approved" : d.Approved == false ? "Request denied" : "Authorize request?";
            return new Reply { Html = "<html><body><h1>" + text + "</h1></body></html>" };
        }

        private static Reply RedirectError(string redirect, string error, string description, string state)
            => new Reply { Status = 302, Location = AddQuery(redirect, ("error", error), ("error_description", description), ("state", state)) };

        /// <summary>Exact, or a loopback redirect registered without a port and used with one (RFC 8252 7.3).</summary>
        internal static bool RedirectMatches(string registered, string requested)
        {
            if (registered == requested) return true;
            if (!Uri.TryCreate(registered, UriKind.Absolute, out var r) || !Uri.TryCreate(requested, UriKind.Absolute, out var u)) return false;
            return r.IsLoopback && u.IsLoopback && r.Scheme == u.Scheme && r.Host == u.Host && r.AbsolutePath == u.AbsolutePath && r.IsDefaultPort;
        }

        private static string AddQuery(string uri, params (string Name, string Value)[] pairs)
        {
            var sb = new StringBuilder(uri);
            char sep = uri.Contains('?') ? '&' : '?';
            foreach (var (name, value) in pairs)
            {
                if (value == null) continue;
                sb.Append(sep).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                sep = '&';
            }
            return sb.ToString();
        }

        // ---- portal.sso ---------------------------------------------------------------------------------

        private Reply Portal(string action, Dictionary<string, string> q, string bearer, SsoCall call)
        {
            var token = _world.AuthenticateLocked(bearer);
            if (token == null) throw SsoError.Unauthorized();
            call.ClientId = token.ClientId;
            switch (action)
            {
                case "GetRoleCredentials":
                {
                    string role = q.GetValueOrDefault("role_name");
                    string account = q.GetValueOrDefault("account_id");
                    if (string.IsNullOrEmpty(role) || string.IsNullOrEmpty(account)) throw SsoError.PortalInvalidRequest("role_name and account_id are required");
                    var assignment = _world.FindAssignmentLocked(account, role) ?? throw SsoError.Forbidden();
                    var session = _world.Sts.IssueRoleSession(assignment.RoleArn, _world.UserName, _world.RoleCredentialLifetime, "GetRoleCredentials");
                    call.IssuedAccessKeyId = session.AccessKeyId;
                    return new Reply
                    {
                        Json = new JsonObject
                        {
                            ["roleCredentials"] = new JsonObject
                            {
                                ["accessKeyId"] = session.AccessKeyId,
                                ["secretAccessKey"] = session.SecretAccessKey,
                                ["sessionToken"] = session.SessionToken,
                                ["expiration"] = session.Expiration.ToUnixTimeMilliseconds(),
                            },
                        },
                    };
                }
                case "ListAccounts":
                {
                    var (page, next) = Page(_world.VisibleAccountsLocked(), q, "accounts");
                    var list = new JsonArray(page.Select(a => (JsonNode)new JsonObject { ["accountId"] = a.AccountId, ["accountName"] = a.Name, ["emailAddress"] = a.Email }).ToArray());
                    var result = new JsonObject { ["accountList"] = list };
                    if (next != null) result["nextToken"] = next;
                    return new Reply { Json = result };
                }
                case "ListAccountRoles":
                {
                    string account = q.GetValueOrDefault("account_id");
                    if (string.IsNullOrEmpty(account)) throw SsoError.PortalInvalidRequest("account_id is required");
                    var (page, next) = Page(_world.RolesLocked(account), q, "roles/" + account);
                    var list = new JsonArray(page.Select(r => (JsonNode)new JsonObject { ["roleName"] = r.RoleName, ["accountId"] = r.AccountId }).ToArray());
                    var result = new JsonObject { ["roleList"] = list };
                    if (next != null) result["nextToken"] = next;
                    return new Reply { Json = result };
                }
                case "Logout":
                    token.LoggedOut = true;
                    return new Reply();
                default:
                    throw new InvalidOperationException(action);
            }
        }

        /// <summary>max_result (1..100, default 20) and an opaque next_token bound to the listing it came from.</summary>
        private static (List<T> Page, string Next) Page<T>(List<T> all, Dictionary<string, string> q, string listing)
        {
            int size = DefaultPageSize;
            if (q.TryGetValue("max_result", out string max))
            {
                if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > 100) throw SsoError.PortalInvalidRequest("max_result must be between 1 and 100");
            }
            int offset = 0;
            if (q.TryGetValue("next_token", out string next) && !string.IsNullOrEmpty(next))
            {
                string decoded;
                try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(next)); }
                catch (FormatException) { throw SsoError.PortalInvalidRequest("Invalid next_token"); }
                int bar = decoded.LastIndexOf('|');
                if (bar < 0 || decoded.Substring(0, bar) != listing || !int.TryParse(decoded.Substring(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out offset)) throw SsoError.PortalInvalidRequest("Invalid next_token");
            }
            var page = all.Skip(offset).Take(size).ToList();
            string token = offset + size < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(listing + "|" + (offset + size))) : null;
            return (page, token);
        }

        // ---- JSON helpers ---------------------------------------------------------------------------------

        private static string Str(JsonElement json, string name)
            => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static List<string> List(JsonElement json, string name)
        {
            var list = new List<string>();
            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in v.EnumerateArray()) if (e.ValueKind == JsonValueKind.String) list.Add(e.GetString());
            }
            return list;
        }

        internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
