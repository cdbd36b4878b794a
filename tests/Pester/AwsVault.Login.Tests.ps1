#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Console sign-in (docs/LOGIN.md) as a user meets it, against the emulator in its own process, whose federation
# endpoint is reached through AWS_ENDPOINT_URL_SIGNIN: a stored key signs in as a federated user, a role profile with
# its role session, the URL logs in, Open-AwsVaultConsole gives the browser exactly that URL, and -WhatIf calls nothing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    $env:AWS_ENDPOINT_URL_SIGNIN = $Sts.Endpoint
    Set-Content -Path $env:AWS_CONFIG_FILE -Value (New-SessionTestConfig -Emulator $Sts)
    Import-Module (Get-AwsVaultTestModulePath) -Force
    $key = Get-ExampleKey bob
    Add-AwsVaultProfile bob -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false

    # A "browser" that notes the URL it is given.
    $Opened = Join-Path $TestDrive 'opened.txt'
    $BrowserPath = Join-Path $TestDrive 'record-url.sh'
    [System.IO.File]::WriteAllText($BrowserPath, "#!/bin/sh`nprintf '%s' `"`$1`" > '$Opened.tmp' && mv '$Opened.tmp' '$Opened'`n")
    & chmod 700 $BrowserPath

    function Get-FederationCall { $calls = Invoke-RestMethod -Uri ($Sts.Endpoint + '_emulator/federation/calls'); $calls }
    function Clear-FederationCall { Invoke-RestMethod -Method Delete -Uri ($Sts.Endpoint + '_emulator/federation/calls') | Out-Null }
    # The comma keeps PowerShell from enumerating the collection into its keys.
    function Get-LoginQuery([string] $Url) { , [System.Web.HttpUtility]::ParseQueryString(([uri] $Url).Query) }
    function Wait-Opened {
        for ($i = 0; $i -lt 100 -and -not (Test-Path $Opened); $i++) { Start-Sleep -Milliseconds 100 }
        Get-Content -Raw $Opened
    }
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'Console sign-in, as docs/LOGIN.md describes it' {
    BeforeEach {
        Clear-AwsVaultSession | Out-Null
        Clear-StsCall $Sts
        Clear-FederationCall
        Remove-Item $Opened -ErrorAction SilentlyContinue
    }

    It 'signs in with a stored key through GetFederationToken, and the URL logs in to the destination' {
        $url = Get-AwsVaultLoginUrl bob -Destination /s3
        @(Get-StsCall $Sts).action | Should -Be @('GetCallerIdentity', 'GetFederationToken')
        $query = Get-LoginQuery $url
        $query['Issuer'] | Should -Be 'AwsVault'
        $query['Destination'] | Should -Be 'https://console.aws.amazon.com/s3?region=us-west-2'
        $grant = Invoke-RestMethod -Uri ($Sts.Endpoint + '_emulator/federation/tokens/' + [uri]::EscapeDataString($query['SigninToken']))
        $grant.arn | Should -Be "arn:aws:sts::$((Get-StsCall $Sts)[0].callerArn.Split(':')[4]):federated-user/bob"

        $login = Invoke-WebRequest -Uri $url -MaximumRedirection 0 -SkipHttpErrorCheck -ErrorAction SilentlyContinue
        $login.StatusCode | Should -Be 302
        [string] $login.Headers.Location | Should -Be $query['Destination']
    }

    It 'opens the console for a role with BROWSER, returns the URL with -PassThru, and -WhatIf calls nothing' {
        $env:BROWSER = $BrowserPath
        try {
            Open-AwsVaultConsole readonly -WhatIf
            @(Get-StsCall $Sts).Count | Should -Be 0
            @(Get-FederationCall).Count | Should -Be 0
            Test-Path $Opened | Should -BeFalse

            $url = Open-AwsVaultConsole readonly -PassThru
            Wait-Opened | Should -Be $url
            @(Get-StsCall $Sts).action | Should -Be @('AssumeRole')
            @(Get-FederationCall).action | Should -Be @('getSigninToken')
        }
        finally {
            Remove-Item Env:BROWSER -ErrorAction SilentlyContinue
        }
    }

    It 'refuses a destination that is no console path or https URL, naming the id' {
        { Get-AwsVaultLoginUrl bob -Destination 'ftp://example.com' } | Should -Throw -ErrorId 'LoginDestinationInvalid*'
        @(Get-StsCall $Sts).Count | Should -Be 0
    }
}
