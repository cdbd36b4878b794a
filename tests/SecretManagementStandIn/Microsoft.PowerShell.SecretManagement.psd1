# Test stand-in for Microsoft.PowerShell.SecretManagement 1.1.2 (tests/SecretManagementStandIn).
# Same module name, version, GUID and cmdlets as the real module; the vault behind it is built in.
@{
    RootModule           = 'Microsoft.PowerShell.SecretManagement.dll'
    ModuleVersion        = '1.1.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = 'a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3'
    Author               = 'AwsVault tests'
    CompanyName          = 'AwsVault'
    Copyright            = 'MIT'
    Description          = 'Test stand-in for Microsoft.PowerShell.SecretManagement 1.1.x with a built-in, configurable vault. Not the real module.'
    PowerShellVersion    = '5.1'
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Register-SecretVault',
        'Unregister-SecretVault',
        'Get-SecretVault',
        'Set-SecretVaultDefault',
        'Test-SecretVault',
        'Unlock-SecretVault',
        'Set-Secret',
        'Set-SecretInfo',
        'Get-Secret',
        'Get-SecretInfo',
        'Remove-Secret'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('TestStandIn')
        }
    }
}
