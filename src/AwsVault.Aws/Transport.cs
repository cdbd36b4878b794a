using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace AwsVault.Aws
{
    /// <summary>What STS and the SSO clients read the same way from the SDK's transport: whether a failure is the
    /// network's, and whether an endpoint URL can be called at all.</summary>
    internal static class Transport
    {
        public static bool IsNetworkFailure(Exception ex, out string code)
        {
            code = null;
            for (Exception e = ex; e != null; e = e.InnerException)
            {
                if (e is TaskCanceledException || e is TimeoutException)
                {
                    code = "Timeout";
                    return true;
                }
                // IOException: a connection reset or a reply cut short ("The response ended prematurely"), which
                // the SDK may rethrow without the HttpRequestException around it.
                if (e is HttpRequestException || e is SocketException || e is WebException || e is System.IO.IOException)
                {
                    code = "ConnectionFailed";
                    return true;
                }
            }
            return false;
        }

        public static bool IsHttpUrl(string text) =>
            Uri.TryCreate(text, UriKind.Absolute, out Uri uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host);
    }
}
