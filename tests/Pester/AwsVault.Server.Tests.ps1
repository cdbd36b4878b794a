#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# docs/SERVER.md as a user follows it, against the emulator in its own process: a server that other tools in
# this terminal point at, the real AWS CLI reading it, Invoke-AwsVault -Server with a child that exits 7, the
# refusals a web page or a stranger gets, and Stop closing the port.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    Set-Content -Path $env:AWS_CONFIG_FILE -Value (New-SessionTestConfig -Emulator $Sts)
    Import-Module (Get-AwsVaultTestModulePath) -Force
    $key = Get-ExampleKey bob
    Add-AwsVaultProfile bob -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
    $Aws = if ($env:AWSVAULT_TEST_AWS_CLI) { $env:AWSVAULT_TEST_AWS_CLI } else { (Get-Command aws -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $StsEndpoint = $Sts.Endpoint.TrimEnd('/')

    function Test-PortOpen([int] $Port) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $Port); $true } catch { $false } finally { $client.Dispose() }
    }
}

AfterAll {
    Get-AwsVaultCredentialServer -ErrorAction SilentlyContinue | Stop-AwsVaultCredentialServer -ErrorAction SilentlyContinue
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'The credential server, as docs/SERVER.md describes it' {
    It 'serves the AWS CLI of this terminal through the two container variables, with no key variable set' {
        $server = Start-AwsVaultCredentialServer readonly
        $server.ProfileName | Should -Be 'readonly'
        $server.AuthorizationToken | Should -BeOfType [securestring]
        $server.Uri | Should -Match '^http://127\.0\.0\.1:\d+/credentials$'
        (Get-AwsVaultCredentialServer).Uri | Should -Be $server.Uri

        Export-AwsVaultSession -Server $server -Format PowerShell | Invoke-Expression
        try {
            $env:AWS_ACCESS_KEY_ID | Should -BeNullOrEmpty
            $env:AWS_CONTAINER_CREDENTIALS_FULL_URI | Should -Be $server.Uri
            $arn = & $Aws sts get-caller-identity --endpoint-url $StsEndpoint --region us-east-1 --query Arn --output text
            $LASTEXITCODE | Should -Be 0
            $arn | Should -BeLike "arn:aws:sts::$($Sts.RoleAccount):assumed-role/ReadOnly/*"
        }
        finally {
            Remove-Item Env:AWS_CONTAINER_CREDENTIALS_FULL_URI, Env:AWS_CONTAINER_AUTHORIZATION_TOKEN -ErrorAction SilentlyContinue
        }
        (Get-AwsVaultCredentialServer readonly).RequestsServed | Should -BeGreaterThan 0
    }

    It 'refuses a request without the token, from a web page, or for another host, and shows no key' {
        $server = Get-AwsVaultCredentialServer readonly
        $token = [System.Net.NetworkCredential]::new('', $server.AuthorizationToken).Password
        $issued = @(Get-StsSession $Sts) | Where-Object arn -Like '*assumed-role/ReadOnly/*' | Select-Object -Last 1
        $cases = @(
            @{}
            @{ Authorization = 'a' * 64 }
            @{ Authorization = $token; Origin = 'https://evil.example' }
            @{ Authorization = $token; Host = "rebound.example:$($server.Port)" }
        )
        foreach ($headers in $cases) {
            $response = Invoke-WebRequest -Uri $server.Uri -Headers $headers -SkipHttpErrorCheck -SkipHeaderValidation -DisableKeepAlive
            # A foreign Host is refused by .NET's own listener (404) before the server's 403; either way no key.
            $response.StatusCode | Should -BeIn 403, 404 -Because "headers $($headers.Keys -join ',') must be refused"
            "$($response.Content)" | Should -Not -Match $issued.accessKeyId
            "$($response.Content)" | Should -Not -Match ([regex]::Escape($issued.secretAccessKey))
        }
        (Invoke-WebRequest -Uri $server.Uri -Headers @{ Authorization = $token }).StatusCode | Should -Be 200
    }

    It 'runs a child with the server and keeps its exit code; the child has no key variable' {
        $out = Join-Path $TestDrive 'child.txt'
        Invoke-AwsVault bob -Server -- sh -c "env | grep '^AWS_' | cut -d= -f1 > '$out'; '$Aws' sts get-caller-identity --endpoint-url $StsEndpoint --region us-east-1 --query Arn --output text >> '$out'; exit 7"
        $LASTEXITCODE | Should -Be 7
        $lines = Get-Content $out
        $lines | Should -Contain 'AWS_CONTAINER_CREDENTIALS_FULL_URI'
        $lines | Should -Contain 'AWS_CONTAINER_AUTHORIZATION_TOKEN'
        $lines | Should -Not -Contain 'AWS_ACCESS_KEY_ID'
        $lines | Should -Not -Contain 'AWS_SECRET_ACCESS_KEY'
        $lines[-1] | Should -Be "arn:aws:iam::$($Sts.UserAccount):user/bob"
        # The child's server stopped with it; the one started above still runs.
        @(Get-AwsVaultCredentialServer).ProfileName | Should -Be @('readonly')
        $env:AWS_CONTAINER_CREDENTIALS_FULL_URI | Should -BeNullOrEmpty
    }

    It 'closes the port when stopped' {
        $server = Get-AwsVaultCredentialServer readonly
        Test-PortOpen $server.Port | Should -BeTrue
        $server | Stop-AwsVaultCredentialServer
        Test-PortOpen $server.Port | Should -BeFalse
        @(Get-AwsVaultCredentialServer).Count | Should -Be 0
    }
}
