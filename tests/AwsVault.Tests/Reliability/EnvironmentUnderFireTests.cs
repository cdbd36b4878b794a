using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AwsVault.Tests.Sessions;
using Xunit;
using Xunit.Abstractions;
using AwsVault.Output;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// Invoke-AwsVault's script-block form changes the process-wide environment for exactly as long as the block
    /// runs. Here a thousand blocks in one runspace (the session is cached, so each is a few milliseconds) end
    /// every way a block can end: normally, by throw, by a .NET exception, by break, after tampering with the
    /// session variables, or by PowerShell.Stop from another thread at a random moment (before, inside or
    /// after the block). After each one the whole environment must be what it was, AWS_PROFILE included.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class EnvironmentUnderFireTests
    {
        private readonly ITestOutputHelper _output;

        public EnvironmentUnderFireTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void AThousandThrownOrStoppedBlocksLeaveTheEnvironmentExactlyAsItWas() => Fire(1000);

        [Fact]
        [Trait(Category.Name, Category.Long)]
        public void TenThousandThrownOrStoppedBlocksLeaveTheEnvironmentExactlyAsItWas() => Fire(10000);

        private void Fire(int blocks)
        {
            using var f = new SessionFixture();
            // The caller's own settings, which the session must hide and then give back.
            f.Env.Set("AWS_PROFILE", "caller-profile");
            f.Env.Set("AWS_REGION", "ap-southeast-2");
            f.Env.Set("AWS_SECURITY_TOKEN", "caller-legacy-token");
            f.Env.Set("AWS_DEFAULT_REGION", null);
            f.Ps.Run("Get-AwsVaultSession bob; $global:StoredAWSCredentials = 'caller-credentials'").ThrowIfErrors();
            Assert.Single(f.World.Calls);
            using var inside = new ManualResetEventSlim();
            f.Ps.Runspace.SessionStateProxy.SetVariable("inside", inside);

            int seed = Environment.TickCount;
            var random = new Random(seed);
            _output.WriteLine("seed " + seed);
            var before = EnvironmentSnapshot.Take();
            var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            // How long a whole Invoke-AwsVault takes here, learnt from the blocks that complete, so that random
            // stops land inside the call (before, in and after the block) rather than after it has returned.
            double invokeTicks = Stopwatch.Frequency / 1000.0 * 3;

            for (int i = 0; i < blocks; i++)
            {
                inside.Reset();
                string kind;
                string script;
                switch (random.Next(7))
                {
                    case 0:
                        kind = "completes";
                        script = "Invoke-AwsVault bob { $env:AWS_VAULT }";
                        break;
                    case 1:
                        kind = "throws";
                        script = "Invoke-AwsVault bob { 'partial'; throw 'boom' }";
                        break;
                    case 2:
                        kind = ".NET exception";
                        script = "Invoke-AwsVault bob { [int]::Parse('not a number') }";
                        break;
                    case 3:
                        kind = "tampers, then throws";
                        script = "Invoke-AwsVault bob { $env:AWS_ACCESS_KEY_ID = 'tampered'; $env:AWS_PROFILE = 'inside'; $env:AWS_REGION = $null; " +
                                 "[Environment]::SetEnvironmentVariable('AWS_SESSION_TOKEN', 'x'); throw 'after tampering' }";
                        break;
                    case 4:
                        kind = "breaks out";
                        script = "Invoke-AwsVault bob { break }";
                        break;
                    case 5:
                        kind = "stopped inside";
                        script = "Invoke-AwsVault bob { $inside.Set(); while ($true) { [Threading.Thread]::Sleep(1) } }";
                        break;
                    default:
                        kind = "stopped at random";
                        script = "Invoke-AwsVault bob { [Threading.Thread]::SpinWait(" + random.Next(0, 20000) + "); 'done' }";
                        break;
                }

                string outcome;
                using (var ps = PowerShell.Create())
                {
                    ps.Runspace = f.Ps.Runspace;
                    ps.AddScript(script);
                    var took = Stopwatch.StartNew();
                    var pending = ps.BeginInvoke();
                    if (kind == "stopped inside")
                    {
                        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)), "block " + i + " never started");
                        ps.Stop();
                    }
                    else if (kind == "stopped at random")
                    {
                        // Anywhere from before Get-AwsVaultSession to after the scope is disposed.
                        var wait = Stopwatch.StartNew();
                        // Half of them early, where the session is fetched and the scope entered; the rest anywhere.
                        long ticks = (long)(random.NextDouble() * invokeTicks * (random.Next(2) == 0 ? 0.3 : 1.0));
                        while (wait.ElapsedTicks < ticks) Thread.SpinWait(20);
                        ps.Stop();
                    }
                    try
                    {
                        ps.EndInvoke(pending);
                        outcome = ps.HadErrors ? "errors" : "completed";
                        if (kind == "completes") invokeTicks = invokeTicks * 0.9 + took.ElapsedTicks * 0.1;
                    }
                    catch (PipelineStoppedException)
                    {
                        outcome = "stopped";
                    }
                    catch (RuntimeException)
                    {
                        outcome = "threw";
                    }
                }
                string key = kind + " -> " + outcome;
                outcomes[key] = outcomes.TryGetValue(key, out int n) ? n + 1 : 1;

                var after = EnvironmentSnapshot.Take();
                if (!after.SequenceEqual(before))
                {
                    Assert.Fail("block " + i + " (" + key + ") left the environment changed: " + EnvironmentSnapshot.Diff(before, after));
                }
                if (i % 100 == 99)
                {
                    var stored = f.Ps.Run("$global:StoredAWSCredentials").ThrowIfErrors();
                    Assert.Equal("caller-credentials", stored.Output.Single().ToString());
                }
            }

            _output.WriteLine(blocks + " blocks in " + clock.Elapsed.TotalSeconds.ToString("0.0") + " s: " +
                string.Join(", ", outcomes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + " " + p.Value)));
            // The cached session served every block: the environment was exercised, not STS.
            Assert.Single(f.World.Calls);
            Assert.Equal("caller-profile", Environment.GetEnvironmentVariable("AWS_PROFILE"));
            Assert.Null(Environment.GetEnvironmentVariable("AWS_VAULT"));
            // Each way of ending must actually have happened, or the test proved less than it claims.
            foreach (string kind in new[] { "completes -> completed", "throws -> threw", "stopped inside -> stopped", "tampers, then throws -> threw" })
            {
                Assert.True(outcomes.ContainsKey(kind), "no block ended as " + kind);
            }
            Assert.True(outcomes.Where(p => p.Key.StartsWith("stopped at random", StringComparison.Ordinal)).Sum(p => p.Value) > 0);
        }
    }
}
