#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README from install to CI agent, as a user follows it: ./build.ps1 -Task Install, then AwsVault by name
# (no Import-Module of a path), the real AWS CLI inside a session, in a child process and through the README's
# credential_process line, a CI step in a new pwsh, and an MFA role served by mfa_process (oathtool).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    $Pwsh = Get-PwshPath
    $Aws = if ($env:AWSVAULT_TEST_AWS_CLI) { $env:AWSVAULT_TEST_AWS_CLI } else { (Get-Command aws -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $OathTool = (Get-Command oathtool -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    # The CLI's own STS endpoint flag, for every CLI version; the module inside reads AWS_ENDPOINT_URL_STS.
    $StsEndpoint = $Sts.Endpoint.TrimEnd('/')

    # "Install from source": the built module into a module folder that is on PSModulePath.
    $Modules = Join-Path $TestDrive 'modules'
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot '../../build.ps1') -Task Install -ModulePath $Modules | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "./build.ps1 -Task Install failed with exit code $LASTEXITCODE." }
    $env:PSModulePath = $Modules + [System.IO.Path]::PathSeparator + $env:PSModulePath

    $config = New-SessionTestConfig -Emulator $Sts -AliceMfaProcess "$OathTool --totp -b $($Sts.AliceMfaSeed)"
    Set-Content -Path $env:AWS_CONFIG_FILE -Value (@"
$config

[profile dev]
region = us-west-2

[profile dev-cp]
region = us-west-2
credential_process = "$Pwsh" -NoProfile -NonInteractive -Command "Export-AwsVaultSession dev -Format CredentialProcess"
"@)
    Import-Module AwsVault
    $key = Get-ExampleKey alice
    Add-AwsVaultProfile alice -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'The README, end to end' {
    It 'imports the installed module by name' {
        (Get-Module AwsVault).ModuleBase | Should -BeLike "$Modules*"
    }

    It 'Quick start: stores a key from the environment and lists the profile' {
        $bob = Get-ExampleKey bob
        $env:AWS_ACCESS_KEY_ID = $bob.AccessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $bob.SecretAccessKey
        try { Add-AwsVaultProfile dev -FromEnvironment }
        finally { Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY }
        (Get-AwsVaultProfile dev).HasStoredKey | Should -BeTrue
    }

    It 'Invoke-AwsVault dev { aws sts get-caller-identity }: the CLI in the block uses the session' {
        Clear-StsCall $Sts
        $arn = Invoke-AwsVault dev { & $Aws sts get-caller-identity --endpoint-url $StsEndpoint --output text --query Arn }
        $LASTEXITCODE | Should -Be 0
        $arn | Should -Be "arn:aws:iam::$($Sts.UserAccount):user/bob"
        $calls = @(Get-StsCall $Sts)
        $calls.action | Should -Be @('GetSessionToken', 'GetCallerIdentity')
        $calls[1].callerAccessKeyId | Should -BeLike 'ASIA*'
        $env:AWS_ACCESS_KEY_ID | Should -BeNullOrEmpty
    }

    It 'Invoke-AwsVault dev -- aws ...: the CLI as a child process, exit code in $LASTEXITCODE' {
        $out = Join-Path $TestDrive 'child-arn.txt'
        Invoke-AwsVault dev -- sh -c "'$Aws' sts get-caller-identity --endpoint-url $StsEndpoint --output text --query Arn > '$out'; exit 4"
        $LASTEXITCODE | Should -Be 4
        (Get-Content $out) | Should -Be "arn:aws:iam::$($Sts.UserAccount):user/bob"
    }

    It 'credential_process: the AWS CLI runs the README line, whose new pwsh finds the installed module by itself' {
        Clear-StsCall $Sts
        $env:AWS_PROFILE = 'dev-cp'
        try { $arn = & $Aws sts get-caller-identity --endpoint-url $StsEndpoint --output text --query Arn 2>&1 }
        finally { Remove-Item Env:AWS_PROFILE }
        $LASTEXITCODE | Should -Be 0 -Because "$arn"
        $arn | Should -Be "arn:aws:iam::$($Sts.UserAccount):user/bob"
        # The session cached by the block above is read from the vault: only the CLI's own call reaches STS.
        @(Get-StsCall $Sts).action | Should -Be @('GetCallerIdentity')
    }

    It 'credential_process with the file vault fails, naming AWS_VAULT_FILE_PASSPHRASE, when the caller has not set it' {
        $passphrase = $env:AWS_VAULT_FILE_PASSPHRASE
        Remove-Item Env:AWS_VAULT_FILE_PASSPHRASE
        $env:AWS_PROFILE = 'dev-cp'
        try { $output = & $Aws sts get-caller-identity --endpoint-url $StsEndpoint --output text --query Arn 2>&1 }
        finally { Remove-Item Env:AWS_PROFILE; $env:AWS_VAULT_FILE_PASSPHRASE = $passphrase }
        $LASTEXITCODE | Should -Not -Be 0
        "$output" | Should -BeLike '*AWS_VAULT_FILE_PASSPHRASE*'
        "$output" | Should -Not -BeLike "*$passphrase*"
    }

    It 'CI agents: a pipeline step in a new pwsh with CI=true and the passphrase runs a script with the session' {
        $deploy = Join-Path $TestDrive 'deploy.ps1'
        Set-Content -Path $deploy -Value '"deploying as $env:AWS_VAULT with $($env:AWS_ACCESS_KEY_ID.Substring(0, 4))"'
        $env:CI = 'true'
        try { $output = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module AwsVault; Invoke-AwsVault dev { & '$deploy' }" 2>&1 }
        finally { Remove-Item Env:CI }
        $LASTEXITCODE | Should -Be 0 -Because "$output"
        $output | Should -Be 'deploying as dev with ASIA'
    }

    It 'CI agents: an MFA-protected role gets its code from mfa_process, with no prompt' {
        Clear-StsCall $Sts
        $env:CI = 'true'
        try { $vault = Invoke-AwsVault admin { $env:AWS_VAULT } }
        finally { Remove-Item Env:CI }
        $vault | Should -Be 'admin'
        $calls = @(Get-StsCall $Sts)
        $calls.action | Should -Be @('GetSessionToken', 'AssumeRole')
        $calls[0].usedMfa | Should -BeTrue
    }
}
