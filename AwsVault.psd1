@{
    RootModule           = 'AwsVault.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '1296f986-b12a-49dc-be71-ee347fbf88e6'
    Author               = 'AwsVault contributors'
    CompanyName          = 'AwsVault contributors'
    Copyright            = '(c) AwsVault contributors. MIT License.'
    Description          = 'Keeps long-lived AWS access keys in an encrypted vault (SecretManagement or an aws-vault compatible file vault) and hands out short-lived STS credentials only for as long as a command needs them.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('AwsVault.format.ps1xml')
    CmdletsToExport      = @(
        'Add-AwsVaultProfile'
        'Get-AwsVaultProfile'
        'Remove-AwsVaultProfile'
        'Get-AwsVaultSession'
        'Clear-AwsVaultSession'
        'Export-AwsVaultSession'
        'Enter-AwsVaultShell'
        'Connect-AwsVaultSso'
        'Disconnect-AwsVaultSso'
        'Get-AwsVaultSsoRole'
        'Start-AwsVaultCredentialServer'
        'Stop-AwsVaultCredentialServer'
        'Get-AwsVaultCredentialServer'
        'Get-AwsVaultLoginUrl'
        'Open-AwsVaultConsole'
        'Update-AwsVaultAccessKey'
    )
    FunctionsToExport    = @('Invoke-AwsVault')
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('AWS', 'STS', 'MFA', 'Credentials', 'Vault', 'SecretManagement', 'aws-vault', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri = 'https://github.com/awsvault-powershell/AwsVault/blob/main/LICENSE'
            ProjectUri = 'https://github.com/awsvault-powershell/AwsVault'
        }
    }
}
