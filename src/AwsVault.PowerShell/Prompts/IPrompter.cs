using System.Security;

namespace AwsVault.Prompts
{
    /// <summary>Asks the user for input. Implementations throw an AwsVaultException naming how to supply the
    /// input instead of blocking when nobody can answer.</summary>
    internal interface IPrompter
    {
        /// <param name="prompt">The question, e.g. "Enter MFA code for arn:...: ".</param>
        /// <param name="errorId">The error id to use when no human can answer.</param>
        /// <param name="howToSupply">What to do instead, e.g. "Use -MfaToken or set mfa_process".</param>
        string ReadLine(string prompt, string errorId, string howToSupply);

        SecureString ReadSecret(string prompt, string errorId, string howToSupply);

        /// <summary>Null when a person can be asked (or act, as in a browser sign-in) now, else why not, in words
        /// fit for an error message.</summary>
        string WhyCannotAsk();

        /// <summary>Tells the user something they must act on (a sign-in's user code), where prompts go.</summary>
        void Tell(string message);

        /// <summary>True once the command was asked to stop (Ctrl+C): long waits for the user end then.</summary>
        bool IsStopping { get; }
    }
}
