# Shared by tests/Pester/*.Tests.ps1: a private HOME, config file and vault for each test file, the process
# environment put back exactly as it was, and the STS emulator (tests/StsEmulator) as a separate process.
# Needs pwsh 7.4+ and a `dotnet build` of the repository (the module in out/AwsVault, the emulator in bin/, the
# SecretManagement stand-in in artifacts/TestModules). `dotnet test` runs the suite (tests/PesterRunner).

Set-StrictMode -Version 3.0

$script:RepoRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))

# AWS's documented example keys: they look real to every validator and belong to no account.
$script:ExampleKeys = @{
    alice = [pscustomobject]@{ AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; SecretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
    bob   = [pscustomobject]@{ AccessKeyId = 'AKIAI44QH8DHBEXAMPLE'; SecretAccessKey = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' }
}

$script:UserAccount = '111122223333'
$script:RoleAccount = '444455556666'
$script:SsoStartUrl = 'https://d-9067example.awsapps.com/start'
$script:SsoDevAccount = '111111111111'
$script:SsoProdAccount = '222222222222'

function Get-AwsVaultTestModulePath {
    <# The manifest of the built module, imported from out/ the way a user imports an installed module. #>
    $path = [System.IO.Path]::Combine($script:RepoRoot, 'out', 'AwsVault', 'AwsVault.psd1')
    if (-not [System.IO.File]::Exists($path)) {
        throw "The module is not built: '$path' does not exist. Run 'dotnet build' (or ./build.ps1) first."
    }
    $path
}

function Get-ExampleKey {
    <# alice: the first documented example key (has an MFA device in the emulator); bob: the second (none). #>
    param([Parameter(Mandatory)] [ValidateSet('alice', 'bob')] [string] $User)
    $script:ExampleKeys[$User]
}

function Get-PwshPath {
    <#
    The pwsh that runs the tests, for child processes (credential_process, mfa_process, programs): this process's
    own executable. In an installed pwsh that is $PSHOME/pwsh; the test pwsh built from Microsoft.PowerShell.SDK
    (out/PwshHost/pwsh-host) keeps $PSHOME in runtimes/, where there is no executable.
    #>
    [System.Environment]::ProcessPath
}

function Get-TestModulesDirectory {
    <#
    The folder that holds the SecretManagement stand-in (tests/SecretManagementStandIn, built by `dotnet build`):
    Enter-AwsVaultTestEnvironment puts it on PSModulePath, where Install-Module would have put the real module.
    #>
    $path = [System.IO.Path]::Combine($script:RepoRoot, 'artifacts', 'TestModules')
    if (-not [System.IO.Directory]::Exists([System.IO.Path]::Combine($path, 'Microsoft.PowerShell.SecretManagement'))) {
        throw "The SecretManagement stand-in is not built: '$path' has no Microsoft.PowerShell.SecretManagement. Run 'dotnet build' first."
    }
    $path
}

function Get-EnvironmentSnapshot {
    <# Every process environment variable, for putting back or comparing later. #>
    $snapshot = [System.Collections.Generic.Dictionary[string, string]]::new([System.StringComparer]::Ordinal)
    foreach ($entry in [System.Environment]::GetEnvironmentVariables().GetEnumerator()) {
        $snapshot[[string]$entry.Key] = [string]$entry.Value
    }
    $snapshot
}

function Compare-EnvironmentSnapshot {
    <# What differs now from a snapshot, one line per variable; nothing when the environment is as it was. #>
    param([Parameter(Mandatory)] $Snapshot)
    $now = Get-EnvironmentSnapshot
    foreach ($name in $Snapshot.Keys) {
        if (-not $now.ContainsKey($name)) { "removed $name" }
        elseif ($now[$name] -cne $Snapshot[$name]) { "changed $name" }
    }
    foreach ($name in $now.Keys) {
        if (-not $Snapshot.ContainsKey($name)) { "added $name" }
    }
}

# PowerShell passes $null to a .NET string parameter as "", and since .NET 9 an empty value is a variable
# that exists; [NullString]::Value is the null that removes one.
function Remove-EnvironmentVariable([string] $Name) {
    [System.Environment]::SetEnvironmentVariable($Name, [NullString]::Value)
}

function Restore-EnvironmentSnapshot {
    param([Parameter(Mandatory)] $Snapshot)
    foreach ($name in @((Get-EnvironmentSnapshot).Keys)) {
        if (-not $Snapshot.ContainsKey($name)) { Remove-EnvironmentVariable $name }
    }
    foreach ($name in $Snapshot.Keys) {
        if ([System.Environment]::GetEnvironmentVariable($name) -cne $Snapshot[$name]) {
            [System.Environment]::SetEnvironmentVariable($name, $Snapshot[$name])
        }
    }
}

function Enter-AwsVaultTestEnvironment {
    <#
    Points HOME, the config file and the file vault into Root, clears every AWS_* variable and CI so the
    developer's shell or CI agent cannot change what a test sees, and makes every prompt fail at once
    (AWS_VAULT_PROMPT=none) so that a test can never hang on one. Returns the snapshot that
    Exit-AwsVaultTestEnvironment puts back.
    #>
    param([Parameter(Mandatory)] [string] $Root)
    $snapshot = Get-EnvironmentSnapshot
    foreach ($name in @($snapshot.Keys)) {
        if ($name.StartsWith('AWS_', [System.StringComparison]::OrdinalIgnoreCase)) { Remove-EnvironmentVariable $name }
    }
    Remove-EnvironmentVariable CI
    $homeDirectory = [System.IO.Path]::Combine($Root, 'home')
    [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($homeDirectory, '.aws')) | Out-Null
    $env:HOME = $homeDirectory
    $env:AWS_CONFIG_FILE = [System.IO.Path]::Combine($homeDirectory, '.aws', 'config')
    # Never read by AwsVault; set so that the AWS SDK or CLI in a child process cannot find the user's real keys.
    $env:AWS_SHARED_CREDENTIALS_FILE = [System.IO.Path]::Combine($homeDirectory, '.aws', 'credentials-unused')
    $env:AWS_VAULT_FILE_DIR = [System.IO.Path]::Combine($Root, 'vault')
    $env:AWS_VAULT_BACKEND = 'file'
    $env:AWS_VAULT_FILE_PASSPHRASE = 'pester passphrase'
    $env:AWS_VAULT_PROMPT = 'none'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    # SecretManagement is found by name on PSModulePath, as after Install-Module; here that is the stand-in, whose
    # vault registrations go to a file of this test's own (the real module keeps them under the user's profile),
    # so child processes (credential_process) see the same vaults and no developer's registrations are touched.
    $env:PSModulePath = (Get-TestModulesDirectory) + [System.IO.Path]::PathSeparator + $env:PSModulePath
    $env:SECRETMANAGEMENT_STANDIN_REGISTRY = [System.IO.Path]::Combine($Root, 'secretmanagement-registry.json')
    $snapshot
}

function Exit-AwsVaultTestEnvironment {
    param($Snapshot)
    if ($null -ne $Snapshot) { Restore-EnvironmentSnapshot -Snapshot $Snapshot }
}

function Get-StsEmulatorPath {
    <# $env:AWSVAULT_STS_EMULATOR, else the newest build of tests/StsEmulator (Debug or Release). #>
    $override = [System.Environment]::GetEnvironmentVariable('AWSVAULT_STS_EMULATOR')
    if ($override) { return $override }
    $bin = [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'StsEmulator', 'bin')
    $found = if ([System.IO.Directory]::Exists($bin)) {
        [System.IO.Directory]::GetFiles($bin, 'StsEmulator.dll', [System.IO.SearchOption]::AllDirectories) |
            Sort-Object { [System.IO.File]::GetLastWriteTimeUtc($_) } -Descending |
            Select-Object -First 1
    }
    if (-not $found) {
        throw "The STS emulator is not built under '$bin'. Run 'dotnet build' first, or set `$env:AWSVAULT_STS_EMULATOR to StsEmulator.dll."
    }
    $found
}

function Start-StsEmulator {
    <#
    Writes a world (alice with an MFA device, bob without, roles in another account) to Directory and starts
    `dotnet StsEmulator.dll --world ... --port 0`. The emulator serves until its standard input closes, so the
    returned object holds that pipe: Stop-StsEmulator closes it, and a test run that dies takes the
    emulator with it.
    #>
    param(
        [Parameter(Mandatory)] [string] $Directory,
        # Also serve IAM Identity Center on the same port: the user has ReadOnly and Admin in Dev and ReadOnly in Prod.
        [switch] $Sso
    )

    $aliceSerial = "arn:aws:iam::$($script:UserAccount):mfa/alice"
    # A new seed for every emulator: the module remembers every code it sent (across processes, as AWS
    # accepts each once), so two emulators with one seed would hand out codes it refuses to send again.
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
    $aliceSeed = -join (1..32 | ForEach-Object { $alphabet[[System.Security.Cryptography.RandomNumberGenerator]::GetInt32(32)] })
    $world = [ordered]@{
        users = @(
            [ordered]@{
                name       = 'alice'
                account    = $script:UserAccount
                accessKeys = @([ordered]@{ accessKeyId = $script:ExampleKeys.alice.AccessKeyId; secretAccessKey = $script:ExampleKeys.alice.SecretAccessKey })
                mfaDevice  = [ordered]@{ serialNumber = $aliceSerial; base32Secret = $aliceSeed }
            }
            [ordered]@{
                name       = 'bob'
                account    = $script:UserAccount
                accessKeys = @([ordered]@{ accessKeyId = $script:ExampleKeys.bob.AccessKeyId; secretAccessKey = $script:ExampleKeys.bob.SecretAccessKey })
            }
        )
        roles = @(
            [ordered]@{ arn = "arn:aws:iam::$($script:RoleAccount):role/Admin"; maxSessionDuration = 43200; requireMfa = $true }
            [ordered]@{ arn = "arn:aws:iam::$($script:RoleAccount):role/ReadOnly" }
        )
    }
    $worldPath = [System.IO.Path]::Combine($Directory, 'sts-world.json')
    [System.IO.File]::WriteAllText($worldPath, ($world | ConvertTo-Json -Depth 8))

    $dotnet = [System.Environment]::GetEnvironmentVariable('DOTNET_HOST_PATH')
    if (-not $dotnet) { $dotnet = (Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $psi = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
    $arguments = @((Get-StsEmulatorPath), '--world', $worldPath, '--port', '0')
    if ($Sso) {
        $ssoWorld = [ordered]@{
            startUrl = $script:SsoStartUrl
            region   = 'us-east-1'
            accounts = @(
                [ordered]@{ accountId = $script:SsoDevAccount; name = 'Dev'; email = 'dev@example.com'; roles = @('ReadOnly', 'Admin') }
                [ordered]@{ accountId = $script:SsoProdAccount; name = 'Prod'; email = 'prod@example.com'; roles = @('ReadOnly') }
            )
        }
        $ssoPath = [System.IO.Path]::Combine($Directory, 'sso-world.json')
        [System.IO.File]::WriteAllText($ssoPath, ($ssoWorld | ConvertTo-Json -Depth 8))
        $arguments += '--sso', $ssoPath
    }
    foreach ($argument in $arguments) { $psi.ArgumentList.Add($argument) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($psi)

    $line = $process.StandardOutput.ReadLineAsync()
    $first = if ($line.Wait([TimeSpan]::FromSeconds(60))) { $line.Result } else { '(nothing within 60 s)' }
    if ($first -notmatch '^Listening on (?<endpoint>http://127\.0\.0\.1:\d+/)$') {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The STS emulator did not start: its first line was '$first'."
    }
    $endpoint = $Matches.endpoint
    [pscustomobject]@{
        PSTypeName       = 'AwsVault.Tests.StsEmulator'
        Process          = $process
        Endpoint         = $endpoint
        AliceMfaSerial   = $aliceSerial
        # For `oathtool --totp -b <seed>`, the other way to get a code.
        AliceMfaSeed     = $aliceSeed
        AdminRoleArn     = "arn:aws:iam::$($script:RoleAccount):role/Admin"
        ReadOnlyRoleArn  = "arn:aws:iam::$($script:RoleAccount):role/ReadOnly"
        UserAccount      = $script:UserAccount
        RoleAccount      = $script:RoleAccount
        SsoStartUrl      = $script:SsoStartUrl
        SsoDevAccount    = $script:SsoDevAccount
        SsoProdAccount   = $script:SsoProdAccount
    }
}

function Stop-StsEmulator {
    param($Emulator)
    if ($null -eq $Emulator) { return }
    $process = $Emulator.Process
    if (-not $process.HasExited) {
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(15000)) { $process.Kill() }
    }
    $process.Dispose()
}

function Get-StsTokenCode {
    <#
    An MFA code for alice's device that the emulator has not accepted yet. As in AWS, a device has three valid
    codes at a time (the 30 s step and one either side) and each is accepted once, so a file that spends more
    than three waits here for the next step.
    #>
    param([Parameter(Mandatory)] $Emulator, [string] $SerialNumber = $Emulator.AliceMfaSerial)
    $uri = $Emulator.Endpoint + '_emulator/token-code?serialNumber=' + [uri]::EscapeDataString($SerialNumber)
    $deadline = [DateTime]::UtcNow.AddSeconds(70)
    while ($true) {
        try {
            return (Invoke-RestMethod -Uri $uri).tokenCode
        }
        catch {
            if ("$_" -notmatch 'has been spent' -or [DateTime]::UtcNow -gt $deadline) { throw }
            Start-Sleep -Seconds (31 - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() % 30)
        }
    }
}

function Get-StsCall {
    <# The STS requests the emulator answered, oldest first: action, callerAccessKeyId, usedMfa, serialNumber, parameters, errorCode, ... #>
    param([Parameter(Mandatory)] $Emulator)
    # Invoke-RestMethod sends a JSON array down the pipeline as one object; a variable written out is enumerated.
    $calls = Invoke-RestMethod -Uri ($Emulator.Endpoint + '_emulator/calls')
    $calls
}

function Clear-StsCall {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Method Delete -Uri ($Emulator.Endpoint + '_emulator/calls') | Out-Null
}

function Get-StsSession {
    <# The sessions the emulator issued: accessKeyId, secretAccessKey, sessionToken, arn, issuedBy, ... #>
    param([Parameter(Mandatory)] $Emulator)
    $sessions = Invoke-RestMethod -Uri ($Emulator.Endpoint + '_emulator/sessions')
    $sessions
}

function Add-StsFault {
    <# Queues a fault: Kind Throttle, ServerError, Delay, Error or AlwaysThrottle (the last until Clear-StsFault). #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Kind, [string] $Action = '*', [int] $Count = 1)
    $body = @{ action = $Action; kind = $Kind; count = $Count } | ConvertTo-Json
    Invoke-RestMethod -Method Post -Uri ($Emulator.Endpoint + '_emulator/faults') -Body $body -ContentType 'application/json' | Out-Null
}

function Clear-StsFault {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Method Delete -Uri ($Emulator.Endpoint + '_emulator/faults') | Out-Null
}

function New-SessionTestConfig {
    <#
    The config the session scenarios use, pointing at the emulator: alice (MFA), bob (no MFA), admin (a role
    that requires MFA, from alice), readonly (a role from bob), and empty (no key, no source).
    AliceMfaProcess, when given, becomes alice's mfa_process.
    #>
    param([Parameter(Mandatory)] $Emulator, [string] $AliceMfaProcess)
    $mfaProcess = if ($AliceMfaProcess) { "`nmfa_process = $AliceMfaProcess" } else { '' }
    @"
[profile alice]
region = eu-west-1
mfa_serial = $($Emulator.AliceMfaSerial)$mfaProcess

[profile bob]
region = us-west-2

[profile admin]
source_profile = alice
role_arn = $($Emulator.AdminRoleArn)
mfa_serial = $($Emulator.AliceMfaSerial)

[profile readonly]
source_profile = bob
role_arn = $($Emulator.ReadOnlyRoleArn)

[profile empty]
region = eu-west-1
"@
}

function Get-SsoCall {
    <# The IAM Identity Center requests the emulator answered (started with -Sso), oldest first: service, action, grantType, accountId, roleName, httpStatus, errorCode. #>
    param([Parameter(Mandatory)] $Emulator)
    $calls = Invoke-RestMethod -Uri ($Emulator.Endpoint + '_emulator/sso/calls')
    $calls
}
function Clear-SsoCall {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Method Delete -Uri ($Emulator.Endpoint + '_emulator/sso/calls') | Out-Null
}
function New-BrowserScript {
    <#
    A "browser" for the sign-in, named by BROWSER as a user's would be: it follows the authorize redirect back to
    AwsVault's loopback listener with curl, as a user who approves does, and notes each opening in Log.
    #>
    param([Parameter(Mandatory)] [string] $Directory)
    $log = [System.IO.Path]::Combine($Directory, 'browser.log')
    $path = [System.IO.Path]::Combine($Directory, 'browser.sh')
    [System.IO.File]::WriteAllText($path, "#!/bin/sh`necho opened >> '$log'`nexec curl -sS -L --max-time 30 -o /dev/null `"`$1`"`n")
    & chmod 700 $path
    [pscustomobject]@{ Path = $path; Log = $log }
}
Export-ModuleMember -Function @(
    'Get-AwsVaultTestModulePath', 'Get-ExampleKey', 'Get-PwshPath', 'Get-TestModulesDirectory'
    'Get-EnvironmentSnapshot', 'Compare-EnvironmentSnapshot', 'Restore-EnvironmentSnapshot'
    'Enter-AwsVaultTestEnvironment', 'Exit-AwsVaultTestEnvironment'
    'Get-StsEmulatorPath', 'Start-StsEmulator', 'Stop-StsEmulator'
    'Get-StsTokenCode', 'Get-StsCall', 'Clear-StsCall', 'Get-StsSession', 'Add-StsFault', 'Clear-StsFault'
    'New-SessionTestConfig', 'Get-SsoCall', 'Clear-SsoCall', 'New-BrowserScript'
)
