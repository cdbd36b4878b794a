using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AwsVault.Prompts
{
    /// <summary>Prompts through the PowerShell host of the running command, so prompts reach the user's
    /// console (or a test's scripted host) and secrets are read masked.</summary>
    internal sealed class HostPrompter : IPrompter
    {
        private readonly PSHost _host;
        private readonly bool _promptOnStandardError;
        private readonly Func<bool> _isStopping;

        public HostPrompter(PSHost host, bool promptOnStandardError = false, Func<bool> isStopping = null)
        {
            _host = host;
            _promptOnStandardError = promptOnStandardError;
            _isStopping = isStopping;
        }

        public string WhyCannotAsk() => Interactivity.WhyPromptIsImpossible(_host);

        public bool IsStopping => _isStopping != null && _isStopping();

        public void Tell(string message)
        {
            // credential_process: stdout carries only the JSON, so what the user must read goes to stderr.
            if (_promptOnStandardError)
            {
                Console.Error.WriteLine(message);
                return;
            }
            try
            {
                _host?.UI?.WriteLine(message);
            }
            catch (HostException)
            {
                Console.Error.WriteLine(message);
            }
            catch (NotImplementedException)
            {
                Console.Error.WriteLine(message);
            }
        }

        public string ReadLine(string prompt, string errorId, string howToSupply) =>
            Ask(prompt, errorId, howToSupply, ui => ui.ReadLine());

        public SecureString ReadSecret(string prompt, string errorId, string howToSupply) =>
            Ask(prompt, errorId, howToSupply, ui => ui.ReadLineAsSecureString());

        private T Ask<T>(string prompt, string errorId, string howToSupply, Func<PSHostUserInterface, T> read)
        {
            string why = Interactivity.WhyPromptIsImpossible(_host);
            if (why != null)
            {
                throw NoPrompt(prompt, errorId, howToSupply, why);
            }
            try
            {
                if (_promptOnStandardError) Console.Error.Write(prompt);
                else _host.UI.Write(prompt);
                T answer = read(_host.UI);
                if (answer == null)
                {
                    throw new AwsVaultException(ErrorIds.PromptCancelled, ErrorCategory.OperationStopped, "The prompt \"" + prompt.Trim() + "\" was cancelled. " + howToSupply + ".");
                }
                return answer;
            }
            catch (HostException ex)
            {
                throw NoPrompt(prompt, errorId, howToSupply, "the host cannot prompt (" + ex.Message + ")");
            }
            catch (NotImplementedException)
            {
                throw NoPrompt(prompt, errorId, howToSupply, "the host cannot prompt");
            }
            catch (PSInvalidOperationException ex)
            {
                // What pwsh -NonInteractive throws from ReadLine: "PowerShell is in NonInteractive mode."
                throw NoPrompt(prompt, errorId, howToSupply, ex.Message.TrimEnd('.'));
            }
        }

        private static AwsVaultException NoPrompt(string prompt, string errorId, string howToSupply, string why) =>
            new AwsVaultException(errorId, ErrorCategory.InvalidOperation,
                "AwsVault needs an answer to \"" + prompt.Trim().TrimEnd(':') + "\" but nobody can be asked: " + why + ". " + howToSupply + ".");
    }
}
