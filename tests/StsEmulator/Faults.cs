using System;
using System.Collections.Generic;

namespace AwsVault.Tests.Sts
{
    public enum FaultKind
    {
        Throttle,
        ServerError,
        Delay,
        Error,
        /// <summary>An answer that is not STS's: a body of another format, as a proxy, a load balancer or a
        /// wrong endpoint gives (HttpStatus, ContentType and Body say what).</summary>
        ForeignReply,
        /// <summary>The request is read and never answered, until the client gives up or the server stops.</summary>
        Silent,
    }

    /// <summary>What goes wrong with one request. Messages are the ones AWS documents as common errors.</summary>
    public sealed class Fault
    {
        private Fault() { }

        public FaultKind Kind { get; private set; }
        public int HttpStatus { get; private set; }
        public string Code { get; private set; }
        public string Message { get; private set; }

        /// <summary>For Delay: how long to wait before the request is then answered normally.</summary>
        public TimeSpan Duration { get; private set; }

        /// <summary>For ForeignReply: the Content-Type and the body sent instead of STS XML.</summary>
        public string ContentType { get; private set; }
        public string Body { get; private set; }

        public static Fault Throttle() => new Fault { Kind = FaultKind.Throttle, HttpStatus = 400, Code = "Throttling", Message = "Rate exceeded" };

        /// <summary>500 InternalFailure, or 503 ServiceUnavailable.</summary>
        public static Fault ServerError(int httpStatus = 500)
        {
            if (httpStatus == 503)
            {
                return new Fault { Kind = FaultKind.ServerError, HttpStatus = 503, Code = "ServiceUnavailable", Message = "The request has failed due to a temporary failure of the server." };
            }
            if (httpStatus < 500 || httpStatus > 599) throw new ArgumentOutOfRangeException(nameof(httpStatus), "A server error is a 5xx status.");
            return new Fault { Kind = FaultKind.ServerError, HttpStatus = httpStatus, Code = "InternalFailure", Message = "The request processing has failed because of an unknown error, exception or failure." };
        }

        public static Fault Delay(TimeSpan delay)
        {
            if (delay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay));
            return new Fault { Kind = FaultKind.Delay, Duration = delay };
        }

        /// <summary>502 Bad Gateway with an HTML page, as a proxy or load balancer in front of STS sends when it
        /// cannot reach it.</summary>
        public static Fault BadGateway() => ForeignReply(502, "text/html",
            "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n");

        /// <summary>200 OK with a body that is not XML, as a captive portal or an endpoint of another service
        /// gives.</summary>
        public static Fault NotXml() => ForeignReply(200, "application/json", "{\"status\":\"ok\",\"service\":\"not-sts\"}");

        /// <summary>Any status with any body that is not an STS reply.</summary>
        public static Fault ForeignReply(int httpStatus, string contentType, string body)
        {
            if (httpStatus < 100 || httpStatus > 599) throw new ArgumentOutOfRangeException(nameof(httpStatus));
            return new Fault { Kind = FaultKind.ForeignReply, HttpStatus = httpStatus, ContentType = contentType ?? "text/plain", Body = body ?? "" };
        }

        /// <summary>Reads the request and never answers: only the client's own timeout ends the wait.</summary>
        public static Fault Silent() => new Fault { Kind = FaultKind.Silent };

        /// <summary>Any other error response, e.g. Error(400, "RegionDisabledException", "...").</summary>
        public static Fault Error(int httpStatus, string code, string message)
            => new Fault { Kind = FaultKind.Error, HttpStatus = httpStatus, Code = code ?? throw new ArgumentNullException(nameof(code)), Message = message ?? "" };

        public override string ToString() =>
            Kind == FaultKind.Delay ? "Delay " + Duration
            : Kind == FaultKind.Silent ? "Silent"
            : Kind == FaultKind.ForeignReply ? "ForeignReply " + HttpStatus + " " + ContentType
            : Kind + " " + HttpStatus + " " + Code;
    }

    /// <summary>
    /// Faults queued per action ("*" for any). Each request takes at most one: first from its action's queue,
    /// else from "*". AlwaysThrottle outlives the queues until Clear.
    /// </summary>
    public sealed class FaultInjector
    {
        public const string AnyAction = "*";

        private readonly object _gate = new object();
        private readonly Dictionary<string, Queue<Fault>> _queues = new Dictionary<string, Queue<Fault>>(StringComparer.Ordinal);
        private readonly HashSet<string> _alwaysThrottle = new HashSet<string>(StringComparer.Ordinal);

        public void Enqueue(string action, Fault fault)
        {
            if (string.IsNullOrEmpty(action)) throw new ArgumentException("An action name or \"*\".", nameof(action));
            if (fault == null) throw new ArgumentNullException(nameof(fault));
            lock (_gate)
            {
                if (!_queues.TryGetValue(action, out var queue)) _queues[action] = queue = new Queue<Fault>();
                queue.Enqueue(fault);
            }
        }

        /// <summary>Queues the same fault for the next <paramref name="count"/> requests.</summary>
        public void Enqueue(string action, Fault fault, int count)
        {
            for (int i = 0; i < count; i++) Enqueue(action, fault);
        }

        public void AlwaysThrottle(string action)
        {
            if (string.IsNullOrEmpty(action)) throw new ArgumentException("An action name or \"*\".", nameof(action));
            lock (_gate) _alwaysThrottle.Add(action);
        }

        public void Clear()
        {
            lock (_gate)
            {
                _queues.Clear();
                _alwaysThrottle.Clear();
            }
        }

        /// <summary>Faults still queued, over all actions.</summary>
        public int Pending
        {
            get
            {
                lock (_gate)
                {
                    int n = 0;
                    foreach (var q in _queues.Values) n += q.Count;
                    return n;
                }
            }
        }

        internal Fault Take(string action)
        {
            lock (_gate)
            {
                if (action != null && _queues.TryGetValue(action, out var own) && own.Count > 0) return own.Dequeue();
                if (_queues.TryGetValue(AnyAction, out var any) && any.Count > 0) return any.Dequeue();
                if ((action != null && _alwaysThrottle.Contains(action)) || _alwaysThrottle.Contains(AnyAction)) return Fault.Throttle();
                return null;
            }
        }
    }
}
