#Requires -Version 7.4
<#
.SYNOPSIS
    Runs (or only discovers) the Pester suite in this folder and writes every test's outcome to a JSON file.
.DESCRIPTION
    The entry point that `dotnet test` (tests/PesterRunner) uses under the test pwsh, and that anyone with pwsh
    can use: it imports the given Pester 5 module, runs *.Tests.ps1 here, and writes
    { tests: [{ name, result, skip, message }], failedBlocks: [...], failedContainers: [...] } to ResultFile,
    one entry per test, named by its path (file > Describe > Context > It); skip is true for a test marked -Skip
    (known at discovery). Exit code 0 when everything passed,
    1 otherwise.
.EXAMPLE
    pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1 -PesterManifest ~/.nuget/packages/pester/5.9.1/tools/Pester.psd1 -ResultFile ./pester.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $Path = $PSScriptRoot,
    # Discovery only: names the tests without running any (Pester's Run.SkipRun).
    [switch] $Discover
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Run.SkipRun = $Discover.IsPresent
$config.Output.Verbosity = if ($Discover) { 'None' } else { 'Detailed' }
$run = Invoke-Pester -Configuration $config

function Get-TestName($Test) {
    # The file, every enclosing block and the test, by the names written in the file: discovery and the run
    # give the same ones (<Name> templates of data-driven tests are expanded only while they run, so a data
    # row is told apart by its number, added below).
    $names = [System.Collections.Generic.List[string]]::new()
    $names.Add($Test.Name)
    for ($block = $Test.Block; $null -ne $block -and -not $block.IsRoot; $block = $block.Parent) { $names.Insert(0, $block.Name) }
    $names.Insert(0, [System.IO.Path]::GetFileName($Test.ScriptBlock.File))
    $names -join ' > '
}

function Get-Message($Item) {
    @($Item.ErrorRecord | ForEach-Object {
            $text = "$($_.Exception.Message)"
            if ($_.ScriptStackTrace) { $text += "`n" + $_.ScriptStackTrace }
            $text
        }) -join "`n"
}

$seen = @{}
$tests = foreach ($test in $run.Tests) {
    $name = Get-TestName $test
    $seen[$name] = 1 + ($seen.ContainsKey($name) ? $seen[$name] : 0)
    [ordered]@{ name = $name; row = $seen[$name]; result = "$($test.Result)"; skip = [bool]$test.Skip; message = Get-Message $test }
}
foreach ($test in $tests) {
    # Data-driven tests (-ForEach / -TestCases): one entry per data row, numbered in the file's order.
    if ($seen[$test.name] -gt 1) { $test.name += " [$($test.row)]" }
    $test.Remove('row')
}
$result = [ordered]@{
    tests            = @($tests)
    failedBlocks     = @($run.FailedBlocks | ForEach-Object { [ordered]@{ name = $_.Name; message = Get-Message $_ } })
    failedContainers = @($run.FailedContainers | ForEach-Object { [ordered]@{ name = "$($_.Item)"; message = Get-Message $_ } })
}
[System.IO.File]::WriteAllText($ResultFile, ($result | ConvertTo-Json -Depth 6))
if ($Discover) { exit ($run.FailedContainers.Count -eq 0 ? 0 : 1) }
exit ($run.Result -eq 'Passed' ? 0 : 1)
