using Xunit;

// Environment variables are process-wide and every PowerShell-hosted test sets HOME, AWS_CONFIG_FILE and
// the vault variables for itself, so tests in this process run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
