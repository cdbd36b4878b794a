#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and packages the AwsVault module.
.DESCRIPTION
    Build   - dotnet build; lays out the importable module in out/AwsVault.
    Test    - dotnet test (xunit, PowerShell hosted in-process), then Invoke-Pester tests/Pester when Pester 5 is installed.
    Package - a folder ready for Publish-Module in out/package/AwsVault, and a nupkg next to it.
    Clean   - removes out/ and every bin/ and obj/ folder.
    With no task it runs Build and Test. Only cmdlets of a stock pwsh install are used.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    Write-Verbose "$File $($Arguments -join ' ')"
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            if (Test-Path $out) { Remove-Item $out -Recurse -Force }
            Get-ChildItem $root -Directory -Recurse -Include bin, obj |
                Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } |
                Remove-Item -Recurse -Force
        }
        'Build' {
            Invoke-Native dotnet @('build', (Join-Path $root 'AwsVault.slnx'), '-c', $Configuration)
        }
        'Test' {
            Invoke-Native dotnet @('test', (Join-Path $root 'AwsVault.slnx'), '-c', $Configuration)
            $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
            if ($pester) {
                Import-Module $pester -Force
                $config = New-PesterConfiguration
                $config.Run.Path = Join-Path $root 'tests/Pester'
                $config.Run.Exit = $false
                $config.Run.PassThru = $true
                $config.Output.Verbosity = 'Detailed'
                $result = Invoke-Pester -Configuration $config
                if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
            }
            else {
                Write-Warning 'Pester 5 is not installed, so tests/Pester was skipped (Install-PSResource Pester).'
            }
        }
        'Package' {
            if ($Configuration -ne 'Release') { Write-Verbose 'Packaging the current configuration build.' }
            Invoke-Native dotnet @('build', (Join-Path $root 'src/AwsVault.PowerShell/AwsVault.PowerShell.csproj'), '-c', $Configuration)
            $package = Join-Path $out 'package'
            $moduleDir = Join-Path $package 'AwsVault'
            if (Test-Path $package) { Remove-Item $package -Recurse -Force }
            New-Item -ItemType Directory -Path $moduleDir -Force | Out-Null
            Copy-Item -Path (Join-Path $out 'AwsVault/*') -Destination $moduleDir -Recurse
            Get-ChildItem $moduleDir -Filter *.pdb -Recurse | Remove-Item
            Test-ModuleManifest (Join-Path $moduleDir 'AwsVault.psd1') | Out-Null
            $manifest = Import-PowerShellDataFile (Join-Path $moduleDir 'AwsVault.psd1')
            $repo = Join-Path $package 'repository'
            New-Item -ItemType Directory -Path $repo -Force | Out-Null
            if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
                $name = "AwsVaultBuild$PID"
                Register-PSResourceRepository -Name $name -Uri $repo -Trusted
                try { Publish-PSResource -Path $moduleDir -Repository $name }
                finally { Unregister-PSResourceRepository -Name $name }
            }
            else {
                Write-Warning 'Publish-PSResource is not available, so only the module folder was laid out.'
            }
            Write-Host "Packaged AwsVault $($manifest.ModuleVersion) in $package"
        }
    }
}
