using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsVault.Tests.Harness;
using AwsVault.Tests.Sessions;
using AwsVault.Tests.StsEmulator;
using Xunit;
using static AwsVault.Tests.Commands.ProfileCommandsTests;
using AwsVault.Output;

namespace AwsVault.Tests.Invoke
{
    /// <summary>Invoke-AwsVault in both forms, Enter-AwsVaultShell and Export-AwsVaultSession, against the emulator.</summary>
    [Collection(ProcessEnvironment.Name)]
    public class InvokeAwsVaultTests
    {
        private static readonly string[] SessionVariables =
        {
            "AWS_VAULT", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_FILE",
            "AWS_DEFAULT_PROFILE", "AWS_PROFILE", "AWS_SDK_LOAD_CONFIG",
        };

        private static Dictionary<string, string> Snapshot()
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables()) d[(string)e.Key] = (string)e.Value;
            return d;
        }

        private static void PresetCallerEnvironment(SessionFixture f)
        {
            f.Env.Set("AWS_PROFILE", "someone-else");
            f.Env.Set("AWS_SECURITY_TOKEN", "legacy-token-value");
            f.Env.Set("AWS_REGION", null);
            f.Env.Set("AWS_DEFAULT_REGION", null);
        }

        [Fact]
        public void TheBlockSeesExactlyTheSessionAndTheEnvironmentIsRestoredAfterwards()
        {
            using var f = new SessionFixture();
            PresetCallerEnvironment(f);
            var before = Snapshot();
            var r = f.Ps.Run("Invoke-AwsVault bob { foreach ($n in $args) { $n + '=' + [Environment]::GetEnvironmentVariable($n) } } -ArgumentList " +
                             string.Join(",", SessionVariables.Select(v => "'" + v + "'"))).ThrowIfErrors();
            var seen = r.Output.Select(o => o.ToString().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var issued = f.World.Sessions.Single();
            Assert.Equal("bob", seen["AWS_VAULT"]);
            Assert.Equal("us-west-2", seen["AWS_REGION"]);
            Assert.Equal("us-west-2", seen["AWS_DEFAULT_REGION"]);
            Assert.Equal(issued.AccessKeyId, seen["AWS_ACCESS_KEY_ID"]);
            Assert.Equal(issued.SecretAccessKey, seen["AWS_SECRET_ACCESS_KEY"]);
            Assert.Equal(issued.SessionToken, seen["AWS_SESSION_TOKEN"]);
            Assert.Equal(issued.Expiration.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), seen["AWS_CREDENTIAL_EXPIRATION"]);
            foreach (string unset in new[] { "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_FILE", "AWS_DEFAULT_PROFILE", "AWS_PROFILE", "AWS_SDK_LOAD_CONFIG" })
            {
                Assert.Equal("", seen[unset]);
            }
            Assert.Equal(before, Snapshot());
        }

        [Fact]
        public void TheEnvironmentIsRestoredWhenTheBlockThrows()
        {
            using var f = new SessionFixture();
            PresetCallerEnvironment(f);
            var before = Snapshot();
            var r = f.Ps.RunCatching("Invoke-AwsVault bob { 'partial'; throw 'boom' }");
            Assert.NotNull(r.Terminating);
            Assert.Equal("boom", r.Terminating.Exception.Message);
            Assert.Equal("partial", r.Output.Single().ToString());
            Assert.Equal(before, Snapshot());
        }

        [Fact]
        public void TheEnvironmentIsRestoredWhenThePipelineIsStopped()
        {
            using var f = new SessionFixture();
            PresetCallerEnvironment(f);
            var before = Snapshot();
            using var ps = PowerShell.Create();
            ps.Runspace = f.Ps.Runspace;
            ps.AddScript("Invoke-AwsVault bob { [Environment]::SetEnvironmentVariable('AWSVAULT_TEST_INSIDE', '1'); while ($true) { [System.Threading.Thread]::Sleep(20) } }");
            var async = ps.BeginInvoke();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (System.Environment.GetEnvironmentVariable("AWSVAULT_TEST_INSIDE") != "1" && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.Equal("bob", System.Environment.GetEnvironmentVariable("AWS_VAULT"));
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(async));
            System.Environment.SetEnvironmentVariable("AWSVAULT_TEST_INSIDE", null);
            Assert.Equal(before, Snapshot());
        }

        [Fact]
        public void OutputErrorsAndStreamsFlowAsIfTheBlockRanDirectly()
        {
            using var f = new SessionFixture();
            // Only core cmdlets exist here, so the block writes to the streams through an advanced script block.
            var r = f.Ps.Run(
                "Invoke-AwsVault bob { 1; & { [CmdletBinding()] param() $VerbosePreference = 'Continue'; " +
                "$PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new('soft'), 'Soft', 'NotSpecified', $null)); " +
                "$PSCmdlet.WriteWarning('careful'); $PSCmdlet.WriteVerbose('detail'); $PSCmdlet.WriteInformation('info', [string[]]@()) }; 2 }");
            Assert.Equal(new[] { "1", "2" }, r.Output.Select(o => o.ToString()).ToArray());
            Assert.Equal("soft", Assert.Single(r.Errors).Exception.Message);
            Assert.Contains("careful", r.Warnings);
            Assert.Contains("detail", r.Verbose);
            Assert.Contains("info", r.Information);
            var piped = f.Ps.Run("Invoke-AwsVault bob { 1..3 } | ForEach-Object { $_ * 10 }").ThrowIfErrors();
            Assert.Equal(new[] { "10", "20", "30" }, piped.Output.Select(o => o.ToString()).ToArray());
        }

        [Fact]
        public void AwsToolsStoredCredentialsAreShadowedForTheBlockOnly()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("$global:StoredAWSCredentials = 'from-set-awscredential'; Invoke-AwsVault bob { \"inside:$global:StoredAWSCredentials\" }; \"after:$global:StoredAWSCredentials\"").ThrowIfErrors();
            Assert.Equal(new[] { "inside:", "after:from-set-awscredential" }, r.Output.Select(o => o.ToString()).ToArray());
        }

        [Fact]
        public void AChildProcessGetsTheSessionAndItsExitCodeWhileTheCallerIsUntouched()
        {
            using var f = new SessionFixture();
            PresetCallerEnvironment(f);
            var before = Snapshot();
            string file = System.IO.Path.Combine(f.Env.Root, "child-env.txt");
            var r = f.Ps.Run("Invoke-AwsVault bob -- sh -c 'env > \"" + file + "\"; exit 7'; $LASTEXITCODE").ThrowIfErrors();
            Assert.Equal("7", r.Output.Single().ToString());
            var childEnv = System.IO.File.ReadAllLines(file).Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            Assert.Equal("bob", childEnv["AWS_VAULT"]);
            Assert.Equal(f.World.Sessions.Single().AccessKeyId, childEnv["AWS_ACCESS_KEY_ID"]);
            Assert.False(childEnv.ContainsKey("AWS_PROFILE"));
            Assert.False(childEnv.ContainsKey("AWS_SECURITY_TOKEN"));
            Assert.Equal(before, Snapshot());

            var viaFilePath = f.Ps.Run("Invoke-AwsVault bob -FilePath sh -ArgumentList '-c', 'exit 4'; $LASTEXITCODE").ThrowIfErrors();
            Assert.Equal("4", viaFilePath.Output.Single().ToString());
        }

        [Fact]
        public void AChildIsFoundOnThePathPastFilesThatCannotRun()
        {
            if (OperatingSystem.IsWindows()) return; // Windows keeps PowerShell's own lookup, for PATHEXT
            using var f = new SessionFixture();
            string notRunnable = System.IO.Path.Combine(f.Env.Root, "path-a");
            string runnable = System.IO.Path.Combine(f.Env.Root, "path-b");
            System.IO.Directory.CreateDirectory(notRunnable);
            System.IO.Directory.CreateDirectory(runnable);
            string marker = System.IO.Path.Combine(f.Env.Root, "ran");
            // Same name twice: the first is a plain file, which a shell (and PowerShell) passes over.
            System.IO.File.WriteAllText(System.IO.Path.Combine(notRunnable, "awsvault-probe"), "#!/bin/sh\nexit 99\n");
            string probe = System.IO.Path.Combine(runnable, "awsvault-probe");
            System.IO.File.WriteAllText(probe, "#!/bin/sh\nprintf '%s' \"$AWS_VAULT\" > \"" + marker + "\"\nexit 5\n");
            System.IO.File.SetUnixFileMode(probe, System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite | System.IO.UnixFileMode.UserExecute);
            f.Env.Set("PATH", notRunnable + ":" + runnable + ":" + System.Environment.GetEnvironmentVariable("PATH"));

            var r = f.Ps.Run("Invoke-AwsVault bob -- awsvault-probe; $LASTEXITCODE").ThrowIfErrors();
            Assert.Equal("5", r.Output.Single().ToString());
            Assert.Equal("bob", System.IO.File.ReadAllText(marker));

            var missing = f.Ps.RunCatching("Invoke-AwsVault bob -- awsvault-no-such-program");
            Assert.Equal("CommandNotFound", missing.FirstError.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.FirstError.CategoryInfo.Category);
            Assert.Contains("'awsvault-no-such-program' is not a program on the PATH", missing.FirstError.Exception.Message);
        }

        [Fact]
        public void ArgumentsReachTheChildExactlyAsGiven()
        {
            using var f = new SessionFixture();
            string file = System.IO.Path.Combine(f.Env.Root, "args.txt");
            string[] tricky = { "a b", "q\"uote", "back\\slash\\", "", "tab\tin", "*", "$HOME", "semi;colon" };
            f.Ps.Run("$a = @(" + string.Join(",", tricky.Select(t => "'" + t.Replace("'", "''") + "'")) + "); " +
                     "Invoke-AwsVault bob -FilePath sh -ArgumentList (@('-c', 'for x in \"$@\"; do printf \"[%s]\\n\" \"$x\"; done > \"$0\"', '" + file + "') + $a)").ThrowIfErrors();
            Assert.Equal(tricky.Select(t => "[" + t + "]").ToArray(), System.IO.File.ReadAllText(file).TrimEnd('\n').Split('\n'));
        }

        [Fact]
        public void StoppingTheCallerStopsTheChild()
        {
            using var f = new SessionFixture();
            using var ps = PowerShell.Create();
            ps.Runspace = f.Ps.Runspace;
            string marker = System.IO.Path.Combine(f.Env.Root, "started");
            ps.AddScript("Invoke-AwsVault bob -- sh -c 'touch \"" + marker + "\"; sleep 60'");
            var started = DateTime.UtcNow;
            var async = ps.BeginInvoke();
            while (!System.IO.File.Exists(marker) && DateTime.UtcNow - started < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
            Assert.True(System.IO.File.Exists(marker));
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(async));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
        }

        [Fact]
        public void ANestedCallIsRefusedWithAwsVaultsMessage()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Invoke-AwsVault bob { Invoke-AwsVault bob { 'inner' } }");
            AssertError(r, "NestedSessionRefused", ErrorCategory.InvalidOperation);
            Assert.Contains("running in an existing aws-vault subshell; 'exit' from the subshell or unset AWS_VAULT to force", r.Terminating.Exception.Message);
            Assert.Contains("$env:AWS_VAULT = $null", r.Terminating.Exception.Message);
            Assert.Null(System.Environment.GetEnvironmentVariable("AWS_VAULT"));
            var shell = f.Ps.RunCatching("Invoke-AwsVault bob { Enter-AwsVaultShell bob -Shell /bin/sh }");
            AssertError(shell, "NestedSessionRefused", ErrorCategory.InvalidOperation);
        }

        [Fact]
        public void ExportWritesEachFormat()
        {
            using var f = new SessionFixture();
            var json = f.Ps.Run("Export-AwsVaultSession bob -Format CredentialProcess").ThrowIfErrors();
            var issued = f.World.Sessions.Single();
            var doc = System.Text.Json.JsonDocument.Parse(Assert.Single(json.Output).ToString()).RootElement;
            Assert.Equal(1, doc.GetProperty("Version").GetInt32());
            Assert.Equal(issued.AccessKeyId, doc.GetProperty("AccessKeyId").GetString());
            Assert.Equal(issued.SecretAccessKey, doc.GetProperty("SecretAccessKey").GetString());
            Assert.Equal(issued.SessionToken, doc.GetProperty("SessionToken").GetString());
            Assert.Equal(issued.Expiration.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), doc.GetProperty("Expiration").GetString());
            Assert.Equal(5, doc.EnumerateObject().Count());

            var env = f.Ps.Run("Export-AwsVaultSession bob -Format Env").ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
            Assert.Contains("AWS_ACCESS_KEY_ID=" + issued.AccessKeyId, env);
            Assert.Contains("AWS_SESSION_TOKEN=" + issued.SessionToken, env);
            Assert.Contains("AWS_REGION=us-west-2", env);
            Assert.DoesNotContain(env, l => l.StartsWith("AWS_VAULT="));
            var exportEnv = f.Ps.Run("Export-AwsVaultSession bob -Format ExportEnv").ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
            Assert.All(exportEnv, l => Assert.StartsWith("export AWS_", l));
            var ini = f.Ps.Run("Export-AwsVaultSession bob -Format Ini").ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
            Assert.Equal("[bob]", ini[0]);
            Assert.Contains("aws_session_token=" + issued.SessionToken, ini);
            Assert.Contains("region=us-west-2", ini);
            var pwsh = f.Ps.Run("Export-AwsVaultSession bob -Format PowerShell").ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
            Assert.Contains("$env:AWS_ACCESS_KEY_ID = '" + issued.AccessKeyId + "'", pwsh);
            // The PowerShell form is valid PowerShell that sets the variables.
            f.Ps.Run(string.Join("\n", pwsh) + "\n").ThrowIfErrors();
            Assert.Equal(issued.AccessKeyId, System.Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"));

            var piped = f.Ps.Run("Get-AwsVaultSession bob | Export-AwsVaultSession -Format Env").ThrowIfErrors();
            Assert.Contains("AWS_ACCESS_KEY_ID=" + issued.AccessKeyId, piped.Output.Select(o => o.ToString()));
            Assert.Single(f.World.Sessions);
        }

        [Fact]
        public void CredentialProcessExportWritesNothingButTheJson()
        {
            using var f = new SessionFixture();
            var r = f.Ps.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; Export-AwsVaultSession bob -Format CredentialProcess -Verbose").ThrowIfErrors();
            Assert.Single(r.Output);
            Assert.Empty(r.Verbose);
            Assert.Empty(r.Debug);
            Assert.Empty(r.Warnings);
            Assert.Empty(r.Information);
        }

        [Fact]
        public void ExportRefusesToWriteALongLivedKey()
        {
            using var f = new SessionFixture();
            var r = f.Ps.RunCatching("Export-AwsVaultSession bob -NoSession -Format Env");
            AssertError(r, "ExportOfLongLivedKeyRefused", ErrorCategory.SecurityError);
            Assert.DoesNotContain(EmulatedSts.BobSecret, r.AllText());
        }
    }
}
