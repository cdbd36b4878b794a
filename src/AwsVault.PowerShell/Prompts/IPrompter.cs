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
    }
}
