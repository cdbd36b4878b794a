#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the AwsVault module.
.DESCRIPTION
    Build   - dotnet build; lays out the importable module in out/AwsVault.
    Test    - dotnet test: the xunit suite and the Pester suite (tests/Pester, run by tests/PesterRunner under
              the test pwsh with Pester from NuGet).
    Install - copies the built module (out/AwsVault) to <ModulePath>/AwsVault/<version>, by default this user's
              pwsh module folder, which is on PSModulePath: every new pwsh, including one that the AWS CLI
              starts for credential_process, then finds the AwsVault commands without Import-Module.
    Package - a module folder ready for Publish-Module / Publish-PSResource in out/package/AwsVault, and
              out/package/AwsVault.<version>.nupkg next to it. Needs PSResourceGet.
    Clean   - removes out/, artifacts/ and every bin/ and obj/ folder.
    With no task it runs Build and Test. Only cmdlets of a stock pwsh 7.4+ install are used (PSResourceGet
    ships with it and makes the nupkg).
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Build, Install
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Install', 'Package')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # Where Install puts the module. The default is the user's module folder of pwsh 7 (the first entry of a
    # default PSModulePath): ~/.local/share/powershell/Modules ($XDG_DATA_HOME/powershell/Modules when set) on
    # Linux and macOS, Documents\PowerShell\Modules on Windows. Windows PowerShell 5.1 reads
    # Documents\WindowsPowerShell\Modules instead.
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'

# A terminating error with an id and category of its own, so that a caller sees what is wrong and what to do.
function New-BuildError([string] $Id, [System.Management.Automation.ErrorCategory] $Category, [string] $Message, $Target) {
    [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $Id, $Category, $Target)
}

function Get-UserModulePath {
    if ($IsWindows) {
        return Join-Path ([System.Environment]::GetFolderPath('MyDocuments')) 'PowerShell/Modules'
    }
    # pwsh's own rule for the user module folder on Unix (Platform.SelectProductNameForDirectory).
    $data = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path $HOME '.local/share' }
    Join-Path $data 'powershell/Modules'
}

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    Write-Verbose "$File $($Arguments -join ' ')"
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            foreach ($folder in $out, (Join-Path $root 'artifacts')) {
                if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
            }
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
            # One command for both suites: tests/PesterRunner runs tests/Pester under the test pwsh with Pester
            # from NuGet, and reports every Pester test as a test of its own.
            Invoke-Native dotnet @('test', (Join-Path $root 'AwsVault.slnx'), '-c', $Configuration)
        }
        'Install' {
            $built = Join-Path $out 'AwsVault'
            $manifestPath = Join-Path $built 'AwsVault.psd1'
            if (-not (Test-Path $manifestPath)) {
                throw (New-BuildError 'ModuleNotBuilt' ObjectNotFound "There is no built module to install: '$manifestPath' does not exist. Build it first: ./build.ps1 -Task Build, Install" $manifestPath)
            }
            $version = (Import-PowerShellDataFile $manifestPath).ModuleVersion
            $modules = if ($ModulePath) { $ModulePath } else { Get-UserModulePath }
            $destination = Join-Path $modules "AwsVault/$version"
            # A clean copy: files an older build of the same version left behind must not be loaded.
            if (Test-Path $destination) { Remove-Item $destination -Recurse -Force }
            New-Item -ItemType Directory -Path $destination -Force | Out-Null
            Copy-Item -Path (Join-Path $built '*') -Destination $destination -Recurse -Force
            Get-ChildItem $destination -Filter *.pdb -Recurse | Remove-Item
            Write-Host "Installed AwsVault $version in $destination."
            $onPath = @($env:PSModulePath -split [System.IO.Path]::PathSeparator | Where-Object { $_ } |
                    ForEach-Object { [System.IO.Path]::GetFullPath($_).TrimEnd([System.IO.Path]::DirectorySeparatorChar) })
            if ($onPath -notcontains [System.IO.Path]::GetFullPath($modules).TrimEnd([System.IO.Path]::DirectorySeparatorChar)) {
                Write-Warning "'$modules' is not on PSModulePath, so PowerShell will not find AwsVault there by name. Add it to PSModulePath, or install without -ModulePath."
            }
        }
        'Package' {
            # Checked before anything is built: without PSResourceGet the step can only fail, and late.
            $canPack = (Get-Command Compress-PSResource -ErrorAction Ignore) -or
                ((Get-Command Register-PSResourceRepository -ErrorAction Ignore) -and (Get-Command Publish-PSResource -ErrorAction Ignore))
            if (-not $canPack) {
                throw (New-BuildError 'PSResourceGetMissing' NotInstalled ("Package needs PSResourceGet (Compress-PSResource, or Publish-PSResource), which pwsh 7.4+ ships " +
                        "but this PowerShell ($($PSVersionTable.PSVersion)) does not have. Install it with 'Install-Module Microsoft.PowerShell.PSResourceGet -Scope CurrentUser' " +
                        "(PowerShellGet), or run ./build.ps1 -Task Package from a full pwsh 7.4+ install.") 'Microsoft.PowerShell.PSResourceGet')
            }
            $package = Join-Path $out 'package'
            $moduleDir = Join-Path $package 'AwsVault'
            if (Test-Path $package) { Remove-Item $package -Recurse -Force }
            New-Item -ItemType Directory -Path $moduleDir -Force | Out-Null
            # The module is laid out straight into the package folder, so nothing left in out/AwsVault by an
            # earlier build of another configuration or version can end up in the package. AwsVault.Aws brings
            # the module project with it and adds net472/dependencies and net8.0/dependencies (the privately loaded AWS SDK).
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
