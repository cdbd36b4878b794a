using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AwsVault.Credentials;
using AwsVault.Internal;

namespace AwsVault.Server
{
    /// <summary>
    /// A local endpoint of the ECS container-credentials protocol (what AWS SDKs and the CLI read through
    /// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN), answered from the engine on
    /// every request, so a long-running child gets a fresh session whenever the engine would issue one.
    /// </summary>
    /// <remarks>
    /// Refusals, in order: a browser <c>Origin</c> header (403), a <c>Host</c> other than the listen address or
    /// loopback name with our port (403: a web page that rebinds a DNS name to 127.0.0.1 sends its own name),
    /// a missing or wrong <c>Authorization</c> (403), a method other than GET (405), a path other than
    /// <see cref="Path"/> (404). An engine failure is 500 with <c>{"code": errorId, "message": ...}</c>: 401 and
    /// 403 stay reserved for "this client may not ask", so a client (and a person reading its log) can tell
    /// that apart from "the vault could not produce credentials now"; the code says which input is missing.
    /// </remarks>
    internal sealed class CredentialServer : IDisposable
    {
        public const string Path = "/credentials";

        private const int PortAttempts = 5;
        private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(5);

        private readonly Func<AwsCredentials> _credentials;
        private readonly Action<string> _warn;
        private readonly HttpListener _listener;
        private readonly string _token;
        private readonly byte[] _tokenBytes;
        private readonly HashSet<string> _allowedHosts;
        private readonly bool _anyAddress;
        // Starts at 1 for the server itself; each request in flight adds one, Dispose removes the server's.
        private readonly CountdownEvent _inFlight = new CountdownEvent(1);
        // Error ids already warned about since the last success: one warning per kind of failure, not per request.
        private readonly ConcurrentDictionary<string, byte> _warned = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        private readonly Task _acceptLoop;
        private long _served;
        private long _refused;
        private int _disposed;

        /// <param name="credentials">The engine: current credentials for every request; may throw <see cref="AwsVaultException"/>.</param>
        /// <param name="warn">Told once per kind of failure (and about a non-loopback address); called on a pool thread.</param>
        /// <param name="listenAddress">Loopback when null. Anything else makes the credentials reachable from the network.</param>
        /// <param name="port">0 picks a free port.</param>
        public CredentialServer(Func<AwsCredentials> credentials, Action<string> warn, IPAddress listenAddress = null, int port = 0)
        {
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _warn = warn ?? (_ => { });
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port));
            ListenAddress = listenAddress ?? IPAddress.Loopback;
            _anyAddress = ListenAddress.Equals(IPAddress.Any) || ListenAddress.Equals(IPAddress.IPv6Any);

            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            _token = Hex(bytes);
            Array.Clear(bytes, 0, bytes.Length);
            _tokenBytes = Encoding.UTF8.GetBytes(_token);

            if (!IPAddress.IsLoopback(ListenAddress))
            {
                Warn("The credential server listens on " + ListenAddress + ", not only on loopback: any machine that can reach this address and learns the authorization token can take these AWS credentials, and the token crosses the network in clear text (plain HTTP). Use the default loopback address unless a container or VM on this host must reach it.");
            }

            _listener = Start(ListenAddress, port, out int boundPort);
            Port = boundPort;
            _allowedHosts = AllowedHosts(ListenAddress, boundPort);
            Uri = new Uri("http://" + HostText(IPAddress.IsLoopback(ListenAddress) || _anyAddress ? IPAddress.Loopback : ListenAddress) + ":" + boundPort.ToString(CultureInfo.InvariantCulture) + Path);
            StartTime = DateTimeOffset.UtcNow;
            _acceptLoop = Task.Run(AcceptLoop);
        }

        public IPAddress ListenAddress { get; }
        public int Port { get; }
        /// <summary>The address a client puts in AWS_CONTAINER_CREDENTIALS_FULL_URI.</summary>
        public Uri Uri { get; }
        public DateTimeOffset StartTime { get; }
        /// <summary>Requests answered with credentials.</summary>
        public long RequestsServed => Interlocked.Read(ref _served);
        /// <summary>Requests answered with anything else: refusals and engine failures.</summary>
        public long RequestsRefused => Interlocked.Read(ref _refused);

        /// <summary>The value of AWS_CONTAINER_AUTHORIZATION_TOKEN, as a new read-only copy the caller disposes.</summary>
        public SecureString AuthorizationToken => SecureStrings.ReadOnlyCopy(_token);

        /// <summary>The token as text, only for writing a child's environment block.</summary>
        internal string AuthorizationTokenText => _token;

        /// <summary>Completes when the accept loop has ended (after Dispose), so a test can see nothing of ours still runs.</summary>
        internal Task AcceptLoopTask => _acceptLoop;

        /// <summary>
        /// Stops taking requests (new ones are dropped), lets the ones in flight finish for up to five seconds,
        /// then closes the listener, which closes the port, and waits for the accept loop to end. A request whose
        /// engine call outlives the wait keeps its pool thread until the engine returns; its answer then has no
        /// connection to go to and is dropped.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _inFlight.Signal();
            _inFlight.Wait(s_drainTimeout);
            try
            {
                _listener.Stop();
            }
            catch (ObjectDisposedException)
            {
            }
            _listener.Close();
            try
            {
                _acceptLoop.Wait(s_drainTimeout);
            }
            catch (AggregateException)
            {
            }
            // _inFlight is not disposed: a request still in its engine call after the wait signals it later.
        }

        private static HttpListener Start(IPAddress address, int port, out int boundPort)
        {
            HttpListenerException last = null;
            int attempts = port == 0 ? PortAttempts : 1;
            for (int i = 0; i < attempts; i++)
            {
                int candidate = port == 0 ? FreePort(address) : port;
                var listener = new HttpListener();
                // One prefix: on .NET's managed listener an IP prefix binds that address only, and a name would be
                // resolved and bound on whatever address it resolves to. A wildcard address needs the "+" prefix.
                string host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "+" : HostText(address);
                listener.Prefixes.Add("http://" + host + ":" + candidate.ToString(CultureInfo.InvariantCulture) + "/");
                try
                {
                    listener.Start();
                    boundPort = candidate;
                    return listener;
                }
                catch (HttpListenerException e)
                {
                    // Another process took the port between the probe and the bind: try another.
                    last = e;
                    listener.Close();
                }
            }
            throw new AwsVaultException(ErrorIds.CredentialServerStartFailed, ErrorCategory.ResourceUnavailable,
                "The credential server could not listen on " + HostText(address) + ":" + (port == 0 ? "a free port" : port.ToString(CultureInfo.InvariantCulture)) +
                ": " + last?.Message + (port == 0 ? " (tried " + attempts + " ports)" : " Choose another -Port, or 0 for a free one."),
                address, last);
        }

        // HttpListener cannot bind port 0 and report the port, so the OS picks one for a socket we release at once.
        private static int FreePort(IPAddress address)
        {
            var probe = new TcpListener(address, 0);
            probe.Start();
            try
            {
                return ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            finally
            {
                probe.Stop();
            }
        }

        private static HashSet<string> AllowedHosts(IPAddress address, int port)
        {
            string p = ":" + port.ToString(CultureInfo.InvariantCulture);
            var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { HostText(address) + p };
            if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                hosts.Add("127.0.0.1" + p);
                hosts.Add("localhost" + p);
                hosts.Add("[::1]" + p);
            }
            return hosts;
        }

        private static string HostText(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

        private async Task AcceptLoop()
        {
            while (true)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (HttpListenerException) when (Volatile.Read(ref _disposed) == 0 && _listener.IsListening)
                {
                    // One client's broken connection (http.sys reports those here): the next one is still welcome.
                    continue;
                }
                catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    // The listener is stopped or closed (by Dispose): retrying would only spin.
                    return;
                }
                if (!_inFlight.TryAddCount())
                {
                    // Shutting down: no new engine call, the client sees the connection close.
                    context.Response.Abort();
                    continue;
                }
                // Each request on its own pool thread: a slow engine call (an STS round trip, a lock held by
                // another process) never stops this loop from taking the next request.
                _ = Task.Run(() => Serve(context));
            }
        }

        private void Serve(HttpListenerContext context)
        {
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException || e is System.IO.IOException)
            {
                // The client went away, or Dispose closed the listener under a late answer: nobody to tell.
            }
            finally
            {
                _inFlight.Signal();
            }
        }

        private void Answer(HttpListenerContext context)
        {
            var request = context.Request;
            if (request.Headers["Origin"] != null)
            {
                Refuse(context, 403, "Requests from a web page (with an Origin header) are refused.");
                return;
            }
            if (!HostAllowed(request.Headers["Host"]))
            {
                Refuse(context, 403, "The Host header must be this server's own address and port.");
                return;
            }
            string authorization = request.Headers["Authorization"];
            if (authorization == null || !ConstantTime.BytesEqual(Encoding.UTF8.GetBytes(authorization), _tokenBytes))
            {
                Refuse(context, 403, "A missing or wrong authorization token (AWS_CONTAINER_AUTHORIZATION_TOKEN).");
                return;
            }
            if (!string.Equals(request.HttpMethod, "GET", StringComparison.Ordinal))
            {
                context.Response.AddHeader("Allow", "GET");
                Refuse(context, 405, "Only GET is supported.");
                return;
            }
            if (!string.Equals(request.Url.AbsolutePath, Path, StringComparison.Ordinal))
            {
                Refuse(context, 404, "Credentials are served at " + Path + ".");
                return;
            }

            AwsCredentials creds;
            try
            {
                creds = _credentials();
                if (!creds.IsTemporary)
                {
                    throw new AwsVaultException(ErrorIds.CredentialServerLongLivedKeyRefused, ErrorCategory.SecurityError,
                        "The credential server serves sessions only, and the profile gave a long-lived key (-NoSession). Start the server without -NoSession.");
                }
            }
            catch (AwsVaultException e)
            {
                Fail(context, e.ErrorId, e.Message);
                return;
            }
            catch (Exception e) when (!(e is OutOfMemoryException || e is StackOverflowException))
            {
                // Not ours: its message could hold anything, so only its type reaches the client and the host.
                Fail(context, e.GetType().Name, "The credential server failed unexpectedly (" + e.GetType().FullName + ").");
                return;
            }

            // A success ends the failure streak: the next failure of any kind is news again.
            if (!_warned.IsEmpty) _warned.Clear();
            var json = new JsonObjectWriter()
                .String("AccessKeyId", creds.AccessKeyId)
                .String("SecretAccessKey", creds.SecretAccessKey)
                .String("Token", creds.SessionToken);
            if (creds.Expiration.HasValue) json.String("Expiration", Rfc3339.Format(creds.Expiration.Value));
            Interlocked.Increment(ref _served);
            Send(context, 200, json.ToString());
        }

        private bool HostAllowed(string host)
        {
            if (string.IsNullOrEmpty(host)) return false;
            if (_allowedHosts.Contains(host)) return true;
            if (!_anyAddress) return false;
            // Listening on every address: any IP literal of this host with our port, never a name, which is what
            // DNS rebinding needs.
            int colon = host.LastIndexOf(':');
            if (colon <= 0 || host.Substring(colon + 1) != Port.ToString(CultureInfo.InvariantCulture)) return false;
            string name = host.Substring(0, colon);
            if (name.StartsWith("[", StringComparison.Ordinal) && name.EndsWith("]", StringComparison.Ordinal)) name = name.Substring(1, name.Length - 2);
            return IPAddress.TryParse(name, out _);
        }

        private void Refuse(HttpListenerContext context, int status, string message)
        {
            Interlocked.Increment(ref _refused);
            Send(context, status, new JsonObjectWriter().String("message", message).ToString());
        }

        private void Fail(HttpListenerContext context, string errorId, string message)
        {
            Interlocked.Increment(ref _refused);
            if (_warned.TryAdd(errorId, 0))
            {
                Warn("The credential server could not give a client credentials: " + message + " (" + errorId + "). Clients get HTTP 500 until this is fixed; this warning is not repeated for the same error.");
            }
            Send(context, 500, new JsonObjectWriter().String("code", errorId).String("message", message).ToString());
        }

        private void Warn(string message)
        {
            try
            {
                _warn(message);
            }
            catch (Exception)
            {
                // The host's trouble (a closed pipeline, a removed runspace) must not fail a client's request.
            }
        }

        private static void Send(HttpListenerContext context, int status, string body)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = "application/json";
            response.Headers["Cache-Control"] = "no-store";
            response.ContentLength64 = bytes.Length;
            response.OutputStream.Write(bytes, 0, bytes.Length);
            response.Close();
        }

        private static string Hex(byte[] bytes)
        {
            const string digits = "0123456789abcdef";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[2 * i + 1] = digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }
    }
}
