using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Xunit;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.MultiProcess
{
    /// <summary>
    /// The test pwsh itself (tests/PwshHost, built from Microsoft.PowerShell.SDK): later tests read its exit
    /// codes and streams as they would an installed pwsh's, so it must be that pwsh, with the console host and
    /// the built-in modules. Error texts are read in pwsh's default ConciseView, or in NormalView where a
    /// test needs the FullyQualifiedErrorId (the script sets $ErrorView, as a user would).
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class PwshHostTests
    {
        [Fact]
        public async Task ItIsPwsh76WithTheConsoleHostAndTheBuiltInModules()
        {
            var r = await PwshHostProcess.RunAsync(null, "-NoProfile", "-NonInteractive", "-Command",
                "$PSVersionTable.PSVersion.ToString(); $Host.Name; " +
                "foreach ($c in 'Get-Date', 'ConvertTo-Json', 'Select-Object', 'Get-Help', 'Write-Host', 'Get-Item', 'Get-Credential') { $c + '=' + (Get-Command $c -ErrorAction Stop).ModuleName }; " +
                "@{ answer = 42 } | ConvertTo-Json -Compress; " +
                "(Get-Help Get-Date).Name; " +
                "(Get-Command -CommandType Cmdlet | Measure-Object).Count -ge 200");
            Assert.True(r.ExitCode == 0, r.ToString());
            var lines = Lines(r.StdOut);
            Assert.Matches(@"^7\.6\.\d+$", lines[0]);
            Assert.Equal("ConsoleHost", lines[1]);
            Assert.Equal(new[]
            {
                "Get-Date=Microsoft.PowerShell.Utility", "ConvertTo-Json=Microsoft.PowerShell.Utility",
                "Select-Object=Microsoft.PowerShell.Utility", "Get-Help=Microsoft.PowerShell.Core",
                "Write-Host=Microsoft.PowerShell.Utility", "Get-Item=Microsoft.PowerShell.Management",
                "Get-Credential=Microsoft.PowerShell.Security",
                "{\"answer\":42}", "Get-Date", "True",
            }, lines[2..]);
            Assert.Equal(string.Empty, r.StdErr);
        }

        [Theory]
        [InlineData("'fine'", 0)]
        [InlineData("exit 7", 7)]
        [InlineData("throw 'boom'; 'not reached'", 1)]
        [InlineData("$ErrorActionPreference = 'Stop'; nosuchcommand; 'not reached'", 1)]
        // -Command takes its exit code from $? of the last statement, like pwsh.
        [InlineData("[int]::Parse('x')", 1)]
        [InlineData("nosuchcommand; 'recovered'", 0)]
        public async Task ExitCodesFollowPwshCommand(string script, int expected)
        {
            var r = await PwshHostProcess.RunAsync(null, "-NoProfile", "-NonInteractive", "-Command", script);
            Assert.False(r.TimedOut, r.ToString());
            Assert.True(expected == r.ExitCode, "expected exit " + expected + ", got " + r);
            Assert.DoesNotContain("not reached", r.StdOut);
        }

        [Fact]
        public async Task OutputWarningsAndHostTextGoToStdoutAndErrorsToStderr()
        {
            const string script =
                "function Show { [CmdletBinding()] param() " +
                "  $PSCmdlet.WriteWarning('careful'); $PSCmdlet.WriteVerbose('chatty'); " +
                "  $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([InvalidOperationException]::new('it broke'), 'ShowFailed', 'InvalidOperation', $null)); " +
                "  'result line' }; " +
                "Show -Verbose; Write-Host 'host line'; 2 + 3";
            var r = await PwshHostProcess.RunAsync(null, "-NonInteractive", "-Command", script);

            Assert.True(r.ExitCode == 0, r.ToString());
            // NO_COLOR (set by the harness) keeps pwsh's ANSI colours out of redirected output.
            Assert.Equal(new[] { "WARNING: careful", "VERBOSE: chatty", "result line", "host line", "5" }, Lines(r.StdOut));
            Assert.DoesNotContain("it broke", r.StdOut);
            Assert.Equal("Show: it broke", r.StdErr.Trim());

            var normal = await PwshHostProcess.RunAsync(null, "-NonInteractive", "-Command", "$ErrorView = 'NormalView'; " + script);
            Assert.Contains("Show : it broke", normal.StdErr);
            Assert.Contains("InvalidOperation: (:) [Show], InvalidOperationException", normal.StdErr);
            Assert.Contains("FullyQualifiedErrorId : ShowFailed,Show", normal.StdErr);
        }

        [Fact]
        public async Task NonInteractiveReadsFailLikePwshAndTheFlagIsInTheProcessArguments()
        {
            var r = await PwshHostProcess.RunAsync(null, "-NonInteractive", "-Command",
                "$ErrorView = 'NormalView'; [Environment]::GetCommandLineArgs() -contains '-NonInteractive'; $Host.UI.ReadLine()");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Equal(new[] { "True" }, Lines(r.StdOut));
            Assert.Contains("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.", r.StdErr);
            Assert.Contains("FullyQualifiedErrorId : PSInvalidOperationException", r.StdErr);
        }

        [Fact]
        public async Task AnInteractiveHostReadsStdin()
        {
            var run = PwshHostProcess.Start(PwshHostProcess.StartInfo(null, "-Command", "'got ' + $Host.UI.ReadLine()"), stdin: "typed answer\n");
            var r = await run.WaitAsync(PwshHostProcess.DefaultTimeout);
            Assert.True(r.ExitCode == 0, r.ToString());
            // pwsh's console host echoes a line it read from redirected input, as a terminal would show it.
            Assert.Equal(new[] { "typed answer", "got typed answer" }, Lines(r.StdOut));
        }

        [Fact]
        public async Task FileRunsAScriptWithItsArgumentsAndExitCode()
        {
            string dir = Path.Combine(Path.GetTempPath(), "pwshhost-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            try
            {
                string script = Path.Combine(dir, "args.ps1");
                File.WriteAllText(script, "param([string]$Name, [switch]$Loud, $Rest)\n\"$Name|$Loud|$Rest|$PSScriptRoot\"\nif ($Name -eq 'quit') { exit 5 }\n");
                var named = await PwshHostProcess.RunAsync(null, "-NoProfile", "-File", script, "-Name", "dev", "-Loud", "extra");
                Assert.True(named.ExitCode == 0, named.ToString());
                Assert.Equal(new[] { "dev|True|extra|" + dir }, Lines(named.StdOut));

                var quit = await PwshHostProcess.RunAsync(null, "-File", script, "quit");
                Assert.True(quit.ExitCode == 5, quit.ToString());
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public async Task ABadCommandLineExits64()
        {
            var r = await PwshHostProcess.RunAsync(null, "-NoSuchSwitch", "-Command", "'x'");
            Assert.True(r.ExitCode == 64, r.ToString());
            Assert.Contains("-NoSuchSwitch", r.StdErr);
        }

        [Fact]
        public async Task CtrlCStopsThePipelineAndRunsFinallyBlocks()
        {
            if (OperatingSystem.IsWindows()) return; // SIGINT through kill(2) is Unix; Windows has no kill(2) to send it.
            string marker = Path.Combine(Path.GetTempPath(), "pwshhost-loop-" + Guid.NewGuid().ToString("N"));
            try
            {
                var psi = PwshHostProcess.StartInfo(null, "-NonInteractive", "-Command",
                    "try { 'started'; [IO.File]::WriteAllText(" + PwshHostProcess.Quote(marker) + ", ''); while ($true) { Start-Sleep -Milliseconds 20 } } finally { $Host.UI.WriteLine('cleaned up') }");
                // A process started in the background of a non-interactive shell (as CI may start `dotnet test`)
                // inherits SIGINT ignored, and .NET keeps an inherited SIG_IGN for SIGINT; a user's pwsh in a
                // terminal has the default disposition, which env(1) restores here.
                psi.ArgumentList.Insert(0, psi.FileName);
                psi.ArgumentList.Insert(0, "--default-signal=INT");
                psi.FileName = "/usr/bin/env";
                var run = PwshHostProcess.Start(psi);
                // Signal only once the loop runs: before that there is no pipeline to stop.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!File.Exists(marker) && !run.Process.HasExited && DateTime.UtcNow < deadline) await Task.Delay(20);
                Assert.True(File.Exists(marker), "the script never started its loop");
                Assert.Equal(0, kill(run.Process.Id, 2));
                var r = await run.WaitAsync(PwshHostProcess.DefaultTimeout);
                // pwsh -Command ends with exit 1 when Ctrl+C stopped its pipeline.
                Assert.False(r.TimedOut, r.ToString());
                Assert.True(r.ExitCode == 1, r.ToString());
                Assert.Equal(new[] { "started", "cleaned up" }, Lines(r.StdOut));
            }
            finally
            {
                File.Delete(marker);
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        internal static string[] Lines(string text) =>
            text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n', StringSplitOptions.None);
    }
}
