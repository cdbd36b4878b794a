using System.Management.Automation;
using System.Security;
using System.Threading;
using AwsVault.Prompts;

namespace AwsVault.Server
{
    /// <summary>
    /// The prompter of a credential server's chain: the command's own host while the server starts (so MFA and a
    /// file vault passphrase are asked once, in the terminal that started it), and nobody afterwards. Requests run
    /// on pool threads with no host, and a prompt there would either hang a client or write into a console
    /// another command owns; so from then on every question fails at once with the input's own error id, which
    /// the server turns into a JSON 500 and one warning.
    /// </summary>
    internal sealed class ServerPrompter : IPrompter
    {
        private readonly IPrompter _foreground;
        private readonly string _profileName;
        private int _background;

        public ServerPrompter(IPrompter foreground, string profileName)
        {
            _foreground = foreground;
            _profileName = profileName;
        }

        /// <summary>Called once the first session is issued: later questions come from requests, not from a person.</summary>
        public void GoBackground() => Interlocked.Exchange(ref _background, 1);

        private bool InBackground => Volatile.Read(ref _background) != 0;

        private string Reason =>
            "the credential server answers requests in the background, where nobody can be asked; run Get-AwsVaultSession " + _profileName +
            " in a terminal to refresh the cached session, or give the profile an mfa_process";

        public string WhyCannotAsk() => InBackground ? Reason : _foreground.WhyCannotAsk();

        public void Tell(string message)
        {
            // In the background there is no one to read it; what matters reaches the host as the server's warning.
            if (!InBackground) _foreground.Tell(message);
        }

        public bool IsStopping => !InBackground && _foreground.IsStopping;

        public string ReadLine(string prompt, string errorId, string howToSupply)
        {
            if (InBackground) throw Refusal(prompt, errorId, howToSupply);
            return _foreground.ReadLine(prompt, errorId, howToSupply);
        }

        public SecureString ReadSecret(string prompt, string errorId, string howToSupply)
        {
            if (InBackground) throw Refusal(prompt, errorId, howToSupply);
            return _foreground.ReadSecret(prompt, errorId, howToSupply);
        }

        private AwsVaultException Refusal(string prompt, string errorId, string howToSupply) =>
            new AwsVaultException(errorId, ErrorCategory.InvalidOperation,
                "AwsVault needs an answer to \"" + prompt.Trim().TrimEnd(':') + "\" but nobody can be asked: " + Reason + ". " + howToSupply + ".");
    }
}
