#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User-level scenarios for machines with pwsh and Pester 5. Run after `dotnet build`:
#   Invoke-Pester tests/Pester
BeforeAll {
    $script:ModulePath = Join-Path $PSScriptRoot '../../out/AwsVault/AwsVault.psd1'
    $script:Saved = @{}
    foreach ($name in 'HOME', 'AWS_CONFIG_FILE', 'AWS_VAULT_FILE_DIR', 'AWS_VAULT_BACKEND', 'AWS_VAULT_FILE_PASSPHRASE', 'AWS_VAULT_PROMPT', 'CI') {
        $script:Saved[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    $env:HOME = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path (Join-Path $env:HOME '.aws') -Force | Out-Null
    $env:AWS_CONFIG_FILE = Join-Path $env:HOME '.aws/config'
    $env:AWS_VAULT_FILE_DIR = Join-Path $TestDrive 'vault'
    $env:AWS_VAULT_BACKEND = 'file'
    $env:AWS_VAULT_FILE_PASSPHRASE = 'pester passphrase'
    $env:AWS_VAULT_PROMPT = 'none'
    Set-Content -Path $env:AWS_CONFIG_FILE -Value "[profile ops]`nregion = eu-west-1`n"
    Import-Module $script:ModulePath -Force
    $script:Secret = ConvertTo-SecureString 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' -AsPlainText -Force
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    foreach ($pair in $script:Saved.GetEnumerator()) {
        [Environment]::SetEnvironmentVariable($pair.Key, $pair.Value)
    }
}

Describe 'Profiles in the file vault' {
    It 'adds a key as one encrypted file and lists it' {
        Add-AwsVaultProfile dev -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $script:Secret
        $file = Join-Path $env:AWS_VAULT_FILE_DIR 'dev'
        $file | Should -Exist
        (Get-Content $file -Raw).Split('.').Count | Should -Be 5
        Get-Content $file -Raw | Should -Not -Match 'wJalrXUtnFEMI'
        $profiles = Get-AwsVaultProfile
        ($profiles | Where-Object ProfileName -EQ 'dev').HasStoredKey | Should -BeTrue
        ($profiles | Where-Object ProfileName -EQ 'ops').HasStoredKey | Should -BeFalse
        Get-Content $env:AWS_CONFIG_FILE -Raw | Should -Match '\[profile dev\]'
    }

    It 'lists without a passphrase' {
        $saved = $env:AWS_VAULT_FILE_PASSPHRASE
        Remove-Item Env:AWS_VAULT_FILE_PASSPHRASE
        try { (Get-AwsVaultProfile dev).HasStoredKey | Should -BeTrue }
        finally { $env:AWS_VAULT_FILE_PASSPHRASE = $saved }
    }

    It 'refuses a wrong passphrase and writes nothing' {
        $before = Get-ChildItem $env:AWS_VAULT_FILE_DIR | ForEach-Object Name
        $saved = $env:AWS_VAULT_FILE_PASSPHRASE
        $env:AWS_VAULT_FILE_PASSPHRASE = 'not the passphrase'
        try {
            { Add-AwsVaultProfile qa -AccessKeyId AKIAI44QH8DHBEXAMPLE -SecretAccessKey $script:Secret } |
                Should -Throw -ErrorId 'VaultPassphraseIncorrect,AwsVault.Commands.AddAwsVaultProfileCommand'
        }
        finally { $env:AWS_VAULT_FILE_PASSPHRASE = $saved }
        Get-ChildItem $env:AWS_VAULT_FILE_DIR | ForEach-Object Name | Should -Be $before
    }

    It 'rejects <Case>' -ForEach @(
        @{ Case = 'a temporary key'; Id = 'ASIAIOSFODNN7EXAMPLE'; ErrorId = 'TemporaryAccessKeyRejected' }
        @{ Case = 'a malformed key id'; Id = 'not-a-key'; ErrorId = 'InvalidAccessKeyId' }
    ) {
        { Add-AwsVaultProfile bad -AccessKeyId $Id -SecretAccessKey $script:Secret } |
            Should -Throw -ErrorId "$ErrorId,AwsVault.Commands.AddAwsVaultProfileCommand"
    }

    It 'removes the key with -Force' {
        Remove-AwsVaultProfile dev -Force
        Join-Path $env:AWS_VAULT_FILE_DIR 'dev' | Should -Not -Exist
        (Get-AwsVaultProfile dev).HasStoredKey | Should -BeFalse
    }
}
