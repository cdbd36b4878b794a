using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net;
using AwsVault.Credentials;
using AwsVault.Output;
using AwsVault.Server;

namespace AwsVault.Commands
{
    /// <summary>
    /// Starts a credential server for a profile the way Start-AwsVaultCredentialServer and Invoke-AwsVault -Server
    /// share: the first session is issued now, in the foreground, through the command's host, so MFA (and a file
    /// vault passphrase) is asked once in the terminal that starts it. aws-vault refuses the terminal prompt in
    /// this mode; here only the later, background re-issues cannot ask.
    /// </summary>
    internal static class CredentialServerLauncher
    {
        public static CredentialServerInfo Start(CommandHost host, SessionRequest request, string backend, string vault, IPAddress listenAddress, int port)
        {
            if (request.NoSession) throw LongLivedKeyRefused(request.ProfileName);
            var prompter = new ServerPrompter(host.Prompter, request.ProfileName);
            host.UsePrompter(prompter);
            IssuedSession issued = host.Issue(request, backend, vault);
            if (!issued.Credentials.IsTemporary) throw LongLivedKeyRefused(request.ProfileName);
            prompter.GoBackground();
            var running = new RunningCredentialServer(request.ProfileName, issued.Source.Summary, issued.Source, prompter, listenAddress, port);
            host.Verbose("The credential server for profile '" + request.ProfileName + "' listens at " + running.Server.Uri + ".");
            return new CredentialServerInfo(running);
        }

        /// <summary>Null or empty is loopback; "localhost" is too, since a name bound as a prefix would be resolved.</summary>
        public static IPAddress ParseListenAddress(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return IPAddress.Loopback;
            string trimmed = text.Trim();
            if (string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
            if (trimmed.StartsWith("[", StringComparison.Ordinal) && trimmed.EndsWith("]", StringComparison.Ordinal)) trimmed = trimmed.Substring(1, trimmed.Length - 2);
            if (IPAddress.TryParse(trimmed, out IPAddress address)) return address;
            throw new AwsVaultException(ErrorIds.CredentialServerListenAddressInvalid, ErrorCategory.InvalidArgument,
                "-ListenAddress '" + text + "' is not an IP address. Give an address of this machine such as 127.0.0.1 (the default), ::1, or 0.0.0.0 for every interface.",
                text);
        }

        /// <summary>
        /// Where a server's warnings go once its command has returned (or while a script block holds the pipeline
        /// thread): the host's warning line, which console hosts serialize, else stderr.
        /// </summary>
        public static Action<string> HostWarnings(PSHost host) => message =>
        {
            try
            {
                if (host?.UI != null)
                {
                    host.UI.WriteWarningLine(message);
                    return;
                }
            }
            catch (Exception e) when (e is HostException || e is NotImplementedException || e is InvalidOperationException || e is ObjectDisposedException)
            {
            }
            Console.Error.WriteLine("WARNING: " + message);
        };

        private static AwsVaultException LongLivedKeyRefused(string profileName) =>
            new AwsVaultException(ErrorIds.CredentialServerLongLivedKeyRefused, ErrorCategory.SecurityError,
                "The credential server serves sessions only, and profile '" + profileName + "' would give the stored long-lived key (-NoSession). Start the server without -NoSession.",
                profileName);
    }
}
