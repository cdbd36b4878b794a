#Requires -Version 7.4
#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Invoke-AwsVault in both forms and Enter-AwsVaultShell, against the STS emulator: what a command run with a
# session sees, and that the caller's environment is exactly as it was afterwards.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $SavedEnvironment = Enter-AwsVaultTestEnvironment -Root $TestDrive
    $Sts = Start-StsEmulator -Directory $TestDrive
    $env:AWS_ENDPOINT_URL_STS = $Sts.Endpoint
    Set-Content -Path $env:AWS_CONFIG_FILE -Value (New-SessionTestConfig -Emulator $Sts)
    Import-Module (Get-AwsVaultTestModulePath) -Force
    foreach ($user in 'alice', 'bob') {
        $key = Get-ExampleKey $user
        Add-AwsVaultProfile $user -AccessKeyId $key.AccessKeyId -SecretAccessKey (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force) -AddConfig:$false
    }
    $Pwsh = Get-PwshPath
    # A child program that writes its AWS_* environment to the file named by its first argument and exits
    # with the code given as the second: the same script on every OS.
    $EnvironmentDumper = Join-Path $TestDrive 'dump-environment.ps1'
    Set-Content -Path $EnvironmentDumper -Value @'
param([string] $OutFile, [int] $ExitCode = 0)
Get-ChildItem Env: | Where-Object Name -Like 'AWS_*' | ForEach-Object { "$($_.Name)=$($_.Value)" } | Set-Content -Path $OutFile
exit $ExitCode
'@
    function Read-DumpedEnvironment([string] $Path) {
        $variables = @{}
        foreach ($line in Get-Content $Path) {
            $name, $value = $line -split '=', 2
            $variables[$name] = $value
        }
        $variables
    }
}

AfterAll {
    Remove-Module AwsVault -ErrorAction SilentlyContinue
    Stop-StsEmulator $Sts
    Exit-AwsVaultTestEnvironment $SavedEnvironment
}

Describe 'Invoke-AwsVault with a script block' {
    BeforeEach {
        Clear-AwsVaultSession | Out-Null
        # The caller already has AWS variables of its own; the block must not see them, and must get them back.
        $env:AWS_PROFILE = 'someone-else'
        $env:AWS_SECURITY_TOKEN = 'legacy-token-value'
        $Before = Get-EnvironmentSnapshot
    }

    AfterEach {
        $env:AWS_PROFILE = $null
        $env:AWS_SECURITY_TOKEN = $null
    }

    It 'runs the block with exactly the session in the environment, and restores it afterwards' {
        $inside = Invoke-AwsVault bob {
            [ordered]@{
                AWS_VAULT             = $env:AWS_VAULT
                AWS_REGION            = $env:AWS_REGION
                AWS_DEFAULT_REGION    = $env:AWS_DEFAULT_REGION
                AWS_ACCESS_KEY_ID     = $env:AWS_ACCESS_KEY_ID
                AWS_SECRET_ACCESS_KEY = $env:AWS_SECRET_ACCESS_KEY
                AWS_SESSION_TOKEN     = $env:AWS_SESSION_TOKEN
                AWS_PROFILE           = $env:AWS_PROFILE
                AWS_SECURITY_TOKEN    = $env:AWS_SECURITY_TOKEN
            }
        }
        $issued = @(Get-StsSession $Sts)[-1]
        $inside.AWS_VAULT | Should -Be 'bob'
        $inside.AWS_REGION | Should -Be 'us-west-2'
        $inside.AWS_DEFAULT_REGION | Should -Be 'us-west-2'
        $inside.AWS_ACCESS_KEY_ID | Should -Be $issued.accessKeyId
        $inside.AWS_SECRET_ACCESS_KEY | Should -Be $issued.secretAccessKey
        $inside.AWS_SESSION_TOKEN | Should -Be $issued.sessionToken
        $inside.AWS_PROFILE | Should -BeNullOrEmpty
        $inside.AWS_SECURITY_TOKEN | Should -BeNullOrEmpty

        Compare-EnvironmentSnapshot $Before | Should -BeNullOrEmpty
        $env:AWS_PROFILE | Should -Be 'someone-else'
    }

    It 'restores the environment when the block throws' {
        { Invoke-AwsVault bob { throw 'boom' } } | Should -Throw 'boom'
        Compare-EnvironmentSnapshot $Before | Should -BeNullOrEmpty
    }

    It 'passes output down the pipeline and -ArgumentList to the block' {
        Invoke-AwsVault bob { 1..3 } | ForEach-Object { $_ * 10 } | Should -Be @(10, 20, 30)
        Invoke-AwsVault bob { param($Name, $Count) "$Name x $Count" } -ArgumentList 'bucket', 2 | Should -Be 'bucket x 2'
    }

    It 'lets errors and other streams through as if the block ran directly' {
        $output = Invoke-AwsVault bob { Write-Warning 'careful'; Write-Error 'soft' -ErrorAction Continue; 'done' } 3>&1 2>&1
        ($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Message | Should -Be 'careful'
        ($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Exception.Message | Should -Be 'soft'
        $output[-1] | Should -Be 'done'
    }

    It 'refuses to start a session inside another one, as aws-vault does' {
        { Invoke-AwsVault bob { Invoke-AwsVault bob { 'inner' } } } |
            Should -Throw -ErrorId 'NestedSessionRefused,Invoke-AwsVault' -ExpectedMessage '*unset AWS_VAULT*'
        { Invoke-AwsVault bob { Enter-AwsVaultShell bob } } |
            Should -Throw -ErrorId 'NestedSessionRefused,AwsVault.Commands.EnterAwsVaultShellCommand'
        Compare-EnvironmentSnapshot $Before | Should -BeNullOrEmpty
    }

    It 'names an unknown profile' {
        { Invoke-AwsVault nosuchprofile { 'never runs' } } |
            Should -Throw -ErrorId 'ProfileNotFound,Invoke-AwsVault'
    }

    It 'passes -MfaToken on for a role that needs MFA, and fails without one when nobody can be asked' {
        $arn = Invoke-AwsVault admin -MfaToken (Get-StsTokenCode $Sts) {
            (Get-StsSession $Sts | Where-Object accessKeyId -EQ $env:AWS_ACCESS_KEY_ID).arn
        }
        $arn | Should -BeLike "arn:aws:sts::$($Sts.RoleAccount):assumed-role/Admin/*"

        Clear-AwsVaultSession | Out-Null
        { Invoke-AwsVault admin { 'never runs' } } |
            Should -Throw -ErrorId 'MfaTokenRequired,Invoke-AwsVault'
    }
}

Describe 'Invoke-AwsVault with a program' {
    BeforeEach {
        Clear-AwsVaultSession | Out-Null
        $env:AWS_PROFILE = 'someone-else'
        $Before = Get-EnvironmentSnapshot
    }

    AfterEach {
        $env:AWS_PROFILE = $null
    }

    It 'sets $LASTEXITCODE to the exit code of the program after --' -Skip:$IsWindows {
        Invoke-AwsVault bob -- sh -c 'exit 7'
        $LASTEXITCODE | Should -Be 7
    }

    It 'sets $LASTEXITCODE to the exit code of the program after -- (cmd.exe)' -Skip:(-not $IsWindows) {
        Invoke-AwsVault bob -- cmd /c 'exit 7'
        $LASTEXITCODE | Should -Be 7
    }

    It 'gives the session to the program only, leaving the caller untouched' {
        $out = Join-Path $TestDrive 'child-environment.txt'
        Invoke-AwsVault bob -- $Pwsh -NoProfile -NonInteractive -File $EnvironmentDumper $out 4
        $LASTEXITCODE | Should -Be 4

        $child = Read-DumpedEnvironment $out
        $child.AWS_VAULT | Should -Be 'bob'
        $child.AWS_ACCESS_KEY_ID | Should -Be (@(Get-StsSession $Sts)[-1].accessKeyId)
        $child.AWS_REGION | Should -Be 'us-west-2'
        $child.ContainsKey('AWS_SESSION_TOKEN') | Should -BeTrue
        $child.ContainsKey('AWS_PROFILE') | Should -BeFalse

        Compare-EnvironmentSnapshot $Before | Should -BeNullOrEmpty
        $env:AWS_VAULT | Should -BeNullOrEmpty
    }

    It 'takes the program as -FilePath and its arguments as -ArgumentList' {
        $out = Join-Path $TestDrive 'child-environment-2.txt'
        Invoke-AwsVault bob -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $EnvironmentDumper, $out, 5
        $LASTEXITCODE | Should -Be 5
        (Read-DumpedEnvironment $out).AWS_VAULT | Should -Be 'bob'
    }

    It 'says when the program is not on the PATH' {
        { Invoke-AwsVault bob -- no-such-program-awsvault } |
            Should -Throw -ErrorId 'CommandNotFound,Invoke-AwsVault'
        Compare-EnvironmentSnapshot $Before | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-AwsVault with profiles from the pipeline or $env:AWS_PROFILE' {
    BeforeEach {
        Clear-AwsVaultSession | Out-Null
        $Before = Get-EnvironmentSnapshot
    }

    AfterEach {
        $env:AWS_PROFILE = $null
    }

    It 'runs a positional block once per piped profile, each time inside its session' {
        $script:runs = 0
        $seen = 'bob', 'readonly' | Invoke-AwsVault { $script:runs++; $env:AWS_VAULT }
        $seen | Should -Be @('bob', 'readonly')
        $script:runs | Should -Be 2
        Compare-EnvironmentSnapshot $Before | Should -BeNullOrEmpty
    }

    It 'never runs the block for a piped profile it cannot get a session for' {
        $script:runs = 0
        { [pscustomobject]@{ ProfileName = 'no-such-profile' } | Invoke-AwsVault { $script:runs++ } } |
            Should -Throw -ErrorId 'ProfileNotFound,Invoke-AwsVault'
        $script:runs | Should -Be 0
    }

    It 'takes the profile from $env:AWS_PROFILE when only a block is given' {
        $env:AWS_PROFILE = 'bob'
        Invoke-AwsVault { $env:AWS_VAULT } | Should -Be 'bob'
        $env:AWS_PROFILE | Should -Be 'bob'
    }
}

Describe 'Enter-AwsVaultShell' {
    BeforeAll {
        # A "shell" that records its environment and exits at once, so no one has to type `exit`. On Windows it
        # is a .cmd file, which also covers the cmd.exe path for batch files.
        if ($IsWindows) {
            $Shell = Join-Path $TestDrive 'shell.cmd'
            Set-Content -Path $Shell -Value "@echo off`r`nset AWS_ > `"%~dp0shell-environment.txt`"`r`nexit /b 3`r`n"
        }
        else {
            $Shell = Join-Path $TestDrive 'shell.sh'
            Set-Content -Path $Shell -Value "#!/bin/sh`nenv > `"`$(dirname `"`$0`")/shell-environment.txt`"`nexit 3`n"
            [System.IO.File]::SetUnixFileMode($Shell, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        }
        $env:AWS_VAULT_DISABLE_HELP_MESSAGE = '1'
    }

    AfterAll {
        $env:AWS_VAULT_DISABLE_HELP_MESSAGE = $null
    }

    It 'starts the shell with the session and returns its exit code' {
        $before = Get-EnvironmentSnapshot
        Enter-AwsVaultShell bob -Shell $Shell
        $LASTEXITCODE | Should -Be 3
        $recorded = Get-Content (Join-Path $TestDrive 'shell-environment.txt')
        $recorded | Should -Contain 'AWS_VAULT=bob'
        $recorded | Should -Contain 'AWS_REGION=us-west-2'
        $recorded | Where-Object { $_ -like 'AWS_SESSION_TOKEN=*' } | Should -Not -BeNullOrEmpty
        Compare-EnvironmentSnapshot $before | Should -BeNullOrEmpty
    }
}
