using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>
    /// A private HOME, config file and file vault, set in this process's environment the way a user's shell
    /// has them (AWS_VAULT_BACKEND, AWS_VAULT_FILE_PASSPHRASE), and the environment put back exactly on
    /// Dispose. Benchmarks run one after another in this process, so each case gets a clean slate.
    /// </summary>
    public sealed class Sandbox : IDisposable
    {
        public const string Passphrase = "correct horse battery staple";

        private readonly Dictionary<string, string> _saved = new Dictionary<string, string>(StringComparer.Ordinal);

        public Sandbox(string backend = "file")
        {
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) _saved[(string)e.Key] = (string)e.Value;
            // The machine's own AWS settings (or a CI's) must not change what is measured.
            foreach (string name in _saved.Keys)
            {
                if (name.StartsWith("AWS_", StringComparison.Ordinal)) Environment.SetEnvironmentVariable(name, null);
            }
            Environment.SetEnvironmentVariable("CI", null);

            Root = Path.Combine(Path.GetTempPath(), "awsvault-bench-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Home = Path.Combine(Root, "home");
            Directory.CreateDirectory(Path.Combine(Home, ".aws"));
            ConfigFile = Path.Combine(Home, ".aws", "config");
            VaultDirectory = Path.Combine(Root, "vault");

            Set("HOME", Home);
            Set("AWS_CONFIG_FILE", ConfigFile);
            Set("AWS_VAULT_FILE_DIR", VaultDirectory);
            Set("AWS_VAULT_FILE_PASSPHRASE", Passphrase);
            if (backend != null) Set("AWS_VAULT_BACKEND", backend);
        }

        public string Root { get; }
        public string Home { get; }
        public string ConfigFile { get; }
        public string VaultDirectory { get; }

        public void Set(string name, string value) => Environment.SetEnvironmentVariable(name, value);

        public void WriteConfig(string text) => File.WriteAllText(ConfigFile, text);

        /// <summary>The variables a child process needs to see this sandbox (and nothing of the caller's AWS setup).</summary>
        public Dictionary<string, string> ChildEnvironment(string stsEndpoint = null)
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["HOME"] = Home,
                ["AWS_CONFIG_FILE"] = ConfigFile,
                ["AWS_VAULT_FILE_DIR"] = VaultDirectory,
                ["AWS_VAULT_BACKEND"] = "file",
                ["AWS_VAULT_FILE_PASSPHRASE"] = Passphrase,
                ["CI"] = "true",
            };
            if (stsEndpoint != null) env["AWS_ENDPOINT_URL_STS"] = stsEndpoint;
            return env;
        }

        public void Dispose()
        {
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            {
                if (!_saved.ContainsKey((string)e.Key)) Environment.SetEnvironmentVariable((string)e.Key, null);
            }
            foreach (var pair in _saved)
            {
                if (Environment.GetEnvironmentVariable(pair.Key) != pair.Value) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
            try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
