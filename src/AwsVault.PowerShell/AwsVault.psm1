# AwsVault's root module. Everything is in AwsVault.PowerShell.dll (imported first, below) except
# Invoke-AwsVault (AwsVault.InvokeAwsVault.ps1), which is a function for one reason: a function can run the caller's script block with
# `&`, so its output, errors and every other stream flow exactly as if the block had been invoked directly
# (native programs keep their console), which a compiled cmdlet cannot do without buffering.
# Only the language and core cmdlets are used here; it must run in Windows PowerShell 5.1 too.

# The assembly is built twice. net8.0 uses the platform's AES-GCM, PBKDF2, JSON and Unix file modes and needs
# .NET 8 (PowerShell 7.4+). net472 is for Windows PowerShell 5.1, and also for pwsh 7.2/7.3: .NET 6/7 loads
# a .NET Framework assembly as long as it calls only APIs .NET has, and this one calls no other (it is the
# build that keeps its own AES-GCM and JSON code for exactly that reason).
# (Paths through [System.IO.Path]: Join-Path is not a core cmdlet, and a host may not have it.)
Import-Module -ErrorAction Stop -Name ([System.IO.Path]::Combine($PSScriptRoot,
        $(if ($PSVersionTable.PSEdition -eq 'Core' -and [Environment]::Version.Major -ge 8) { 'net8.0' } else { 'net472' }),
        'AwsVault.PowerShell.dll'))

# Parsed only now, when the types its parameter attributes name exist.
. ([System.IO.Path]::Combine($PSScriptRoot, 'AwsVault.InvokeAwsVault.ps1'))

# The cmdlets come from the assembly imported above, a nested module of this one; re-export them as AwsVault's
# (the manifest's CmdletsToExport and FunctionsToExport then choose what the user sees).
Export-ModuleMember -Function Invoke-AwsVault -Cmdlet *
