namespace AwsVault.Commands
{
    /// <summary>Where Get-Help -Online sends a user: the same help text as the module ships, on the project site.</summary>
    internal static class HelpLinks
    {
        public const string Base = "https://github.com/awsvault-powershell/AwsVault/blob/main/docs/help/";
    }
}
