#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Update-AwsVaultAccessKey as the README's "Rotating a key" shows it, against the emulator in its own process:
# -WhatIf makes no call, a rotation leaves IAM with exactly the new key, the vault holds it, sessions work, and the
# AWS CLI (run by Invoke-AwsVault with the stored key) sees the same.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    $env:AWS_ENDPOINT_URL_IAM = $Sts.Endpoint
    Set-Content -Path $env:AWS_CONFIG_FILE -Value (New-SessionTestConfig -Emulator $Sts)
    Import-Module (Get-AwsVaultTestModulePath) -Force
    $key = Get-ExampleKey bob
    Add-AwsVaultProfile bob -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
    $Aws = if ($env:AWSVAULT_TEST_AWS_CLI) { $env:AWSVAULT_TEST_AWS_CLI } else { (Get-Command aws -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    function Get-BobKeyId {
        # Invoke-RestMethod sends the JSON array down the pipeline as one object: take its members' ids.
        $keys = Invoke-RestMethod -Uri ($Sts.Endpoint + '_emulator/iam/users/bob/keys')
        $keys.accessKeyId
    }
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'Update-AwsVaultAccessKey' {
    It 'makes no call with -WhatIf' {
        Clear-StsCall $Sts
        Update-AwsVaultAccessKey bob -WhatIf | Should -BeNullOrEmpty
        @(Get-StsCall $Sts).Count | Should -Be 0
        Get-BobKeyId | Should -Be (Get-ExampleKey bob).AccessKeyId
    }

    It 'replaces the key in IAM and in the vault, and the AWS CLI sees only the new one' {
        $rotated = Update-AwsVaultAccessKey bob
        $rotated.OldAccessKeyId | Should -Be (Get-ExampleKey bob).AccessKeyId
        @(Get-BobKeyId) | Should -Be @($rotated.NewAccessKeyId)

        (Get-AwsVaultSession bob -NoSession).AccessKeyId | Should -Be $rotated.NewAccessKeyId
        (Get-AwsVaultSession bob).AccessKeyId | Should -BeLike 'ASIA*'

        # The script-block form: the block's output comes back (the child form writes to the console).
        $json = Invoke-AwsVault bob -NoSession {
            param($Aws, $Endpoint)
            & $Aws iam list-access-keys --endpoint-url $Endpoint --region us-east-1 --output json
        } -ArgumentList $Aws, $Sts.Endpoint.TrimEnd('/')
        $LASTEXITCODE | Should -Be 0
        @(($json | Out-String | ConvertFrom-Json).AccessKeyMetadata.AccessKeyId) | Should -Be @($rotated.NewAccessKeyId)
    }
}
