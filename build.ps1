#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the AwsVault module.
.DESCRIPTION
    Build   - dotnet build; lays out the importable module in out/AwsVault.
    Test    - dotnet test (xunit, PowerShell hosted in-process), then Invoke-Pester tests/Pester when Pester 5 is installed.
    Package - a module folder ready for Publish-Module / Publish-PSResource in out/package/AwsVault, and
              out/package/AwsVault.<version>.nupkg next to it.
    Clean   - removes out/ and every bin/ and obj/ folder.
    With no task it runs Build and Test. Only cmdlets of a stock pwsh 7.4+ install are used (PSResourceGet
    ships with it and makes the nupkg).
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
            # Collected before anything is deleted: removing a folder while Get-ChildItem still walks it
            # makes the walk fail. Folders inside another folder on the list go with their parent.
            $folders = @(Get-ChildItem $root -Directory -Recurse -Include bin, obj -Force |
                    Where-Object { $_.FullName -notmatch '[\\/]\.git([\\/]|$)' } |
                    ForEach-Object FullName | Sort-Object Length)
            $removed = [System.Collections.Generic.List[string]]::new()
            foreach ($folder in $folders) {
                if ($removed | Where-Object { $folder.StartsWith($_ + [System.IO.Path]::DirectorySeparatorChar) }) { continue }
                Remove-Item $folder -Recurse -Force
                $removed.Add($folder)
            }
        }
        'Build' {
            Invoke-Native dotnet @('build', (Join-Path $root 'AwsVault.slnx'), '-c', $Configuration)
        }
        'Test' {
            Invoke-Native dotnet @('test', (Join-Path $root 'AwsVault.slnx'), '-c', $Configuration)
            $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
            if ($pester) {
                # In a pwsh of its own: the tests import the module, and an assembly loaded into this process
                # would stay locked on Windows, failing a Package step that rebuilds it. It also keeps this
                # script's strict mode and ErrorActionPreference out of the tests.
                $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
                $run = {
                    param([string] $PesterManifest, [string] $TestPath)
                    Import-Module $PesterManifest -Force
                    $config = New-PesterConfiguration
                    $config.Run.Path = $TestPath
                    $config.Run.PassThru = $true
                    $config.Output.Verbosity = 'Detailed'
                    $result = Invoke-Pester -Configuration $config
                    # Result is Failed for failed tests and also for files whose setup or discovery failed.
                    if ($result.Result -ne 'Passed') {
                        Write-Host "Pester: $($result.FailedCount) test(s), $($result.FailedBlocksCount) block(s) and $($result.FailedContainersCount) file(s) failed."
                        exit 1
                    }
                    exit 0
                }
                & $pwsh -NoProfile -NonInteractive -Command $run -args $pester.Path, (Join-Path $root 'tests/Pester')
                if ($LASTEXITCODE -ne 0) { throw 'Pester tests failed.' }
            }
            else {
                Write-Warning 'Pester 5 is not installed, so tests/Pester was skipped (Install-PSResource Pester).'
            }
        }
        'Package' {
            $package = Join-Path $out 'package'
            $moduleDir = Join-Path $package 'AwsVault'
            if (Test-Path $package) { Remove-Item $package -Recurse -Force }
            New-Item -ItemType Directory -Path $moduleDir -Force | Out-Null
            # The module is laid out straight into the package folder, so nothing left in out/AwsVault by an
            # earlier build of another configuration or version can end up in the package. AwsVault.Aws brings
            # the module project with it and adds dependencies/ (the privately loaded AWS SDK).
            Invoke-Native dotnet @('build', (Join-Path $root 'src/AwsVault.Aws/AwsVault.Aws.csproj'), '-c', $Configuration, "-p:ModuleOutDir=$moduleDir/")
            Get-ChildItem $moduleDir -Filter *.pdb -Recurse | Remove-Item
            Test-ModuleManifest (Join-Path $moduleDir 'AwsVault.psd1') | Out-Null
            $manifest = Import-PowerShellDataFile (Join-Path $moduleDir 'AwsVault.psd1')
            $nupkg = Join-Path $package "AwsVault.$($manifest.ModuleVersion).nupkg"

            if (Get-Command Compress-PSResource -ErrorAction SilentlyContinue) {
                # PSResourceGet 1.1+ (pwsh 7.5+) packs without any repository.
                Compress-PSResource -Path $moduleDir -DestinationPath $package
            }
            else {
                # PSResourceGet 1.0 (pwsh 7.4) packs only while publishing, so publish to a throwaway folder
                # repository, registered for this step only.
                $repo = Join-Path ([System.IO.Path]::GetTempPath()) "AwsVaultPackage-$PID"
                New-Item -ItemType Directory -Path $repo -Force | Out-Null
                $name = "AwsVaultBuild$PID"
                Register-PSResourceRepository -Name $name -Uri $repo -Trusted
                try {
                    Publish-PSResource -Path $moduleDir -Repository $name
                    Move-Item -Path (Join-Path $repo '*.nupkg') -Destination $package
                }
                finally {
                    Unregister-PSResourceRepository -Name $name
                    Remove-Item $repo -Recurse -Force -ErrorAction SilentlyContinue
                }
            }
            if (-not (Test-Path $nupkg)) { throw "Packaging did not produce '$nupkg'." }
            Write-Host "Packaged AwsVault $($manifest.ModuleVersion): $moduleDir and $nupkg"
        }
    }
}
