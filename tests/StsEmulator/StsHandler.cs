using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AwsVault.Tests.Sts
{
    /// <summary>
    /// One HTTP request in, one STS answer out: parameters from the query string and the form body, the
    /// signature claim, at most one injected fault, the action under the world's lock, the call recorded,
    /// then the XML written. Requests under /_emulator/ are the control API for out-of-process users.
    /// </summary>
    internal sealed class StsHandler
    {
        public const string ControlPrefix = "/_emulator/";

        private static readonly HashSet<string> MaskedParameters = new HashSet<string>(StringComparer.Ordinal) { "TokenCode", "WebIdentityToken" };

        private readonly StsWorld _world;
        private readonly StsOperations _operations;
        private readonly IamOperations _iam;
        private readonly FederationHandler _federation;
        private readonly CancellationToken _stopping;
        private readonly Sso.SsoHandler _sso;
        private readonly Sso.SsoWorld _ssoWorld;

        public StsHandler(StsWorld world, CancellationToken stopping, Sso.SsoWorld sso = null)
        {
            _ssoWorld = sso;
            _world = world;
            _operations = new StsOperations(world);
            _iam = new IamOperations(world, _operations);
            _federation = new FederationHandler(world, stopping);
            _stopping = stopping;
            if (sso != null) _sso = new Sso.SsoHandler(sso, stopping);
        }

        public async Task HandleAsync(HttpContext context)
        {
            string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path + context.Request.QueryString);
            int q = rawTarget.IndexOf('?');
            string rawPath = q < 0 ? rawTarget : rawTarget.Substring(0, q);
            string rawQuery = q < 0 ? "" : rawTarget.Substring(q + 1);

            if (rawPath.StartsWith(ControlPrefix, StringComparison.Ordinal))
            {
                await new ControlApi(_world, _ssoWorld).HandleAsync(context, rawPath.Substring(ControlPrefix.Length));
                return;
            }
            // The console's federation endpoint is its own host in AWS; here it is a path no other service uses.
            if (rawPath == FederationHandler.Path)
            {
                await _federation.HandleAsync(context, rawQuery);
                return;
            }
            // Identity Center's REST paths never collide with STS, which only answers at "/".
            if (_sso != null && Sso.SsoHandler.Handles(rawPath))
            {
                await _sso.HandleAsync(context, rawPath, rawQuery);
                return;
            }

            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                body = buffer.ToArray();
            }

            var query = FormEncoding.ParsePairs(rawQuery);
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in query)
            {
                if (!SigV4.IsPresignParameter(name)) parameters.TryAdd(name, value);
            }
            string contentType = context.Request.ContentType ?? "";
            if (body.Length > 0 && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (name, value) in FormEncoding.ParsePairs(Encoding.UTF8.GetString(body)))
                {
                    parameters.TryAdd(name, value);
                }
            }

            var request = new SignedRequest
            {
                Method = context.Request.Method,
                RawPath = rawPath,
                RawQuery = rawQuery,
                Body = body,
                Header = name => context.Request.Headers.TryGetValue(name, out var v) ? string.Join(",", v.ToArray()) : null,
            };
            var claim = SigV4.Parse(request, query);

            parameters.TryGetValue("Action", out string action);
            // IAM and STS share POST / and the Query protocol; only the signature's scope says which one is meant.
            bool iam = claim?.Service == IamOperations.Service;
            var ns = iam ? IamOperations.Ns : StsOperations.Ns;
            var call = new StsCall
            {
                Service = iam ? "iam" : "sts",
                RequestId = Guid.NewGuid().ToString(),
                HttpMethod = request.Method,
                Action = action,
                CallerAccessKeyId = claim?.AccessKeyId,
                SigningRegion = claim?.Region,
                Parameters = parameters.Where(p => p.Key != "Action").ToDictionary(p => p.Key, p => MaskedParameters.Contains(p.Key) ? StsCall.Masked : p.Value, StringComparer.Ordinal),
                UsedMfa = !string.IsNullOrEmpty(parameters.GetValueOrDefault("TokenCode")),
                SerialNumber = parameters.GetValueOrDefault("SerialNumber"),
                UserAgent = request.Header("user-agent"),
            };

            string xml;
            int status = 200;
            var fault = _world.Faults.Take(action);
            if (fault != null) call.InjectedFault = fault.Kind.ToString();
            if (fault != null && fault.Kind == FaultKind.Delay)
            {
                // The request is still answered afterwards, as a slow STS would: a client that gave up has
                // nonetheless spent its MFA code and created a session.
                try { await Task.Delay(fault.Duration, _stopping); }
                catch (OperationCanceledException) { }
                fault = null;
            }
            if (fault != null && fault.Kind == FaultKind.Silent)
            {
                // Recorded on arrival, so a test counts the attempts a client made, then held until the client
                // gives up (RequestAborted) or the server stops; nothing is ever written.
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
                context.Response.ContentLength = foreign.Length;
                await context.Response.Body.WriteAsync(foreign, context.RequestAborted);
                return;
            }

            try
            {
                if (fault != null) throw new StsError(fault.HttpStatus, fault.Code, fault.Message);
                XElement result;
                lock (_world.Gate)
                {
                    call.Timestamp = _world.Now;
                    result = iam ? _iam.Execute(action, parameters, claim, request, call) : Execute(action, parameters, claim, request, call);
                }
                xml = new XElement(ns + action + "Response",
                    result,
                    new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", call.RequestId))).ToString();
            }
            catch (StsError error)
            {
                status = error.HttpStatus;
                call.ErrorCode = error.Code;
                call.ErrorMessage = error.Message;
                xml = new XElement(ns + "ErrorResponse",
                    new XElement(ns + "Error",
                        new XElement(ns + "Type", error.Type),
                        new XElement(ns + "Code", error.Code),
                        new XElement(ns + "Message", error.Message)),
                    new XElement(ns + "RequestId", call.RequestId)).ToString();
            }
            if (call.Timestamp == default) call.Timestamp = _world.Now;
            call.HttpStatus = status;
            // Recorded before the answer leaves, so a client that has its answer always finds the call.
            _world.Record(call);

            byte[] bytes = Encoding.UTF8.GetBytes(xml);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml";
            context.Response.ContentLength = bytes.Length;
            context.Response.Headers["x-amzn-RequestId"] = call.RequestId;
            // SDKs correct their clock skew from this header, so it follows the emulator's clock.
            context.Response.Headers.Date = _world.Now.ToString("r");
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }

        private XElement Execute(string action, Dictionary<string, string> parameters, SignatureClaim claim, SignedRequest request, StsCall call)
        {
            if (string.IsNullOrEmpty(action)) throw new StsError(400, "MissingAction", "The request must contain the parameter Action");
            parameters.TryGetValue("Version", out string version);
            if (version != StsOperations.ApiVersion || !StsOperations.Emulated.Contains(action))
            {
                throw new StsError(400, "InvalidAction", "Could not find operation " + action + " for version " + (version ?? "NO_VERSION_SPECIFIED"));
            }

            if (StsOperations.Unsigned.Contains(action))
            {
                return _operations.AssumeRoleWithWebIdentity(parameters, call, claim?.Region);
            }

            var caller = _operations.Authenticate(claim, request);
            call.CallerArn = caller.Arn;
            switch (action)
            {
                case "GetCallerIdentity": return _operations.GetCallerIdentity(caller);
                case "GetFederationToken": return _operations.GetFederationToken(caller, parameters, call, claim.Region);
                case "GetSessionToken": return _operations.GetSessionToken(caller, parameters, call, claim.Region);
                case "AssumeRole": return _operations.AssumeRole(caller, parameters, call, claim.Region);
                default: throw new InvalidOperationException(action);
            }
        }
    }

    /// <summary>
    /// JSON control endpoints for tests that run the emulator out of process (Pester):
    ///   GET    /_emulator/calls                       recorded calls
    ///   DELETE /_emulator/calls                       ClearCalls
    ///   GET    /_emulator/sessions                    issued sessions
    ///   POST   /_emulator/sessions/{AKID}/expire      ExpireSession
    ///   POST   /_emulator/faults                      {"action":"*","kind":"Throttle|ServerError|Delay|Error|AlwaysThrottle|BadGateway|NotXml|Silent","status":503,"delayMilliseconds":500,"code":"...","message":"...","count":1}
    ///   DELETE /_emulator/faults                      Faults.Clear
    ///   GET    /_emulator/token-code?serialNumber=ARN  UnusedTokenCode (for machines without oathtool)
    ///   GET    /_emulator/world                       the world as JSON
    ///   GET    /_emulator/federation/calls            requests to /federation (getSigninToken, login)
    ///   DELETE /_emulator/federation/calls            ClearFederationCalls
    ///   GET    /_emulator/federation/tokens/{TOKEN}   the session a SigninToken was issued for (404 when never issued)
    ///   GET    /_emulator/iam/users/{NAME}/keys       the user's access keys (ids, status, dates; no secrets)
    ///   POST   /_emulator/iam/settings                {"newKeyDelayMilliseconds":5000,"requireMfaForIam":true} (either may be left out)
    ///   GET    /_emulator/sso/calls                   recorded IAM Identity Center calls (when started with --sso)
    ///   DELETE /_emulator/sso/calls                   SsoWorld.ClearCalls
    ///   GET    /_emulator/sso/tokens                  issued access tokens, with expiry and logout (for leak checks)
    /// </summary>
    internal sealed class ControlApi
    {
        private readonly StsWorld _world;
        private readonly Sso.SsoWorld _sso;

        public ControlApi(StsWorld world, Sso.SsoWorld sso = null)
        {
            _world = world;
            _sso = sso;
        }

        private sealed class FaultRequest
        {
            public string Action { get; set; } = FaultInjector.AnyAction;
            public string Kind { get; set; }
            public int? Status { get; set; }
            public int? DelayMilliseconds { get; set; }
            public string Code { get; set; }
            public string Message { get; set; }
            public int Count { get; set; } = 1;
        }

        private sealed class IamSettings
        {
            public int? NewKeyDelayMilliseconds { get; set; }
            public bool? RequireMfaForIam { get; set; }
        }

        public async Task HandleAsync(HttpContext context, string path)
        {
            string method = context.Request.Method;
            try
            {
                if (path == "federation/calls" && method == "GET") { await Json(context, 200, _world.FederationCalls); return; }
                if (path == "federation/calls" && method == "DELETE") { _world.ClearFederationCalls(); context.Response.StatusCode = 204; return; }
                if (path.StartsWith("federation/tokens/", StringComparison.Ordinal) && method == "GET")
                {
                    string token = Uri.UnescapeDataString(path.Substring("federation/tokens/".Length));
                    var grant = _world.SigninTokenGrant(token);
                    if (grant == null) { await Json(context, 404, new { error = "No such SigninToken." }); return; }
                    var session = _world.SigninTokenFor(token);
                    await Json(context, 200, new { grant.AccessKeyId, grant.SessionDuration, grant.IssuedAt, grant.Expiration, session?.Arn, session?.IssuedBy });
                    return;
                }
                if (path.StartsWith("iam/users/", StringComparison.Ordinal) && path.EndsWith("/keys", StringComparison.Ordinal) && method == "GET")
                {
                    string name = Uri.UnescapeDataString(path.Substring("iam/users/".Length, path.Length - "iam/users/".Length - "/keys".Length));
                    if (_world.User(name) == null) { await Json(context, 404, new { error = "No user " + name + "." }); return; }
                    // Ids and dates are what a rotate test compares; the world endpoint has the secrets when needed.
                    await Json(context, 200, _world.AccessKeysOf(name).Select(k => new { k.AccessKeyId, k.Status, k.CreateDate, k.UsableFrom }).ToArray());
                    return;
                }
                if (path == "iam/settings" && method == "POST")
                {
                    var settings = await JsonSerializer.DeserializeAsync<IamSettings>(context.Request.Body, StsWorld.JsonOptions) ?? throw new ArgumentException("A settings object.");
                    if (settings.NewKeyDelayMilliseconds.HasValue) _world.NewKeyDelay = TimeSpan.FromMilliseconds(settings.NewKeyDelayMilliseconds.Value);
                    if (settings.RequireMfaForIam.HasValue) _world.RequireMfaForIam = settings.RequireMfaForIam.Value;
                    context.Response.StatusCode = 204;
                    return;
                }
                if (path == "calls" && method == "GET") { await Json(context, 200, _world.Calls); return; }
                if (path == "calls" && method == "DELETE") { _world.ClearCalls(); context.Response.StatusCode = 204; return; }
                if (path == "sessions" && method == "GET") { await Json(context, 200, _world.Sessions); return; }
                if (_sso != null && path == "sso/calls" && method == "GET") { await Json(context, 200, _sso.Calls); return; }
                if (_sso != null && path == "sso/calls" && method == "DELETE") { _sso.ClearCalls(); context.Response.StatusCode = 204; return; }
                if (_sso != null && path == "sso/tokens" && method == "GET") { await Json(context, 200, _sso.Tokens); return; }
                if (path == "world" && method == "GET")
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(_world.ToJson());
                    return;
                }
                if (path.StartsWith("sessions/", StringComparison.Ordinal) && path.EndsWith("/expire", StringComparison.Ordinal) && method == "POST")
                {
                    _world.ExpireSession(Uri.UnescapeDataString(path.Substring("sessions/".Length, path.Length - "sessions/".Length - "/expire".Length)));
                    context.Response.StatusCode = 204;
                    return;
                }
                if (path == "token-code" && method == "GET")
                {
                    await Json(context, 200, new { tokenCode = _world.UnusedTokenCode(context.Request.Query["serialNumber"].ToString()) });
                    return;
                }
                if (path == "faults" && method == "DELETE") { _world.Faults.Clear(); context.Response.StatusCode = 204; return; }
                if (path == "faults" && method == "POST")
                {
                    var request = await JsonSerializer.DeserializeAsync<FaultRequest>(context.Request.Body, StsWorld.JsonOptions);
                    AddFault(request);
                    context.Response.StatusCode = 204;
                    return;
                }
                await Json(context, 404, new { error = "No control endpoint " + method + " /_emulator/" + path });
            }
            catch (Exception e) when (e is ArgumentException || e is JsonException || e is InvalidOperationException || e is FormatException)
            {
                await Json(context, 400, new { error = e.Message });
            }
        }

        private void AddFault(FaultRequest r)
        {
            if (r == null) throw new ArgumentException("A fault object.");
            string action = string.IsNullOrEmpty(r.Action) ? FaultInjector.AnyAction : r.Action;
            Fault fault;
            switch ((r.Kind ?? "").ToLowerInvariant())
            {
                case "throttle": fault = Fault.Throttle(); break;
                case "servererror": fault = Fault.ServerError(r.Status ?? 500); break;
                case "delay": fault = Fault.Delay(TimeSpan.FromMilliseconds(r.DelayMilliseconds ?? 0)); break;
                case "error": fault = Fault.Error(r.Status ?? 400, r.Code, r.Message); break;
                case "badgateway": fault = Fault.BadGateway(); break;
                case "notxml": fault = Fault.NotXml(); break;
                case "silent": fault = Fault.Silent(); break;
                case "alwaysthrottle": _world.Faults.AlwaysThrottle(action); return;
                default: throw new ArgumentException("kind must be Throttle, ServerError, Delay, Error, BadGateway, NotXml, Silent or AlwaysThrottle, not '" + r.Kind + "'.");
            }
            _world.Faults.Enqueue(action, fault, Math.Max(1, r.Count));
        }

        private static async Task Json(HttpContext context, int status, object value)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, value, value.GetType(), StsWorld.JsonOptions);
        }
    }
}
