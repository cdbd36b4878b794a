using System.Management.Automation;

namespace AwsVault.Apply
{
    /// <summary>aws-vault refuses to start a session inside another; so does AwsVault, with its words.</summary>
    internal static class NestedSession
    {
        public static bool IsActive => !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_VAULT"));

        public static ErrorRecord Refusal() =>
            new AwsVaultException(ErrorIds.NestedSessionRefused, ErrorCategory.InvalidOperation,
                "running in an existing aws-vault subshell; 'exit' from the subshell or unset AWS_VAULT to force (profile '" +
                System.Environment.GetEnvironmentVariable("AWS_VAULT") + "' is active; in PowerShell: $env:AWS_VAULT = $null).",
                System.Environment.GetEnvironmentVariable("AWS_VAULT")).ToErrorRecord();
    }
}
