# AwsVault's root module. Everything is in AwsVault.PowerShell.dll (loaded first, as a nested module) except
# Invoke-AwsVault, which is a function for one reason: a function can run the caller's script block with
# `&`, so its output, errors and every other stream flow exactly as if the block had been invoked directly
# (native programs keep their console), which a compiled cmdlet cannot do without buffering.
# Only the language and core cmdlets are used here; it must run in Windows PowerShell 5.1 too.

function Invoke-AwsVault {
    # .ExternalHelp AwsVault.psm1-help.xml

    # One positional parameter takes either a script block or a command line, because PowerShell's binder
    # cannot choose between a [scriptblock] parameter and a command after `--` by position alone.
    [CmdletBinding(DefaultParameterSetName = 'Positional', PositionalBinding = $false)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [ArgumentCompleter([AwsVault.Completion.ProfileNameCompleter])]
        [ValidateNotNullOrEmpty()]
        [string] $ProfileName,

        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'Positional', ValueFromRemainingArguments = $true)]
        [object[]] $Command,

        [Parameter(Mandatory = $true, ParameterSetName = 'ScriptBlock')]
        [scriptblock] $ScriptBlock,

        [Parameter(Mandatory = $true, ParameterSetName = 'FilePath')]
        [ValidateNotNullOrEmpty()]
        [string] $FilePath,

        [Parameter(ParameterSetName = 'Positional')]
        [Parameter(ParameterSetName = 'ScriptBlock')]
        [Parameter(ParameterSetName = 'FilePath')]
        [object[]] $ArgumentList,

        [AwsVault.Commands.DurationTransformation()] [TimeSpan] $Duration,
        [switch] $NoSession,
        [ValidateNotNullOrEmpty()] [string] $MfaToken,
        [ValidateNotNullOrEmpty()] [string] $Region,
        [switch] $Refresh,
        [ValidateSet('file', 'secretmanagement')] [string] $Backend,
        [ArgumentCompleter([AwsVault.Completion.SecretVaultNameCompleter])] [ValidateNotNullOrEmpty()] [string] $Vault
    )

    process {
        # The engine directly, not through Get-AwsVaultSession: a second command call per block doubled the cost.
        $session = [AwsVault.Commands.InvokeAwsVaultFunction]::IssueSession($PSCmdlet, $PSBoundParameters)

        $rest = @()
        if ($PSCmdlet.ParameterSetName -eq 'Positional') {
            if ($Command.Count -gt 1) { $rest = @($Command[1..($Command.Count - 1)]) }
            if ($null -ne $ArgumentList) { $rest += $ArgumentList }
            $ArgumentList = $rest
            if ($Command[0] -is [scriptblock]) {
                $ScriptBlock = $Command[0]
            }
            else {
                $FilePath = [string]$Command[0]
            }
        }
        if ($null -eq $ArgumentList) { $ArgumentList = @() }

        if ($ScriptBlock) {
            $scope = [AwsVault.Apply.EnvironmentScope]::Enter($session, $ExecutionContext.SessionState)
            try {
                & $ScriptBlock @ArgumentList
            }
            finally {
                $scope.Dispose()
            }
            return
        }

        $arguments = [string[]]$ArgumentList
        Invoke-AwsVaultProcess -Session $session -FilePath $FilePath -ArgumentList $arguments
    }
}
