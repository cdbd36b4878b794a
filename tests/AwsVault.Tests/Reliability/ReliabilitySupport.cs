using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.Reliability
{
    /// <summary>The trait that keeps the long variants out of the CI run (see the test project's
    /// VSTestTestCaseFilter and docs/RELIABILITY.md for the command that runs them).</summary>
    internal static class Category
    {
        public const string Name = "Category";
        public const string Long = "Long";
    }

    /// <summary>The whole process environment, compared as a unit: a scope that restores only the variables it
    /// knows about would pass a check of those variables and still leak.</summary>
    internal static class EnvironmentSnapshot
    {
        public static SortedDictionary<string, string> Take()
        {
            var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) d[(string)e.Key] = (string)e.Value;
            return d;
        }

        /// <summary>The differences, for an assertion message; names only and value lengths, since values here
        /// may be session secrets.</summary>
        public static string Diff(IDictionary<string, string> before, IDictionary<string, string> after)
        {
            var sb = new StringBuilder();
            foreach (var k in before.Keys.Union(after.Keys).OrderBy(k => k, StringComparer.Ordinal))
            {
                before.TryGetValue(k, out string b);
                after.TryGetValue(k, out string a);
                if (b == a) continue;
                sb.Append(k).Append(": ").Append(b == null ? "(unset)" : b.Length + " chars").Append(" -> ")
                  .Append(a == null ? "(unset)" : a.Length + " chars").Append("; ");
            }
            return sb.ToString();
        }
    }

    /// <summary>
    /// Secrets a scenario must never show, and the checks that look for them. Besides each whole secret, three
    /// 16-character pieces of it are looked for, so a truncated or partly masked secret is caught too.
    /// </summary>
    internal sealed class SecretWatch
    {
        private readonly Dictionary<string, string> _secrets = new Dictionary<string, string>(StringComparer.Ordinal);

        public int Count => _secrets.Count;

        public void Add(string label, string secret)
        {
            if (string.IsNullOrEmpty(secret)) return;
            _secrets[secret] = label;
        }

        /// <summary>Fails naming the secret's label and where it was seen (never the secret itself).</summary>
        public void AssertAbsent(string where, string text)
        {
            if (string.IsNullOrEmpty(text)) return;
            foreach (var pair in _secrets)
            {
                foreach (string piece in Pieces(pair.Key))
                {
                    if (text.IndexOf(piece, StringComparison.Ordinal) >= 0)
                    {
                        Assert.Fail(pair.Value + " (or a 16-character piece of it) appeared in " + where + ".");
                    }
                }
            }
        }

        private static IEnumerable<string> Pieces(string secret)
        {
            yield return secret;
            if (secret.Length < 24) yield break;
            yield return secret.Substring(0, 16);
            yield return secret.Substring(secret.Length / 2 - 8, 16);
            yield return secret.Substring(secret.Length - 16);
        }
    }

    /// <summary>How the leak scans run a scenario: with every stream switched on, and asserting it succeeded or
    /// failed with the expected id before its text is scanned.</summary>
    internal static class LoudRun
    {
        public const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'; ";

        public static ScriptResult Succeeds(PowerShellSession ps, string scenario, string script)
        {
            var r = ps.RunCatching(Preferences + script);
            if (r.FirstError != null) Assert.Fail(scenario + " failed: " + ScriptResult.Describe(r.FirstError));
            return r;
        }

        public static ScriptResult FailsWith(PowerShellSession ps, string scenario, string script, string errorId)
        {
            var r = ps.RunCatching(Preferences + script);
            Assert.True(r.Terminating != null, scenario + ": expected " + errorId + ", got " + (r.FirstError == null ? "no error" : ScriptResult.Describe(r.FirstError)));
            Assert.StartsWith(errorId + ",", r.Terminating.FullyQualifiedErrorId);
            return r;
        }
    }

    /// <summary>Everything a user or a log could see of a script's run, gathered more widely than
    /// <see cref="ScriptResult.AllText"/>: every error's exception chain, details, target and category text, and
    /// every property of every output object.</summary>
    internal static class Visible
    {
        public static string Of(ScriptResult r, bool includeOutput = true)
        {
            var sb = new StringBuilder();
            if (includeOutput)
            {
                foreach (var o in r.Output) AppendObject(sb, o);
            }
            foreach (var e in r.Errors.Concat(r.Terminating == null ? Array.Empty<ErrorRecord>() : new[] { r.Terminating }))
            {
                AppendError(sb, e);
            }
            foreach (var s in r.Warnings.Concat(r.Verbose).Concat(r.Debug).Concat(r.Information).Concat(r.Progress)) sb.AppendLine(s);
            return sb.ToString();
        }

        public static void AppendError(StringBuilder sb, ErrorRecord e)
        {
            sb.AppendLine(e.ToString());
            sb.AppendLine(e.Exception?.ToString());
            for (Exception x = e.Exception; x != null; x = x.InnerException)
            {
                sb.AppendLine(x.Message);
                foreach (DictionaryEntry d in x.Data) sb.AppendLine(d.Key + "=" + d.Value);
            }
            sb.AppendLine(e.ErrorDetails?.Message).AppendLine(e.ErrorDetails?.RecommendedAction);
            sb.AppendLine(e.CategoryInfo.ToString()).AppendLine(e.CategoryInfo.Reason).AppendLine(e.CategoryInfo.TargetName);
            sb.AppendLine(e.TargetObject?.ToString());
            sb.AppendLine(e.FullyQualifiedErrorId).AppendLine(e.ScriptStackTrace);
        }

        public static void AppendObject(StringBuilder sb, PSObject o)
        {
            if (o == null) return;
            sb.AppendLine(o.ToString());
            if (o.BaseObject is string || o.BaseObject is ValueType) return;
            foreach (var p in o.Properties)
            {
                object value;
                try { value = p.Value; }
                catch (Exception ex) when (ex is GetValueException || ex is ExtendedTypeSystemException) { continue; }
                if (value == null) continue;
                sb.Append(p.Name).Append('=').AppendLine(value.ToString());
            }
        }
    }
}

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// CPU time of this process's finished child processes (getrusage RUSAGE_CHILDREN), so a test can report
    /// what its children cost independently of how busy the machine was: wall time on a shared 2-core box says
    /// little, CPU seconds say what CI will pay.
    /// </summary>
    internal static class ChildCpu
    {
        public static TimeSpan Now()
        {
            if (OperatingSystem.IsWindows()) return TimeSpan.Zero;
            var usage = new RUsage();
            if (getrusage(-1, ref usage) != 0) return TimeSpan.Zero;
            return TimeSpan.FromTicks((usage.UserSec + usage.SysSec) * TimeSpan.TicksPerSecond + (usage.UserUsec + usage.SysUsec) * 10);
        }

        public static TimeSpan Since(TimeSpan start) => Now() - start;

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        private struct RUsage
        {
            public long UserSec, UserUsec, SysSec, SysUsec;
            // The rest of struct rusage: 14 longs this code does not read.
            public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
        }

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        private static extern int getrusage(int who, ref RUsage usage);
    }
}
