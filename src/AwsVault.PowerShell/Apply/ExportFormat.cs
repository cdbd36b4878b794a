namespace AwsVault.Apply
{
    public enum ExportFormat
    {
        CredentialProcess,
        Env,
        ExportEnv,
        Ini,
        PowerShell,
    }
}
