#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Storing, listing and removing keys in the file vault. Run after `dotnet build`:
#   Invoke-Pester tests/Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    Set-Content -Path $env:AWS_CONFIG_FILE -Value "[profile ops]`nregion = eu-west-1`n`n[profile deploy]`nsource_profile = ops`nrole_arn = arn:aws:iam::444455556666:role/Deploy`n"
    Import-Module (Get-AwsVaultTestModulePath) -Force
    $Alice = Get-ExampleKey alice
    $Bob = Get-ExampleKey bob
    $AliceSecret = ConvertTo-SecureString $Alice.SecretAccessKey -AsPlainText -Force
    $BobSecret = ConvertTo-SecureString $Bob.SecretAccessKey -AsPlainText -Force
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'Profiles in the file vault' {
    It 'adds a key as one encrypted file and lists it' {
        Add-AwsVaultProfile dev -AccessKeyId $Alice.AccessKeyId -SecretAccessKey $AliceSecret
        $file = Join-Path $env:AWS_VAULT_FILE_DIR 'dev'
        $file | Should -Exist
        # A compact JWE: five base64url parts, none of them the secret.
        (Get-Content $file -Raw).Split('.').Count | Should -Be 5
        Get-Content $file -Raw | Should -Not -Match ([regex]::Escape($Alice.SecretAccessKey))
        $profiles = Get-AwsVaultProfile
        ($profiles | Where-Object ProfileName -EQ 'dev').HasStoredKey | Should -BeTrue
        ($profiles | Where-Object ProfileName -EQ 'ops').HasStoredKey | Should -BeFalse
        Get-Content $env:AWS_CONFIG_FILE -Raw | Should -Match '\[profile dev\]'
    }

    It 'makes the vault directory and its files owner-only' -Skip:$IsWindows {
        (Get-Item $env:AWS_VAULT_FILE_DIR).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        (Get-Item (Join-Path $env:AWS_VAULT_FILE_DIR 'dev')).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'lists without a passphrase' {
        $saved = $env:AWS_VAULT_FILE_PASSPHRASE
        Remove-Item Env:AWS_VAULT_FILE_PASSPHRASE
        try { (Get-AwsVaultProfile dev).HasStoredKey | Should -BeTrue }
        finally { $env:AWS_VAULT_FILE_PASSPHRASE = $saved }
    }

    It 'filters by wildcard and returns profile objects' {
        $listed = @(Get-AwsVaultProfile 'd*')
        $listed.ProfileName | Should -Be @('deploy', 'dev')
        $listed[0] | Should -BeOfType ([AwsVault.Output.ProfileInfo])
        ($listed | Where-Object ProfileName -EQ 'deploy').SourceProfile | Should -Be 'ops'
    }

    It 'stores a key from a PSCredential, and with -AddConfig:$false leaves the config alone' {
        $before = Get-Content $env:AWS_CONFIG_FILE -Raw
        $credential = [pscredential]::new($Bob.AccessKeyId, $BobSecret)
        $info = Add-AwsVaultProfile qa -Credential $credential -AddConfig:$false -PassThru
        $info.HasStoredKey | Should -BeTrue
        $info.InConfig | Should -BeFalse
        Get-Content $env:AWS_CONFIG_FILE -Raw | Should -Be $before
    }

    It 'stores the key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY with -FromEnvironment' {
        $env:AWS_ACCESS_KEY_ID = $Bob.AccessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $Bob.SecretAccessKey
        try { Add-AwsVaultProfile ops -FromEnvironment }
        finally { $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null }
        (Get-AwsVaultProfile ops).HasStoredKey | Should -BeTrue
    }

    It 'says which variable -FromEnvironment is missing' {
        { Add-AwsVaultProfile ops -FromEnvironment -Force } |
            Should -Throw -ErrorId 'EnvironmentKeyMissing,AwsVault.Commands.AddAwsVaultProfileCommand' -ExpectedMessage '*AWS_ACCESS_KEY_ID*'
    }

    It 'refuses to replace a stored key without -Force when it cannot ask' {
        { Add-AwsVaultProfile dev -AccessKeyId $Bob.AccessKeyId -SecretAccessKey $BobSecret } |
            Should -Throw -ErrorId 'ProfileKeyExists,AwsVault.Commands.AddAwsVaultProfileCommand' -ExpectedMessage '*-Force*'
    }

    It 'replaces a stored key with -Force' {
        Add-AwsVaultProfile dev -AccessKeyId $Bob.AccessKeyId -SecretAccessKey $BobSecret -Force
        (Get-AwsVaultProfile dev).HasStoredKey | Should -BeTrue
    }

    It 'writes nothing with -WhatIf' {
        $before = @(Get-ChildItem $env:AWS_VAULT_FILE_DIR -Force | ForEach-Object Name)
        Add-AwsVaultProfile staging -AccessKeyId $Alice.AccessKeyId -SecretAccessKey $AliceSecret -WhatIf
        @(Get-ChildItem $env:AWS_VAULT_FILE_DIR -Force | ForEach-Object Name) | Should -Be $before
        { Get-AwsVaultProfile staging } |
            Should -Throw -ErrorId 'ProfileNotFound,AwsVault.Commands.GetAwsVaultProfileCommand' -ExpectedMessage '*Known profiles: ops, deploy, dev*'
    }

    It 'refuses a wrong passphrase and writes nothing' {
        $before = @(Get-ChildItem $env:AWS_VAULT_FILE_DIR -Force | ForEach-Object Name)
        $saved = $env:AWS_VAULT_FILE_PASSPHRASE
        $env:AWS_VAULT_FILE_PASSPHRASE = 'not the passphrase'
        try {
            { Add-AwsVaultProfile staging -AccessKeyId $Bob.AccessKeyId -SecretAccessKey $BobSecret } |
                Should -Throw -ErrorId 'VaultPassphraseIncorrect,AwsVault.Commands.AddAwsVaultProfileCommand'
        }
        finally { $env:AWS_VAULT_FILE_PASSPHRASE = $saved }
        @(Get-ChildItem $env:AWS_VAULT_FILE_DIR -Force | ForEach-Object Name) | Should -Be $before
    }

    It 'names AWS_VAULT_FILE_PASSPHRASE when it is not set and nobody can be asked' {
        $saved = $env:AWS_VAULT_FILE_PASSPHRASE
        Remove-Item Env:AWS_VAULT_FILE_PASSPHRASE
        try {
            { Add-AwsVaultProfile staging -AccessKeyId $Bob.AccessKeyId -SecretAccessKey $BobSecret } |
                Should -Throw -ErrorId 'FileVaultPassphraseRequired,AwsVault.Commands.AddAwsVaultProfileCommand' -ExpectedMessage '*AWS_VAULT_FILE_PASSPHRASE*'
        }
        finally { $env:AWS_VAULT_FILE_PASSPHRASE = $saved }
    }

    It 'rejects <Case>' -ForEach @(
        @{ Case = 'a temporary key'; KeyId = 'ASIAIOSFODNN7EXAMPLE'; ErrorId = 'TemporaryAccessKeyRejected' }
        @{ Case = 'a malformed key id'; KeyId = 'not-a-key'; ErrorId = 'InvalidAccessKeyId' }
    ) {
        { Add-AwsVaultProfile bad -AccessKeyId $KeyId -SecretAccessKey $AliceSecret } |
            Should -Throw -ErrorId "$ErrorId,AwsVault.Commands.AddAwsVaultProfileCommand"
        Join-Path $env:AWS_VAULT_FILE_DIR 'bad' | Should -Not -Exist
    }

    It 'refuses a key for a profile that takes its credentials from source_profile' {
        { Add-AwsVaultProfile deploy -AccessKeyId $Alice.AccessKeyId -SecretAccessKey $AliceSecret } |
            Should -Throw -ErrorId 'ProfileHasSourceProfile,AwsVault.Commands.AddAwsVaultProfileCommand' -ExpectedMessage "*Add-AwsVaultProfile ops*"
    }

    It 'needs -Force to remove when it cannot ask' {
        { Remove-AwsVaultProfile dev } |
            Should -Throw -ErrorId 'ConfirmationRequired,AwsVault.Commands.RemoveAwsVaultProfileCommand'
        (Get-AwsVaultProfile dev).HasStoredKey | Should -BeTrue
    }

    It 'removes the key with -Force and leaves the config alone' {
        Remove-AwsVaultProfile dev -Force
        Join-Path $env:AWS_VAULT_FILE_DIR 'dev' | Should -Not -Exist
        (Get-AwsVaultProfile dev).HasStoredKey | Should -BeFalse
        Get-Content $env:AWS_CONFIG_FILE -Raw | Should -Match '\[profile dev\]'
    }

    It 'says so when there is nothing to remove' {
        { Remove-AwsVaultProfile dev -Force } |
            Should -Throw -ErrorId 'ProfileKeyNotFound,AwsVault.Commands.RemoveAwsVaultProfileCommand'
    }
}
