using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsVault.Tests.Sts
{
    /// <summary>One request to /federation as the emulator saw it. The session's secret and token are never kept.</summary>
    public sealed class FederationCall
    {
        public DateTimeOffset Timestamp { get; internal set; }

        /// <summary>getSigninToken or login (the Action parameter as sent).</summary>
        public string Action { get; internal set; }

        /// <summary>getSigninToken: the sessionId from the Session JSON (the credentials' access key id).</summary>
        public string SessionAccessKeyId { get; internal set; }

        /// <summary>getSigninToken: SessionDuration as sent, when it was a number.</summary>
        public int? SessionDuration { get; internal set; }

        /// <summary>The token issued (getSigninToken) or presented (login).</summary>
        public string SigninToken { get; internal set; }

        /// <summary>login: the Issuer and Destination parameters.</summary>
        public string Issuer { get; internal set; }
        public string Destination { get; internal set; }

        public int HttpStatus { get; internal set; }

        /// <summary>Why the request was refused (the text body sent); null on success.</summary>
        public string Error { get; internal set; }
        public string InjectedFault { get; internal set; }
        public string UserAgent { get; internal set; }

        public bool Succeeded => Error == null;

        public override string ToString() => Action + " " + (SessionAccessKeyId ?? "") + " -> " + HttpStatus + (Error != null ? " " + Error : "");
    }

    /// <summary>A SigninToken the emulator issued and what it stands for.</summary>
    public sealed class SigninTokenGrant
    {
        public string SigninToken { get; internal set; }
        public string AccessKeyId { get; internal set; }
        public int? SessionDuration { get; internal set; }
        public DateTimeOffset IssuedAt { get; internal set; }
        public DateTimeOffset Expiration { get; internal set; }
    }

    /// <summary>
    /// The console federation endpoint (https://signin.aws.amazon.com/federation): getSigninToken trades temporary
    /// credentials for a SigninToken, login redirects a browser holding one to its Destination. Unsigned, as the
    /// real endpoint is: the credentials in the Session JSON are the proof. Refusals are HTTP 400 with a short
    /// text body; the real endpoint gives a bare 400 without saying why, so clients may rely on the status only.
    /// </summary>
    internal sealed class FederationHandler
    {
        public const string Path = "/federation";

        /// <summary>AWS documents that a SigninToken must be used within 15 minutes.</summary>
        public static readonly TimeSpan SigninTokenLifetime = TimeSpan.FromMinutes(15);

        private readonly StsWorld _world;
        private readonly CancellationToken _stopping;

        public FederationHandler(StsWorld world, CancellationToken stopping)
        {
            _world = world;
            _stopping = stopping;
        }

        public async Task HandleAsync(HttpContext context, string rawQuery)
        {
            var p = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in FormEncoding.ParsePairs(rawQuery)) p.TryAdd(name, value);
            p.TryGetValue("Action", out string action);
            var call = new FederationCall { Action = action, UserAgent = context.Request.Headers.UserAgent.ToString() };

            var fault = _world.Faults.Take(action ?? "federation");
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
                _world.RecordFederation(call);
                using (var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping))
                {
                    try { await Task.Delay(Timeout.Infinite, held.Token); }
                    catch (OperationCanceledException) { }
                }
                context.Abort();
                return;
            }
            if (fault != null)
            {
                string body = fault.Kind == FaultKind.ForeignReply ? fault.Body : fault.Code + ": " + fault.Message;
                call.Timestamp = _world.Now;
                call.HttpStatus = fault.HttpStatus;
                call.Error = "injected " + fault;
                _world.RecordFederation(call);
                await Write(context, fault.HttpStatus, fault.Kind == FaultKind.ForeignReply ? fault.ContentType : "text/plain", body);
                return;
            }

            int status;
            string contentType = "text/plain";
            string text;
            string location = null;
            lock (_world.Gate)
            {
                call.Timestamp = _world.Now;
                try
                {
                    if (context.Request.Method != "GET" && context.Request.Method != "POST") throw new Refusal(405, "Use GET.");
                    switch (action)
                    {
                        case "getSigninToken":
                            text = GetSigninToken(p, call);
                            contentType = "application/json";
                            status = 200;
                            break;
                        case "login":
                            location = Login(p, call);
                            text = "";
                            status = 302;
                            break;
                        default:
                            throw new Refusal(400, "Unknown Action '" + action + "'.");
                    }
                }
                catch (Refusal r)
                {
                    status = r.Status;
                    text = r.Message;
                    call.Error = r.Message;
                }
                call.HttpStatus = status;
                _world.RecordFederation(call);
            }
            if (location != null) context.Response.Headers.Location = location;
            await Write(context, status, contentType, text);
        }

        private string GetSigninToken(Dictionary<string, string> p, FederationCall call)
        {
            p.TryGetValue("SessionDuration", out string durationText);
            int? duration = null;
            if (durationText != null)
            {
                if (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out int d)) throw new Refusal(400, "SessionDuration is not a number.");
                call.SessionDuration = duration = d;
            }
            if (!p.TryGetValue("Session", out string sessionJson) || string.IsNullOrEmpty(sessionJson)) throw new Refusal(400, "Session is required.");
            string id, key, token;
            try
            {
                using var doc = JsonDocument.Parse(sessionJson);
                id = Str(doc.RootElement, "sessionId");
                key = Str(doc.RootElement, "sessionKey");
                token = Str(doc.RootElement, "sessionToken");
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException)
            {
                throw new Refusal(400, "Session is not a JSON object of sessionId, sessionKey and sessionToken.");
            }
            call.SessionAccessKeyId = id;
            if (id == null || key == null || token == null) throw new Refusal(400, "Session needs sessionId, sessionKey and sessionToken.");

            var session = _world.FindSessionLocked(id);
            if (session == null) throw new Refusal(400, "The session is not temporary credentials this world issued.");
            if (!Same(key, session.SecretAccessKey) || !Same(token, session.SessionToken)) throw new Refusal(400, "The session's key or token does not match its id.");
            if (session.Expiration <= _world.Now) throw new Refusal(400, "The session has expired.");
            // The console trusts only sessions that carry their own identity: GetSessionToken's stand for an IAM
            // user's long-term key, which the federation endpoint refuses (aws-vault uses GetFederationToken instead).
            if (session.IssuedBy == "GetSessionToken") throw new Refusal(400, "GetSessionToken credentials cannot be used to sign in to the console.");
            if (duration.HasValue)
            {
                // A federated user's console session lasts as long as its credentials; only role sessions may ask.
                if (session.IsFederatedUserSession) throw new Refusal(400, "SessionDuration is not allowed with GetFederationToken credentials.");
                if (duration.Value < 900 || duration.Value > 43200) throw new Refusal(400, "SessionDuration must be between 900 and 43200.");
            }
            var grant = _world.IssueSigninTokenLocked(session, duration);
            call.SigninToken = grant.SigninToken;
            return JsonSerializer.Serialize(new Dictionary<string, string> { ["SigninToken"] = grant.SigninToken });
        }

        private string Login(Dictionary<string, string> p, FederationCall call)
        {
            p.TryGetValue("SigninToken", out string token);
            p.TryGetValue("Destination", out string destination);
            p.TryGetValue("Issuer", out string issuer);
            call.SigninToken = token;
            call.Destination = destination;
            call.Issuer = issuer;
            var grant = _world.SigninTokenGrant(token);
            if (grant == null) throw new Refusal(400, "Unknown SigninToken.");
            if (grant.Expiration <= _world.Now) throw new Refusal(400, "The SigninToken has expired.");
            call.SessionAccessKeyId = grant.AccessKeyId;
            if (string.IsNullOrEmpty(destination) || !Uri.TryCreate(destination, UriKind.Absolute, out _)) throw new Refusal(400, "Destination must be an absolute URL.");
            return destination;
        }

        private static string Str(JsonElement e, string name)
            => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static bool Same(string a, string b)
            => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a ?? ""), Encoding.UTF8.GetBytes(b ?? ""));

        private static async Task Write(HttpContext context, int status, string contentType, string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text ?? "");
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }

        private sealed class Refusal : Exception
        {
            public Refusal(int status, string message) : base(message) => Status = status;
            public int Status { get; }
        }
    }
}
