# Invoke-AwsVault, dot-sourced by AwsVault.psm1 after it imported AwsVault.PowerShell.dll: the attributes of its
# parameters name types of that assembly, and PowerShell resolves them when it parses the file, so this file may
# only be parsed once the assembly is loaded. Only the language and core cmdlets are used here; it must run in
# Windows PowerShell 5.1 too.

function Invoke-AwsVault {
    # .ExternalHelp AwsVault.psm1-help.xml

    # Position 0 is [object], not [string], and takes no pipeline input by property name: a script block there
    # is what to run when the profile comes from the pipeline or $env:AWS_PROFILE. Typed [string] it would be
    # turned into a profile name, and bound by property name it became a delay-bind script block that
    # PowerShell ran once per piped object, outside any session.
    [CmdletBinding(DefaultParameterSetName = 'Positional', PositionalBinding = $false, HelpUri = 'https://github.com/awsvault-powershell/AwsVault/blob/main/docs/help/Invoke-AwsVault.md')]
    param(
        [Parameter(Position = 0)]
        [ArgumentCompleter([AwsVault.Completion.ProfileNameCompleter])]
        [ValidateNotNullOrEmpty()]
        [object] $ProfileName,

        [Parameter(Position = 1, ParameterSetName = 'Positional', ValueFromRemainingArguments = $true)]
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

        [Parameter(ValueFromPipeline = $true)]
        [object] $InputObject,

        [AwsVault.Commands.DurationTransformation()] [TimeSpan] $Duration,
        [switch] $NoSession,
        [ValidateNotNullOrEmpty()] [string] $MfaToken,
        [ValidateNotNullOrEmpty()] [string] $Region,
        [switch] $Refresh,
        [switch] $Server,
        [ValidateSet('file', 'secretmanagement')] [string] $Backend,
        [ArgumentCompleter([AwsVault.Completion.SecretVaultNameCompleter])] [ValidateNotNullOrEmpty()] [string] $Vault
    )

    process {
        # The engine directly, not through Get-AwsVaultSession: a second command call per block doubled the cost.
        $plan = [AwsVault.Commands.InvokeAwsVaultFunction]::Prepare($PSCmdlet, $PSBoundParameters)
        $arguments = $plan.ArgumentList

        # With -Server the plan holds a running credential server: it stops when the block or child ends,
        # however it ends.
        try {
            if ($plan.ScriptBlock) {
                if ($plan.Server) {
                    $scope = [AwsVault.Apply.EnvironmentScope]::Enter($plan.Server, $ExecutionContext.SessionState)
                }
                else {
                    $scope = [AwsVault.Apply.EnvironmentScope]::Enter($plan.Session, $ExecutionContext.SessionState)
                }
                try {
                    & $plan.ScriptBlock @arguments
                }
                finally {
                    $scope.Dispose()
                }
                return
            }

            try {
                if ($plan.Server) {
                    Invoke-AwsVaultProcess -Server $plan.Server -FilePath $plan.FilePath -ArgumentList ([string[]]$arguments)
                }
                else {
                    Invoke-AwsVaultProcess -Session $plan.Session -FilePath $plan.FilePath -ArgumentList ([string[]]$arguments)
                }
            }
            catch {
                # Reported as Invoke-AwsVault's own error: the user never called the internal cmdlet.
                $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($_, $_.Exception))
            }
        }
        finally {
            $plan.Dispose()
        }
    }
}
