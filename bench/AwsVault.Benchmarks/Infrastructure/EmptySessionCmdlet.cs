using System;
using System.Management.Automation;
using AwsVault.Completion;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>
    /// Get-AwsVaultSession's parameters (SessionCmdlet, StoreCmdlet) on a cmdlet that does nothing but write
    /// one object: what PowerShell charges to call a compiled cmdlet of that shape, so the rest of a memory
    /// hit can be put down to AwsVault's own work. Imported into the benchmark runspace from this assembly.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BenchEmptySession")]
    public sealed class EmptySessionCmdlet : PSCmdlet
    {
        private static readonly object Result = new object();

        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; }

        [Parameter]
        [ValidateSet("file", "secretmanagement", IgnoreCase = true)]
        public string Backend { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(SecretVaultNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; }

        [Parameter]
        public TimeSpan Duration { get; set; }

        [Parameter]
        public SwitchParameter NoSession { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string MfaToken { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Region { get; set; }

        [Parameter]
        public SwitchParameter Refresh { get; set; }

        protected override void ProcessRecord() => WriteObject(Result);
    }
}
