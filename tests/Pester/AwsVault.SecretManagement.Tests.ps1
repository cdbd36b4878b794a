#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The SecretManagement backend as the README describes it: SecretManagement installed (found by name on
# PSModulePath), a vault registered with Register-SecretVault, and then AwsVault's profile, session and export
# commands with no backend named. Here SecretManagement is the stand-in (tests/SecretManagementStandIn), which has
# the real module's cmdlets, types and errors; its vaults behave like SecretStore.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    # No backend chosen: the README's "no choice made" row picks SecretManagement's default vault.
    Remove-Item Env:AWS_VAULT_BACKEND
    $Sts = Start-StsEmulator -Directory $TestDrive
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    Set-Content -Path $env:AWS_CONFIG_FILE -Value (New-SessionTestConfig -Emulator $Sts)
    $ModulePath = Get-AwsVaultTestModulePath
    Import-Module $ModulePath -Force
    $Pwsh = Get-PwshPath

    # As a user does: SecretManagement comes from PSModulePath, by name. Fail loudly if it is not the stand-in, so
    # that these tests never register vaults in a developer's real SecretManagement.
    Import-Module Microsoft.PowerShell.SecretManagement -ErrorAction Stop
    if (-not ('Microsoft.PowerShell.SecretManagement.StandIn' -as [type])) {
        throw "Microsoft.PowerShell.SecretManagement on PSModulePath is not the test stand-in; refusing to register vaults in it."
    }
    # The stand-in keeps secrets of a vault registered with Path in files there, so that other processes
    # (credential_process) see them as they would see a SecretStore vault.
    $VaultFiles = Join-Path $TestDrive 'secretstore'
    Register-SecretVault -Name SecretStore -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault -VaultParameters @{ Path = $VaultFiles }
    foreach ($user in 'alice', 'bob') {
        $key = Get-ExampleKey $user
        Add-AwsVaultProfile $user -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
    }
}

AfterAll {
    Remove-Module AwsVault, Microsoft.PowerShell.SecretManagement -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'Profiles in the default SecretManagement vault' {
    It 'stores each key as a PSCredential named AwsVault-Key- and the profile name, and nothing in the file vault' {
        $info = Get-SecretInfo -Name 'AwsVault-Key-*' -Vault SecretStore | Sort-Object Name
        $info.Name | Should -Be @('AwsVault-Key-alice', 'AwsVault-Key-bob')
        $info.Type | ForEach-Object { "$_" | Should -Be 'PSCredential' }
        $credential = Get-Secret -Name AwsVault-Key-bob -Vault SecretStore
        $credential.UserName | Should -Be (Get-ExampleKey bob).AccessKeyId
        $credential.GetNetworkCredential().Password | Should -Be (Get-ExampleKey bob).SecretAccessKey
        Test-Path $env:AWS_VAULT_FILE_DIR | Should -BeFalse
    }

    It 'lists the profiles with the vault they are in' {
        $bob = Get-AwsVaultProfile bob
        $bob.HasStoredKey | Should -BeTrue
        $bob.Backend | Should -Be 'secretmanagement'
        $bob.Vault | Should -Be 'SecretStore'
    }

    It 'uses the vault named by -Vault instead of the default' {
        Register-SecretVault -Name Team -ModuleName Microsoft.PowerShell.SecretStore
        $key = Get-ExampleKey bob
        Add-AwsVaultProfile carol -Vault Team -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
        (Get-SecretInfo -Vault Team).Name | Should -Be 'AwsVault-Key-carol'
        Get-SecretInfo -Name AwsVault-Key-carol -Vault SecretStore | Should -BeNullOrEmpty
        Remove-AwsVaultProfile carol -Vault Team -Force
        Get-SecretInfo -Vault Team | Should -BeNullOrEmpty
    }
}

Describe 'Sessions and credential_process with SecretManagement' {
    BeforeAll {
        Clear-AwsVaultSession | Out-Null
        Clear-StsCall $Sts
    }

    It 'gets a session from the stored key and keeps it in the vault for the next process' {
        $session = Get-AwsVaultSession alice -MfaToken (Get-StsTokenCode $Sts)
        $session.AccessKeyId | Should -BeLike 'ASIA*'
        @(Get-StsCall $Sts).action | Should -Be @('GetSessionToken')
        @(Get-SecretInfo -Name 'AwsVault-Session-*' -Vault SecretStore).Count | Should -Be 1

        # A new pwsh, as credential_process starts it: SecretManagement loads by name, the registered default vault
        # serves the cached session, so there is no STS call and no MFA code.
        # No file vault passphrase in its environment: a vault that needs no password needs nothing more.
        $passphrase = $env:AWS_VAULT_FILE_PASSPHRASE
        Remove-Item Env:AWS_VAULT_FILE_PASSPHRASE
        try { $stdout = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; Export-AwsVaultSession alice -Format CredentialProcess" }
        finally { $env:AWS_VAULT_FILE_PASSPHRASE = $passphrase }
        $LASTEXITCODE | Should -Be 0
        ($stdout | ConvertFrom-Json).AccessKeyId | Should -Be $session.AccessKeyId
        @(Get-StsCall $Sts).Count | Should -Be 1
    }

    It 'runs a script block with the session and puts the environment back' {
        $before = Get-EnvironmentSnapshot
        $seen = Invoke-AwsVault bob { $env:AWS_ACCESS_KEY_ID; $env:AWS_VAULT }
        $seen[0] | Should -BeLike 'ASIA*'
        $seen[1] | Should -Be 'bob'
        Compare-EnvironmentSnapshot $before | Should -BeNullOrEmpty
    }

    It 'says how to unlock a locked vault, also under $ErrorActionPreference = Stop' {
        # Pester runs every test with $ErrorActionPreference = 'Stop', as many scripts do; the store must report the
        # locked vault the same way as under a user's default 'Continue'.
        $ErrorActionPreference | Should -Be 'Stop'
        Register-SecretVault -Name Locked -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters @{ Locked = $true; Password = 'vault password' }
        $key = Get-ExampleKey bob
        { Add-AwsVaultProfile dave -Vault Locked -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false } |
            Should -Throw -ErrorId 'SecretVaultLocked,AwsVault.Commands.AddAwsVaultProfileCommand' -ExpectedMessage '*Unlock-SecretVault*'
        Unlock-SecretVault -Name Locked -Password (ConvertTo-SecureString 'vault password' -AsPlainText -Force)
        Add-AwsVaultProfile dave -Vault Locked -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
        (Get-SecretInfo -Vault Locked).Name | Should -Be 'AwsVault-Key-dave'
    }

    It 'removes the key and its cached sessions, and leaves other profiles alone' {
        # alice's GetSessionToken session (with MFA) and bob's from the script block above are both kept in the vault.
        @(Get-SecretInfo -Name 'AwsVault-Session-*' -Vault SecretStore).Count | Should -Be 2
        Clear-StsCall $Sts
        Remove-AwsVaultProfile alice -Force
        Get-SecretInfo -Name 'AwsVault-Key-alice' -Vault SecretStore | Should -BeNullOrEmpty
        @(Get-SecretInfo -Name 'AwsVault-Session-*' -Vault SecretStore).Count | Should -Be 1
        { Get-AwsVaultSession alice } | Should -Throw -ErrorId 'CredentialsMissing,AwsVault.Commands.GetAwsVaultSessionCommand'
        (Get-AwsVaultSession bob).AccessKeyId | Should -BeLike 'ASIA*'
        Get-StsCall $Sts | Should -BeNullOrEmpty
    }
}
