using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using AwsVault.Config;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace AwsVault.Tests.Reliability
{
    /// <summary>
    /// Generated configs, structured but nasty: real and broken section headers, the keys the engine reads in
    /// odd spellings, include_profile and source_profile pointing anywhere (themselves, each other in loops,
    /// nowhere), continuation and nested lines, comments that are and are not comments, Unicode and odd
    /// whitespace, BOMs and three kinds of line ending. Each goes through ConfigFile.Parse and then, for every
    /// profile and every name referenced, ProfileResolver.Resolve, ResolveSourceChain and RequireProfile and
    /// every typed setting. The only exception allowed is AwsVaultException, and each one from the config must
    /// start with "PATH line N: " for a line N that exists and, for errors about a setting, holds that setting.
    /// ProfileNotFound (RequireProfile of a name that is nowhere) is the documented exception without a line.
    /// </summary>
    public class ConfigFuzzTests
    {
        private const string FilePath = "/home/fuzz tester/.aws/ünï config";
        private const string Canary = "CANARY-line-text";

        private static readonly string[] Names =
        {
            "a", "b", "c", "default", "dev", "Dev", "prod", "ünïcødé", "x y", "p#1", "p;2", "日本", "👤", "a.b", "a%2Fb", "sso",
        };

        private static readonly string[] ReadKeys =
        {
            "region", "source_profile", "include_profile", "role_arn", "mfa_serial", "duration_seconds", "session_tags",
            "transitive_session_tags", "sso_session", "sso_start_url", "sso_region", "credential_process", "mfa_process",
            "external_id", "role_session_name", "endpoint_url", "web_identity_token_file", "s3",
            "Source_Profile", "INCLUDE_PROFILE", "Duration_Seconds", "session_TAGS",
        };

        private static readonly Regex Where = new Regex("^" + Regex.Escape(FilePath) + " line (\\d+): ", RegexOptions.CultureInvariant);

        private readonly ITestOutputHelper _output;
        private readonly Dictionary<string, int> _outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        private int _configs;

        public ConfigFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void TenThousandGeneratedConfigsFailOnlyWithAwsVaultErrorsThatNameFileAndLine() => Fuzz(10_000);

        [Fact]
        [Trait(Category.Name, Category.Long)]
        public void TwoHundredThousandGeneratedConfigsFailOnlyWithAwsVaultErrorsThatNameFileAndLine() => Fuzz(200_000);

        private void Fuzz(int count)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var property = Prop.ForAll(Arb.From(Configs(), Shrink), (string text) => Check(text));
            FsCheck.Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(count).WithEndSize(40).WithQuietOnSuccess(true), property);

            _output.WriteLine(_configs + " configs in " + clock.Elapsed.TotalSeconds.ToString("0.0") + " s: " +
                string.Join(", ", _outcomes.OrderByDescending(p => p.Value).Select(p => p.Key + " " + p.Value)));
            Assert.True(_configs >= count, "only " + _configs + " configs were checked");
            // The generator must reach every kind of outcome, or the property proved less than it claims.
            foreach (string expected in new[] { "parsed", "ConfigSyntaxError", "ConfigProfileLoop", "ConfigIncludeProfileNotFound", "ConfigSourceProfileNotFound", "ConfigInvalidValue", "ProfileNotFound" })
            {
                Assert.True(_outcomes.GetValueOrDefault(expected) >= count / 200, "too few configs ended in " + expected + ": " + _outcomes.GetValueOrDefault(expected));
            }
        }

        private void Check(string text)
        {
            Interlocked.Increment(ref _configs);
            var where = new Lines(text);
            ConfigFile file;
            try
            {
                file = ConfigFile.Parse(text, FilePath);
            }
            catch (AwsVaultException e)
            {
                CheckError(e, where);
                return;
            }
            Count("parsed");

            var resolver = new ProfileResolver(file);
            foreach (string name in file.ProfileNames.Concat(Names).Distinct(StringComparer.Ordinal))
            {
                Try(() => Touch(resolver.Resolve(name), where), where);
                Try(() => { foreach (var p in resolver.ResolveSourceChain(name)) Touch(p, where); }, where);
                Try(() => resolver.ResolveSourceChain(name, n => n == "dev"), where);
                Try(() => resolver.RequireProfile(name), where);
            }
        }

        /// <summary>Reads every setting: values are checked when read, so this is where bad values surface. Each
        /// read that can fail is tried on its own, so one bad value does not hide another.</summary>
        private void Touch(ProfileSettings s, Lines where)
        {
            _ = s.Values.Count;
            _ = s.Region; _ = s.MfaSerial; _ = s.RoleArn; _ = s.SourceProfile; _ = s.IncludeProfile; _ = s.CredentialProcess;
            _ = s.EndpointUrl; _ = s.ExternalId; _ = s.RoleSessionName; _ = s.MfaProcess; _ = s.SsoAccountId; _ = s.SsoRoleName;
            _ = s.TransitiveSessionTags?.Count;
            Try(() => _ = s.DurationSeconds, where);
            Try(() => _ = s.SessionTags, where);
            Try(() => _ = s.SsoStartUrl, where);
            Try(() => _ = s.SsoRegion, where);
            Try(() => _ = s.SsoSessionSection, where);
        }

        private void Try(Action action, Lines where)
        {
            try
            {
                action();
            }
            catch (AwsVaultException e)
            {
                CheckError(e, where);
            }
        }

        private void CheckError(AwsVaultException e, Lines where)
        {
            Count(e.ErrorId);
            if (e.ErrorId == "ProfileNotFound")
            {
                Assert.StartsWith("Profile '", e.Message);
                Assert.Contains(FilePath, e.Message);
                return;
            }
            var match = Where.Match(e.Message);
            Assert.True(match.Success, e.ErrorId + " does not start with 'PATH line N: ': " + e.Message);
            int line = int.Parse(match.Groups[1].Value);
            Assert.InRange(line, 1, Math.Max(1, where.Count));
            string at = where.Text(line).ToLowerInvariant();
            switch (e.ErrorId)
            {
                case "ConfigSyntaxError":
                    // The offending line is named, never quoted: it could hold a secret pasted by mistake.
                    Assert.DoesNotContain(Canary, e.Message);
                    break;
                case "ConfigProfileLoop":
                case "ConfigIncludeProfileNotFound":
                case "ConfigSourceProfileNotFound":
                    Assert.True(at.Contains("include_profile") || at.Contains("source_profile"), e.ErrorId + " names line " + line + ", which sets neither include_profile nor source_profile: " + e.Message);
                    break;
                case "ConfigInvalidValue":
                    Assert.True(at.Contains("duration_seconds") || at.Contains("session_tags"), e.ErrorId + " names line " + line + ", which holds no such setting: " + e.Message);
                    break;
                case "ConfigSsoSessionNotFound":
                    Assert.True(at.Contains("sso_session"), e.ErrorId + " names line " + line + ", which sets no sso_session: " + e.Message);
                    break;
                default:
                    Assert.Fail("unexpected error from the config: " + e.ErrorId + ": " + e.Message);
                    break;
            }
        }

        private void Count(string outcome)
        {
            lock (_outcomes) _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        }

        /// <summary>The config's lines as the parser counts them: \r\n, \r and \n each end a line, and a final
        /// line break starts no new one.</summary>
        private sealed class Lines
        {
            private readonly List<string> _lines = new List<string>();

            public Lines(string text)
            {
                int pos = 0;
                while (pos < text.Length)
                {
                    int end = pos;
                    while (end < text.Length && text[end] != '\n' && text[end] != '\r') end++;
                    _lines.Add(text.Substring(pos, end - pos));
                    if (end >= text.Length) break;
                    pos = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
                }
            }

            public int Count => _lines.Count;

            public string Text(int line) => line >= 1 && line <= _lines.Count ? _lines[line - 1] : string.Empty;
        }

        // ---- the generator -------------------------------------------------------------------------------

        private static Gen<string> Configs()
        {
            var name = Gen.Elements(Names);
            var space = Gen.Elements("", "", " ", "  ", "\t", " \t", "\u00a0", "\u3000");
            var header = Gen.OneOf(
                name.Select(n => "[profile " + n + "]"),
                name.Select(n => "[profile " + n + "]"),
                Gen.Constant("[default]"),
                name.Select(n => "[ profile   " + n + " ]"),
                name.Select(n => "[profile\t" + n + "]"),
                name.Select(n => "[profile" + n + "]"),
                name.Select(n => "[sso-session " + n + "]"),
                name.Select(n => "[" + n + "]"),
                name.Select(n => "[profile " + n + "] # a comment"));
            var brokenHeader = Gen.OneOf(
                name.Select(n => "[profile " + n + "]# not a comment"),
                name.Select(n => "[profile " + n),
                Gen.Elements("[]", "[ ]", "[profile ]", "[profile [a]]", "[" + Canary, "[profile a] trailing"));
            var value = Gen.OneOf(
                name,
                Gen.Elements("3600", "900", "-1", "0", "abc", "99999999999", "１２３", "1e3", " 60 ", "", "", "a=1,b=2", "=x", "a=1,A=2", ",,",
                    "k=", "https://example.com/#frag", "v # comment", "v ;comment", "v#kept", "arn:aws:iam::111122223333:role/R",
                    "ünïcødé value", "tab\tinside", "\u2028sep", "\u0085next"));
            var key = Gen.Elements(ReadKeys.Concat(new[] { "ключ", "a b", "\u00a0region", "x" }).ToArray());
            var separator = Gen.Elements("=", " = ", " =", "= ", "\t=\t", "==", " = = ");
            var setting = from lead in space from k in key from sep in separator from v in value select lead + k + sep + v;
            var reference = from k in Gen.Elements("include_profile", "source_profile", "source_profile", "Include_Profile") from n in name select k + " = " + n;
            var indented = from lead in Gen.Elements("  ", "\t", "    ", "\t\t") from content in Gen.OneOf(setting, value, Gen.Elements("= v", "no equals " + Canary, "sub = v")) select lead + content;
            var comment = from lead in space from mark in Gen.Elements("#", ";") from t in Gen.OneOf(value, setting) select lead + mark + t;
            var junk = Gen.Elements("no equals here " + Canary, "]", "=value", "   ", "\0", "\ufeff", "\u2028", "\u0085 region = x", Canary + " [profile a]");
            var cleanLine = Gen.Frequency((6, header), (8, setting), (7, reference), (2, indented), (2, comment), (1, Gen.Constant("")));
            var nastyLine = Gen.Frequency((6, header), (8, setting), (7, reference), (2, indented), (2, comment), (1, Gen.Constant("")), (2, brokenHeader), (2, junk));
            // Most configs start with a header and hold only lines that parse, so the resolver gets plenty to
            // chew on; the rest mix in broken headers and junk anywhere, the first line included.
            var clean = from first in header from rest in Gen.ListOf(cleanLine) select new[] { first }.Concat(rest).ToList();
            var nasty = from all in Gen.ListOf(nastyLine) select all.ToList();
            return from lines in Gen.Frequency((7, clean), (3, nasty))
                   from eol in Gen.Elements("\n", "\n", "\r\n", "\r")
                   from mixed in Gen.Elements(false, false, true)
                   from bom in Gen.Elements(false, false, false, true)
                   from endsWithBreak in Gen.Elements(true, false)
                   select Assemble(lines, eol, mixed, bom, endsWithBreak);
        }

        /// <summary>A failing config shrinks by dropping one line at a time, so a report shows the few lines that matter.</summary>
        private static IEnumerable<string> Shrink(string text)
        {
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length && lines.Length > 1; i++)
            {
                yield return string.Join("\n", lines.Take(i).Concat(lines.Skip(i + 1)));
            }
        }

        private static string Assemble(List<string> lines, string eol, bool mixed, bool bom, bool endsWithBreak)
        {
            var sb = new StringBuilder();
            if (bom) sb.Append('\uFEFF');
            string[] endings = { "\n", "\r\n", "\r" };
            for (int i = 0; i < lines.Count; i++)
            {
                sb.Append(lines[i]);
                if (i < lines.Count - 1 || endsWithBreak) sb.Append(mixed ? endings[(i * 7 + lines[i].Length) % 3] : eol);
            }
            return sb.ToString();
        }
    }
}
