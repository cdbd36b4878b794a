using Xunit;

// Tests run in parallel, except those in the "Process environment" collection (Harness/ProcessEnvironment.cs):
// environment variables are process-wide and every PowerShell-hosted test sets HOME, AWS_CONFIG_FILE and the
// vault variables for itself, so those run one at a time among themselves.
[assembly: CollectionBehavior(DisableTestParallelization = false)]
