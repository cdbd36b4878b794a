#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-AwsVaultSession against the STS emulator: the credential_process JSON that the AWS CLI and SDKs
# parse (also from a separate pwsh, as they run it), and the text formats for other shells and tools.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    Set-Content -Path $env:AWS_CONFIG_FILE -Value (New-SessionTestConfig -Emulator $Sts)
    $ModulePath = Get-AwsVaultTestModulePath
    Import-Module $ModulePath -Force
    foreach ($user in 'alice', 'bob') {
        $key = Get-ExampleKey $user
        Add-AwsVaultProfile $user -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
    }
    $Pwsh = Get-PwshPath
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'Export-AwsVaultSession' {
    BeforeAll {
        Clear-AwsVaultSession | Out-Null
        Clear-StsCall $Sts
        # One session for the whole block: every export below must reuse it.
        $Session = Get-AwsVaultSession bob
        $Issued = Get-StsSession $Sts | Where-Object accessKeyId -EQ $Session.AccessKeyId
    }

    It 'writes credential_process JSON: one line, Version 1 and the four credential fields, in that order' {
        $json = @(Export-AwsVaultSession bob -Format CredentialProcess)
        $json.Count | Should -Be 1
        $document = $json[0] | ConvertFrom-Json
        $document.PSObject.Properties.Name | Should -Be @('Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration')
        $document.Version | Should -Be 1
        $document.AccessKeyId | Should -Be $Issued.accessKeyId
        $document.SecretAccessKey | Should -Be $Issued.secretAccessKey
        $document.SessionToken | Should -Be $Issued.sessionToken
        # ConvertFrom-Json turns dates into DateTime, so the RFC 3339 text the AWS CLI reads is checked in the JSON itself.
        $json[0] | Should -Match '"Expiration"\s*:\s*"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"'
        @(Get-StsCall $Sts).Count | Should -Be 1
    }

    It 'writes nothing but the JSON, even at -Verbose' {
        $all = Export-AwsVaultSession bob -Format CredentialProcess -Verbose 4>&1 3>&1 5>&1 6>&1
        @($all).Count | Should -Be 1
        $all | Should -BeOfType ([string])
    }

    It 'serves as credential_process from a separate pwsh, reusing the cached session' {
        $command = "Import-Module '$ModulePath'; Export-AwsVaultSession bob -Format CredentialProcess"
        $stdout = & $Pwsh -NoProfile -NonInteractive -Command $command
        $LASTEXITCODE | Should -Be 0
        @($stdout).Count | Should -Be 1
        ($stdout | ConvertFrom-Json).AccessKeyId | Should -Be $Session.AccessKeyId
        @(Get-StsCall $Sts).Count | Should -Be 1
    }

    It 'fails as credential_process with a non-zero exit code and nothing on stdout' {
        $command = "Import-Module '$ModulePath'; Export-AwsVaultSession nosuchprofile -Format CredentialProcess"
        $stdout = & $Pwsh -NoProfile -NonInteractive -Command $command 2>$null
        $LASTEXITCODE | Should -Not -Be 0
        $stdout | Should -BeNullOrEmpty
    }

    It 'writes NAME=value lines with -Format Env, without AWS_VAULT' {
        $lines = Export-AwsVaultSession bob -Format Env
        $lines | Should -Contain "AWS_ACCESS_KEY_ID=$($Issued.accessKeyId)"
        $lines | Should -Contain "AWS_SECRET_ACCESS_KEY=$($Issued.secretAccessKey)"
        $lines | Should -Contain "AWS_SESSION_TOKEN=$($Issued.sessionToken)"
        $lines | Should -Contain 'AWS_REGION=us-west-2'
        $lines | Where-Object { $_ -like 'AWS_CREDENTIAL_EXPIRATION=*' } | Should -Match '^AWS_CREDENTIAL_EXPIRATION=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$'
        $lines | Where-Object { $_ -like 'AWS_VAULT=*' } | Should -BeNullOrEmpty
        Export-AwsVaultSession bob -Format ExportEnv | ForEach-Object { $_ | Should -BeLike 'export AWS_*' }
    }

    It 'writes an ini profile with -Format Ini' {
        $lines = Export-AwsVaultSession bob -Format Ini
        $lines[0] | Should -Be '[bob]'
        $lines | Should -Contain "aws_access_key_id=$($Issued.accessKeyId)"
        $lines | Should -Contain "aws_session_token=$($Issued.sessionToken)"
        $lines | Should -Contain 'region=us-west-2'
    }

    It 'writes PowerShell that sets the variables with -Format PowerShell' {
        $lines = Export-AwsVaultSession bob -Format PowerShell
        $lines | Should -Contain "`$env:AWS_ACCESS_KEY_ID = '$($Issued.accessKeyId)'"
        $before = Get-EnvironmentSnapshot
        try {
            Invoke-Expression ($lines -join [Environment]::NewLine)
            $env:AWS_ACCESS_KEY_ID | Should -Be $Issued.accessKeyId
            $env:AWS_SESSION_TOKEN | Should -Be $Issued.sessionToken
        }
        finally { Restore-EnvironmentSnapshot $before }
    }

    It 'exports a session from the pipeline without asking STS again' {
        Get-AwsVaultSession bob | Export-AwsVaultSession -Format Env | Should -Contain "AWS_ACCESS_KEY_ID=$($Issued.accessKeyId)"
        @(Get-StsCall $Sts).Count | Should -Be 1
    }
}

Describe 'Export-AwsVaultSession errors' {
    It 'refuses to write a long-lived key (-NoSession) anywhere' {
        { Export-AwsVaultSession bob -NoSession -Format Env } |
            Should -Throw -ErrorId 'ExportOfLongLivedKeyRefused,AwsVault.Commands.ExportAwsVaultSessionCommand'
    }

    It 'refuses a new session inside a session, as aws-vault export does' {
        { Invoke-AwsVault bob { Export-AwsVaultSession bob -Format Env } } |
            Should -Throw -ErrorId 'NestedSessionRefused,AwsVault.Commands.ExportAwsVaultSessionCommand' -ExpectedMessage '*unset AWS_VAULT*'
    }

    It 'refuses session parameters next to a session it is given' {
        { Get-AwsVaultSession bob | Export-AwsVaultSession -Format Env -Duration 2h } |
            Should -Throw -ErrorId 'SessionParameterNotApplicable,AwsVault.Commands.ExportAwsVaultSessionCommand' -ExpectedMessage '-Duration has no effect*'
    }

    It 'names an unknown profile' {
        { Export-AwsVaultSession nosuchprofile -Format CredentialProcess } |
            Should -Throw -ErrorId 'ProfileNotFound,AwsVault.Commands.ExportAwsVaultSessionCommand'
    }

    It 'fails at once when an MFA code is needed and nobody can be asked' {
        Clear-AwsVaultSession alice | Out-Null
        { Export-AwsVaultSession alice -Format CredentialProcess } |
            Should -Throw -ErrorId 'MfaTokenRequired,AwsVault.Commands.ExportAwsVaultSessionCommand'
    }
}
