#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-AwsVaultSession and Clear-AwsVaultSession against the STS emulator, started as its own process:
# which STS calls a profile costs, with MFA or without, and what a user sees when something is wrong.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive
    # The standard way to point an SDK at another STS; the module honours it as the AWS CLI does.
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    $Config = New-SessionTestConfig -Emulator $Sts
    Set-Content -Path $env:AWS_CONFIG_FILE -Value $Config
    Import-Module (Get-AwsVaultTestModulePath) -Force
    foreach ($user in 'alice', 'bob') {
        $key = Get-ExampleKey $user
        Add-AwsVaultProfile $user -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
    }
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'Get-AwsVaultSession' {
    BeforeEach {
        # Every scenario starts with no cached session (in memory or in the vault) and no recorded call.
        Clear-AwsVaultSession | Out-Null
        Clear-StsCall $Sts
    }

    It 'makes one GetSessionToken with the MFA code for an mfa_serial profile, then reuses the session' {
        $session = Get-AwsVaultSession alice -MfaToken (Get-StsTokenCode $Sts)
        $session.AccessKeyId | Should -BeLike 'ASIA*'
        $session.SecretAccessKey | Should -BeOfType ([securestring])
        $session.Region | Should -Be 'eu-west-1'
        $session.Chain | Should -Be 'stored key(alice) -> GetSessionToken(alice, MFA)'
        $session.Expiration.Kind | Should -Be ([DateTimeKind]::Utc)
        ($session.Expiration - [DateTime]::UtcNow).TotalMinutes | Should -BeGreaterThan 55

        $calls = @(Get-StsCall $Sts)
        $calls.Count | Should -Be 1
        $calls[0].action | Should -Be 'GetSessionToken'
        $calls[0].callerAccessKeyId | Should -Be (Get-ExampleKey alice).AccessKeyId
        $calls[0].usedMfa | Should -BeTrue
        $calls[0].serialNumber | Should -Be $Sts.AliceMfaSerial
        $calls[0].parameters.TokenCode | Should -Be '***'

        # No code and no STS call the second time: the cached session is still fresh.
        (Get-AwsVaultSession alice).AccessKeyId | Should -Be $session.AccessKeyId
        @(Get-StsCall $Sts).Count | Should -Be 1
    }

    It 'uses one MFA code for a role whose source has the same mfa_serial: GetSessionToken with MFA, then AssumeRole' {
        $session = Get-AwsVaultSession admin -MfaToken (Get-StsTokenCode $Sts)
        $session.Chain | Should -Be 'stored key(alice) -> GetSessionToken(alice, MFA) -> AssumeRole(admin)'
        $calls = @(Get-StsCall $Sts)
        $calls.action | Should -Be @('GetSessionToken', 'AssumeRole')
        $calls[0].usedMfa | Should -BeTrue
        $calls[1].usedMfa | Should -BeFalse
        $calls[1].callerAccessKeyId | Should -Be $calls[0].issuedAccessKeyId
        $calls[1].parameters.RoleArn | Should -Be $Sts.AdminRoleArn
        $issued = Get-StsSession $Sts | Where-Object accessKeyId -EQ $session.AccessKeyId
        $issued.arn | Should -BeLike "arn:aws:sts::$($Sts.RoleAccount):assumed-role/Admin/*"
    }

    It 'says at -Verbose why GetSessionToken was skipped' {
        $verbose = Get-AwsVaultSession readonly -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match "skipping GetSessionToken because profile 'readonly'.*has no mfa_serial"
        @(Get-StsCall $Sts).action | Should -Be @('AssumeRole')
    }

    It 'hands out the stored key itself with -NoSession, without calling STS' {
        $session = Get-AwsVaultSession bob -NoSession
        $session.AccessKeyId | Should -Be (Get-ExampleKey bob).AccessKeyId
        $session.Expiration | Should -BeNullOrEmpty
        @(Get-StsCall $Sts).Count | Should -Be 0
    }

    It 'asks STS for the -Duration it is given' {
        Get-AwsVaultSession bob -Duration (New-TimeSpan -Hours 2) | Out-Null
        @(Get-StsCall $Sts)[-1].parameters.DurationSeconds | Should -Be '7200'
    }

    It 'fetches new credentials with -Refresh and forgets them with Clear-AwsVaultSession' {
        $first = Get-AwsVaultSession bob
        $refreshed = Get-AwsVaultSession bob -Refresh
        $refreshed.AccessKeyId | Should -Not -Be $first.AccessKeyId
        (Get-AwsVaultProfile bob).Sessions.Count | Should -Be 1

        $cleared = Clear-AwsVaultSession bob
        $cleared.Count | Should -Be 1
        "$cleared" | Should -Be 'Cleared 1 session.'
        (Get-AwsVaultProfile bob).Sessions.Count | Should -Be 0
        (Get-AwsVaultSession bob).AccessKeyId | Should -Not -Be $refreshed.AccessKeyId
        @(Get-StsCall $Sts).Count | Should -Be 3
    }

    It 'keeps secrets out of the default view and out of strings' {
        $session = Get-AwsVaultSession bob
        $issued = Get-StsSession $Sts | Where-Object accessKeyId -EQ $session.AccessKeyId
        $text = ($session | Out-String) + "$session" + ($session | Format-List * | Out-String)
        $text | Should -Not -Match ([regex]::Escape($issued.secretAccessKey))
        $text | Should -Not -Match ([regex]::Escape($issued.sessionToken))
        $text | Should -Match $session.AccessKeyId
    }

    Context 'with mfa_process in the config' {
        BeforeAll {
            # The code comes from a program, as on a CI agent. Here that program asks the emulator, through the
            # same pwsh, so the scenario needs no oathtool and runs on Windows too.
            $command = "`"$(Get-PwshPath)`" -NoProfile -NonInteractive -Command `"(Invoke-RestMethod -Uri '$($Sts.Endpoint)_emulator/token-code?serialNumber=$($Sts.AliceMfaSerial)').tokenCode`""
            Set-Content -Path $env:AWS_CONFIG_FILE -Value (New-SessionTestConfig -Emulator $Sts -AliceMfaProcess $command)
        }

        AfterAll {
            Set-Content -Path $env:AWS_CONFIG_FILE -Value $Config
        }

        It 'gets the code from mfa_process without prompting' {
            $session = Get-AwsVaultSession admin
            $session.Chain | Should -Be 'stored key(alice) -> GetSessionToken(alice, MFA) -> AssumeRole(admin)'
            $calls = @(Get-StsCall $Sts)
            $calls[0].usedMfa | Should -BeTrue
            @($calls | Where-Object errorCode).Count | Should -Be 0
        }
    }
}

Describe 'Get-AwsVaultSession errors' {
    BeforeEach {
        Clear-AwsVaultSession | Out-Null
        Clear-StsCall $Sts
    }

    It 'names the profile it could not find, and suggests one' {
        { Get-AwsVaultSession alcie } |
            Should -Throw -ErrorId 'ProfileNotFound,AwsVault.Commands.GetAwsVaultSessionCommand' -ExpectedMessage '*alice*'
    }

    It 'needs a profile name or AWS_PROFILE' {
        { Get-AwsVaultSession } | Should -Throw -ErrorId 'ProfileNameRequired,AwsVault.Commands.GetAwsVaultSessionCommand'
        $env:AWS_PROFILE = 'bob'
        try { (Get-AwsVaultSession).ProfileName | Should -Be 'bob' }
        finally { $env:AWS_PROFILE = $null }
    }

    It 'fails at once, naming -MfaToken and mfa_process, when an MFA code is needed and nobody can be asked' {
        { Get-AwsVaultSession admin } |
            Should -Throw -ErrorId 'MfaTokenRequired,AwsVault.Commands.GetAwsVaultSessionCommand' -ExpectedMessage '*-MfaToken*mfa_process*'
        @(Get-StsCall $Sts).Count | Should -Be 0
    }

    It 'says the MFA code was rejected' {
        # Random, because the module refuses for 90 s to resend any code it sent, a wrong one included.
        $good = Get-StsTokenCode $Sts
        do { $wrong = '{0:D6}' -f (Get-Random -Maximum 1000000) } while ($wrong -eq $good)
        { Get-AwsVaultSession alice -MfaToken $wrong } |
            Should -Throw -ErrorId 'StsAccessDenied,AwsVault.Commands.GetAwsVaultSessionCommand' -ExpectedMessage '*MFA code was rejected*'
    }

    It 'never sends the same MFA code twice' {
        $code = Get-StsTokenCode $Sts
        Get-AwsVaultSession alice -MfaToken $code | Out-Null
        { Get-AwsVaultSession alice -Refresh -MfaToken $code } |
            Should -Throw -ErrorId 'MfaTokenAlreadyUsed,AwsVault.Commands.GetAwsVaultSessionCommand'
        @(Get-StsCall $Sts).Count | Should -Be 1
    }

    It 'refuses a -Duration of <Hours> h for <ProfileName> before calling STS' -ForEach @(
        @{ ProfileName = 'bob'; Hours = 37; Limit = '36h' }
        @{ ProfileName = 'readonly'; Hours = 13; Limit = '12h' }
    ) {
        { Get-AwsVaultSession $ProfileName -Duration (New-TimeSpan -Hours $Hours) } |
            Should -Throw -ErrorId 'InvalidDuration,AwsVault.Commands.GetAwsVaultSessionCommand' -ExpectedMessage "*$Limit*"
        @(Get-StsCall $Sts).Count | Should -Be 0
    }

    It 'says how to add a key to a profile that has none' {
        { Get-AwsVaultSession empty } |
            Should -Throw -ErrorId 'CredentialsMissing,AwsVault.Commands.GetAwsVaultSessionCommand' -ExpectedMessage '*Add-AwsVaultProfile empty*'
    }

    It 'ends with a throttling error when STS only throttles' {
        Add-StsFault $Sts -Kind AlwaysThrottle -Action GetSessionToken
        try {
            { Get-AwsVaultSession bob } | Should -Throw -ErrorId 'StsThrottling,AwsVault.Commands.GetAwsVaultSessionCommand'
        }
        finally { Clear-StsFault $Sts }
    }
}
