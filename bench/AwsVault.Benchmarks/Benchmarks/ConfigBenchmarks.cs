using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Config;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// Issue item 3: ~/.aws/config parse and resolve as the file grows, with every profile in a 5-deep
    /// source_profile chain (a key profile, then four roles each assuming from the one before). Baseline:
    /// one pass over the text counting lines, the least any parser must do. "Load + resolve one" is what every
    /// Get-AwsVaultSession / Invoke-AwsVault pays today, since each call reads the file again.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class ConfigBenchmarks
    {
        [Params(10, 1_000, 10_000)]
        public int Profiles { get; set; }

        private string _text;
        private string _path;
        private string _dir;
        private string _deepest;

        [GlobalSetup]
        public void Setup()
        {
            try
            {
                _text = Generate(Profiles, out _deepest);
                _dir = Path.Combine(Path.GetTempPath(), "awsvault-bench-config-" + Guid.NewGuid().ToString("N").Substring(0, 8));
                Directory.CreateDirectory(_dir);
                _path = Path.Combine(_dir, "config");
                File.WriteAllText(_path, _text);
                // Chains of 1..5 hops per group of five, plus [default] alone: proves every profile was resolved.
                int hops = ParseAndResolveAll();
                if (hops != Profiles / 5 * 15 + 1) throw new InvalidOperationException("Resolved " + hops + " hops, expected " + (Profiles / 5 * 15 + 1));
                var chain = new ProfileResolver(ConfigFile.Parse(_text, _path)).ResolveSourceChain(_deepest);
                if (chain.Count != 5) throw new InvalidOperationException("The generated config should chain 5 deep, got " + chain.Count);
            }
            catch
            {
                Cleanup();
                throw;
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            if (_dir != null) try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        /// <summary>Groups of five: chain{g}-0 holds the key (mfa_serial, region); chain{g}-1..4 each assume a role from the one before.</summary>
        internal static string Generate(int profiles, out string deepest)
        {
            var sb = new StringBuilder("# generated for benchmarks\n[default]\nregion = us-east-1\noutput = json\n\n");
            deepest = null;
            for (int i = 0; i < profiles; i++)
            {
                int group = i / 5, depth = i % 5;
                string name = "chain" + group + "-" + depth;
                sb.Append("[profile ").Append(name).Append("]\n");
                if (depth == 0)
                {
                    sb.Append("region = eu-west-1\n")
                      .Append("mfa_serial = arn:aws:iam::111122223333:mfa/user").Append(group).Append('\n');
                }
                else
                {
                    sb.Append("source_profile = chain").Append(group).Append('-').Append(depth - 1).Append(" # hop ").Append(depth).Append('\n')
                      .Append("role_arn = arn:aws:iam::4444555").Append((group % 100000).ToString("D5")).Append(":role/r").Append(depth).Append('\n')
                      .Append("duration_seconds = 3600\n");
                    if (depth == 4) deepest ??= name;
                }
                sb.Append('\n');
            }
            return sb.ToString();
        }

        private int ParseAndResolveAll()
        {
            var resolver = new ProfileResolver(ConfigFile.Parse(_text, _path));
            int hops = 0;
            foreach (string name in resolver.Config.ProfileNames) hops += resolver.ResolveSourceChain(name).Count;
            return hops;
        }

        [Benchmark(Baseline = true, Description = "scan text (count lines)")]
        public int ScanText()
        {
            int lines = 0;
            foreach (char c in _text) if (c == '\n') lines++;
            return lines;
        }

        [Benchmark(Description = "ConfigFile.Parse")]
        public object Parse() => ConfigFile.Parse(_text, _path);

        [Benchmark(Description = "Parse + resolve every profile's chain")]
        public int ParseAndResolve() => ParseAndResolveAll();

        [Benchmark(Description = "Load (read file) + resolve one 5-deep chain")]
        public object LoadAndResolveOne() =>
            new ProfileResolver(ConfigFile.Load(_path)).ResolveSourceChain(_deepest);
    }
}
