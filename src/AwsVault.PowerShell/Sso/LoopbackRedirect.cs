using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AwsVault.Sso
{
    /// <summary>
    /// The loopback redirect of an authorization-code sign-in (RFC 8252): listens on http://127.0.0.1:PORT/oauth/callback,
    /// PORT chosen by the OS, as the AWS CLI does; the client is registered with the port-less
    /// <see cref="RegisteredRedirectUri"/>, which Identity Center matches against any port. It takes the one request
    /// that brings the authorization code (or an error) and the expected state, answers the browser with a small page,
    /// answers 404 to anything else (favicon, other paths) and gives up after a timeout.
    /// <para>A TcpListener, not HttpListener: binding port 0 leaves no race between finding a free port and taking it,
    /// and on Windows HttpListener goes through http.sys, whose URL reservations a non-administrator may lack.</para>
    /// </summary>
    internal sealed class LoopbackRedirect : IDisposable
    {
        public const string CallbackPath = "/oauth/callback";
        public const string RegisteredRedirectUri = "http://127.0.0.1" + CallbackPath;
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

        // A browser sends its request as soon as it connects; a connection silent this long is a speculative one.
        private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);
        private const int MaxRequestBytes = 16 * 1024;

        private readonly TcpListener _listener;
        private bool _disposed;

        private LoopbackRedirect(TcpListener listener)
        {
            _listener = listener;
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public int Port { get; }

        /// <summary>What goes into the authorize URL and CreateToken: the registered URI with this listener's port.</summary>
        public string RedirectUri => "http://127.0.0.1:" + Port + CallbackPath;

        public static LoopbackRedirect Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new LoopbackRedirect(listener);
        }

        /// <summary>Waits for the browser to come back and returns the authorization code. Throws
        /// SsoSignInDenied when the user refused, SsoSignInExpired when nobody came back in time, and SsoSignInFailed
        /// for a wrong state or any other error the authorize page sent.</summary>
        public string WaitForCode(string expectedState, TimeSpan timeout, CancellationToken cancellation = default(CancellationToken))
        {
            if (_disposed) throw new ObjectDisposedException(nameof(LoopbackRedirect));
            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                TimeSpan left = deadline - DateTime.UtcNow;
                Task<TcpClient> accept = _listener.AcceptTcpClientAsync();
                bool accepted;
                try
                {
                    accepted = left > TimeSpan.Zero && accept.Wait((int)Math.Min(int.MaxValue, Math.Ceiling(left.TotalMilliseconds)), cancellation);
                }
                catch (OperationCanceledException)
                {
                    accept.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    throw;
                }
                if (!accepted)
                {
                    // Stopping the listener faults the pending accept; observe it so it is not reported as unobserved.
                    accept.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    throw new AwsVaultException(ErrorIds.SsoSignInExpired, ErrorCategory.OperationTimeout,
                        "The browser sign-in did not come back to " + RedirectUri + " within " + Describe(timeout) +
                        ". Run the command again, or use -UseDeviceCode to sign in with a code instead.");
                }
                using (TcpClient client = accept.Result)
                {
                    string code = Handle(client, expectedState);
                    if (code != null) return code;
                }
            }
        }

        /// <summary>The code, or null when this connection was not the callback (the loop goes on).</summary>
        private string Handle(TcpClient client, string expectedState)
        {
            client.ReceiveTimeout = (int)ReadTimeout.TotalMilliseconds;
            client.SendTimeout = (int)ReadTimeout.TotalMilliseconds;
            NetworkStream stream = client.GetStream();
            string requestLine;
            try
            {
                requestLine = ReadRequestLine(stream);
            }
            catch (IOException)
            {
                return null;
            }
            if (requestLine == null) return null;

            string[] parts = requestLine.Split(' ');
            string target = parts.Length >= 2 ? parts[1] : string.Empty;
            int q = target.IndexOf('?');
            string path = q < 0 ? target : target.Substring(0, q);
            if (parts[0] != "GET" || path != CallbackPath)
            {
                Answer(stream, 404, "Not found", "AwsVault is waiting for the IAM Identity Center sign-in at " + CallbackPath + ".");
                return null;
            }
            Dictionary<string, string> query = ParseQuery(q < 0 ? string.Empty : target.Substring(q + 1));
            query.TryGetValue("state", out string state);
            query.TryGetValue("code", out string code);
            query.TryGetValue("error", out string error);
            if (code == null && error == null)
            {
                Answer(stream, 400, "Not a sign-in", "This request carries no authorization code.");
                return null;
            }
            if (!string.Equals(state, expectedState, StringComparison.Ordinal))
            {
                Answer(stream, 400, "Sign-in refused", "This sign-in is not the one AwsVault started. Close this window and run the command again.");
                throw new AwsVaultException(ErrorIds.SsoSignInFailed, ErrorCategory.SecurityError,
                    "The browser came back with a state that does not match this sign-in, so its authorization code was refused. Run the command again.");
            }
            if (error != null)
            {
                query.TryGetValue("error_description", out string description);
                Answer(stream, 200, "Sign-in not completed", "AwsVault received: " + error + ". You can close this window.");
                string detail = error + (string.IsNullOrEmpty(description) ? string.Empty : " (" + description + ")");
                if (error == "access_denied")
                {
                    throw new AwsVaultException(ErrorIds.SsoSignInDenied, ErrorCategory.PermissionDenied,
                        "The IAM Identity Center sign-in was denied in the browser: " + detail + ".");
                }
                throw new AwsVaultException(ErrorIds.SsoSignInFailed, ErrorCategory.AuthenticationError,
                    "The IAM Identity Center authorize page answered " + detail + ". Run the command again, or use -UseDeviceCode.");
            }
            Answer(stream, 200, "Signed in", "AwsVault received the sign-in. You can close this window.");
            return code;
        }

        private static string ReadRequestLine(Stream stream)
        {
            var buffer = new byte[MaxRequestBytes];
            int length = 0;
            while (length < buffer.Length)
            {
                int read = stream.Read(buffer, length, buffer.Length - length);
                if (read <= 0) break;
                length += read;
                string text = Encoding.ASCII.GetString(buffer, 0, length);
                if (text.Contains("\r\n\r\n") || text.Contains("\n\n"))
                {
                    int end = text.IndexOf('\n');
                    return text.Substring(0, end).TrimEnd('\r');
                }
            }
            return null;
        }

        internal static Dictionary<string, string> ParseQuery(string query)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=');
                string name = Decode(eq < 0 ? pair : pair.Substring(0, eq));
                string value = eq < 0 ? string.Empty : Decode(pair.Substring(eq + 1));
                if (!values.ContainsKey(name)) values[name] = value;
            }
            return values;
        }

        private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

        private static void Answer(Stream stream, int status, string title, string text)
        {
            string body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>AwsVault - " + WebUtility.HtmlEncode(title) +
                          "</title></head><body><h1>" + WebUtility.HtmlEncode(title) + "</h1><p>" + WebUtility.HtmlEncode(text) + "</p></body></html>";
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            string reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
            string head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + bytes.Length +
                          "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
            try
            {
                byte[] headBytes = Encoding.ASCII.GetBytes(head);
                stream.Write(headBytes, 0, headBytes.Length);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
            }
            catch (IOException)
            {
                // The browser went away; the code it brought still counts.
            }
        }

        private static string Describe(TimeSpan t) =>
            t.TotalMinutes >= 1 ? Math.Round(t.TotalMinutes, 1) + " minutes" : Math.Round(t.TotalSeconds, 1) + " seconds";

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _listener.Stop();
        }
    }
}
