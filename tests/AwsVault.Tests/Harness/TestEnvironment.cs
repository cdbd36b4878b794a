using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;

namespace AwsVault.Tests.Harness
{
    /// <summary>
    /// A private HOME, config file and vault directory for one test, and a snapshot of the process
    /// environment that is put back exactly on Dispose. Variables that decide prompting (CI,
    /// AWS_VAULT_PROMPT), XDG_RUNTIME_DIR and every AWS_* variable are cleared first so that the machine running the
    /// tests (a developer's shell, a CI agent) cannot change what a test sees.
    /// </summary>
    public sealed class TestEnvironment : IDisposable
    {
        public const string Passphrase = "correct horse battery staple";

        private readonly Dictionary<string, string> _saved = new Dictionary<string, string>(StringComparer.Ordinal);

        public TestEnvironment(bool setPassphrase = true, string backend = "file")
        {
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                _saved[(string)entry.Key] = (string)entry.Value;
            }
            foreach (string name in _saved.Keys)
            {
                if (name.StartsWith("AWS_", StringComparison.Ordinal)) Environment.SetEnvironmentVariable(name, null);
            }
            Environment.SetEnvironmentVariable("CI", null);
            Environment.SetEnvironmentVariable("AWS_VAULT_PROMPT", null);

            Root = Path.Combine(Path.GetTempPath(), "awsvault-test-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Home = Path.Combine(Root, "home");
            Directory.CreateDirectory(Path.Combine(Home, ".aws"));
            ConfigFile = Path.Combine(Home, ".aws", "config");
            VaultDirectory = Path.Combine(Root, "vault");

            // Session locks and the record of sent MFA codes live under the temp directory; a private one keeps
            // tests (and test runs in other checkouts on this machine) from seeing each other's.
            TempDirectory = Path.Combine(Root, "tmp");
            Directory.CreateDirectory(TempDirectory);
            Set("TMPDIR", TempDirectory);
            // $XDG_RUNTIME_DIR, where set, takes the folder out of TMPDIR and would make every test share one. Children
            // started by PwshHostProcess inherit this process's environment, so parent and child use the same folder.
            Set("XDG_RUNTIME_DIR", null);
            Set("HOME", Home);
            Set("AWS_CONFIG_FILE", ConfigFile);
            Set("AWS_VAULT_FILE_DIR", VaultDirectory);
            if (backend != null) Set("AWS_VAULT_BACKEND", backend);
            if (setPassphrase) Set("AWS_VAULT_FILE_PASSPHRASE", Passphrase);
        }

        public string Root { get; }
        public string Home { get; }
        public string ConfigFile { get; }
        public string VaultDirectory { get; }
        public string TempDirectory { get; }

        public void Set(string name, string value) => Environment.SetEnvironmentVariable(name, value);

        public void WriteConfig(string text) => File.WriteAllText(ConfigFile, text);

        public void Dispose()
        {
            var current = Environment.GetEnvironmentVariables();
            foreach (DictionaryEntry entry in current)
            {
                if (!_saved.ContainsKey((string)entry.Key)) Environment.SetEnvironmentVariable((string)entry.Key, null);
            }
            foreach (var pair in _saved)
            {
                if (Environment.GetEnvironmentVariable(pair.Key) != pair.Value) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
            try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
