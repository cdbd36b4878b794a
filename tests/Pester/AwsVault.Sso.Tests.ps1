#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# docs/SSO.md as a user follows it, against the emulator in its own process: the config `aws configure sso`
# writes, Connect-AwsVaultSso through a browser, Get-AwsVaultSsoRole into new profiles, Invoke-AwsVault with the
# real AWS CLI (also through a role chained on the SSO profile), a CI step in a new pwsh, and Disconnect-AwsVaultSso.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive -Sso
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    $env:AWS_ENDPOINT_URL_SSO_OIDC = $Sts.Endpoint
    $env:AWS_ENDPOINT_URL_SSO = $Sts.Endpoint
    $Browser = New-BrowserScript -Directory $TestDrive
    $env:BROWSER = $Browser.Path
    # A person at the keyboard: sign-ins may happen in this file (the test environment says "none").
    $env:AWS_VAULT_PROMPT = 'terminal'
    $Pwsh = Get-PwshPath
    $Aws = if ($env:AWSVAULT_TEST_AWS_CLI) { $env:AWSVAULT_TEST_AWS_CLI } else { (Get-Command aws -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $StsEndpoint = $Sts.Endpoint.TrimEnd('/')

    # What `aws configure sso` leaves in ~/.aws/config (docs/SSO.md, step 1), and a role on top of it.
    Set-Content -Path $env:AWS_CONFIG_FILE -Value @"
[profile dev]
sso_session = my-sso
sso_account_id = $($Sts.SsoDevAccount)
sso_role_name = ReadOnly
region = eu-west-1
output = json

[sso-session my-sso]
sso_start_url = $($Sts.SsoStartUrl)
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile ops]
source_profile = dev
role_arn = $($Sts.ReadOnlyRoleArn)
"@
    Import-Module (Get-AwsVaultTestModulePath) -Force
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'IAM Identity Center, as docs/SSO.md describes it' {
    It 'signs in through the browser with Connect-AwsVaultSso and keeps the token only in the vault' {
        Connect-AwsVaultSso -ProfileName dev
        @(Get-Content $Browser.Log).Count | Should -Be 1
        $calls = @(Get-SsoCall $Sts)
        ($calls | Where-Object action -eq 'CreateToken').grantType | Should -Be 'authorization_code'
        @($calls | Where-Object action -eq 'GetRoleCredentials').Count | Should -Be 0
        $token = (Invoke-RestMethod -Uri ($Sts.Endpoint + '_emulator/sso/tokens'))[0].accessToken
        $token | Should -Not -BeNullOrEmpty
        foreach ($file in Get-ChildItem -Recurse -File $TestDrive) {
            [System.IO.File]::ReadAllText($file.FullName).Contains($token) | Should -BeFalse -Because "$($file.FullName) must not hold the access token"
        }
    }

    It 'lists the accounts and roles, and the objects write new profiles' {
        $roles = @(Get-AwsVaultSsoRole -SessionName my-sso)
        $roles.Count | Should -Be 3
        ($roles | Sort-Object AccountId, RoleName | ForEach-Object { "$($_.AccountId)/$($_.RoleName)" }) -join ' ' |
            Should -Be "$($Sts.SsoDevAccount)/Admin $($Sts.SsoDevAccount)/ReadOnly $($Sts.SsoProdAccount)/ReadOnly"
        $roles | Where-Object { $_.AccountId -eq $Sts.SsoProdAccount } | ForEach-Object {
            "`n[profile $($_.ProfileName)]`nsso_session = $($_.SessionName)`nsso_account_id = $($_.AccountId)`nsso_role_name = $($_.RoleName)"
        } | Add-Content $env:AWS_CONFIG_FILE
        $prod = $roles | Where-Object { $_.AccountId -eq $Sts.SsoProdAccount }
        (Get-AwsVaultSession $prod.ProfileName).AccessKeyId | Should -BeLike 'ASIA*'
    }

    It 'runs the AWS CLI inside Invoke-AwsVault as the SSO role, and as a role chained on it' {
        Clear-SsoCall $Sts
        $arn = Invoke-AwsVault dev { & $Aws sts get-caller-identity --endpoint-url $StsEndpoint --query Arn --output text }
        $arn | Should -BeLike "arn:aws:sts::$($Sts.SsoDevAccount):assumed-role/AWSReservedSSO_ReadOnly_*"
        # The child form leaves the console to the program, so the ARN goes through a file.
        $out = Join-Path $TestDrive 'arn.txt'
        Invoke-AwsVault ops -- sh -c "'$Aws' sts get-caller-identity --endpoint-url $StsEndpoint --query Arn --output text > '$out'"
        $LASTEXITCODE | Should -Be 0
        (Get-Content $out) | Should -BeLike "arn:aws:sts::$($Sts.RoleAccount):assumed-role/ReadOnly/*"
        @(Get-SsoCall $Sts | Where-Object action -eq 'GetRoleCredentials').Count | Should -Be 1
        @(Get-SsoCall $Sts | Where-Object service -eq 'sso-oauth').Count | Should -Be 0
    }

    It 'serves a CI step in a new pwsh from the stored sign-in, without prompting' {
        Clear-AwsVaultSession | Out-Null
        # A CI agent: CI=true and no AWS_VAULT_PROMPT (this file set it to terminal for the sign-ins above).
        $env:CI = 'true'
        $env:AWS_VAULT_PROMPT = $null
        try {
            $out = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$(Get-AwsVaultTestModulePath)'; (Get-AwsVaultSession dev).AccessKeyId"
        }
        finally {
            Remove-Item Env:CI
            $env:AWS_VAULT_PROMPT = 'terminal'
        }
        $LASTEXITCODE | Should -Be 0
        $out | Should -BeLike 'ASIA*'
        @(Get-Content $Browser.Log).Count | Should -Be 1
    }

    It 'signs out with Disconnect-AwsVaultSso, after which a CI step is told to connect' {
        Clear-SsoCall $Sts
        Disconnect-AwsVaultSso -SessionName my-sso -Confirm:$false
        @(Get-SsoCall $Sts | Where-Object action -eq 'Logout').Count | Should -Be 1
        # A CI agent: CI=true and no AWS_VAULT_PROMPT (this file set it to terminal for the sign-ins above).
        $env:CI = 'true'
        $env:AWS_VAULT_PROMPT = $null
        try {
            $err = & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$(Get-AwsVaultTestModulePath)'; try { Get-AwsVaultSession dev -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        }
        finally {
            Remove-Item Env:CI
            $env:AWS_VAULT_PROMPT = 'terminal'
        }
        $err[0] | Should -BeLike 'SsoSignInRequired,*'
        $err[1] | Should -BeLike '*Connect-AwsVaultSso -SessionName my-sso*'
        @(Get-SsoCall $Sts | Where-Object service -eq 'sso-oauth').Count | Should -Be 0
    }
}
