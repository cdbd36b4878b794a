using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Config;
using AwsVault.Storage;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// The steps Get-AwsVaultSession takes on every call, called directly (internal ones by reflection, whose
    /// cost is well under a microsecond), with dev's session in memory: which of them make a memory hit cost
    /// what it costs. Baseline: reading the config file's bytes, the least any call that reads the config pays.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class EngineStepBenchmarks : SandboxedBenchmark
    {
        private static readonly Assembly Module = typeof(FileStore).Assembly;

        private FileStore _store;
        private IPassphraseSource _passphrase;
        private MethodInfo _open;
        private MethodInfo _issue;
        private MethodInfo _loadProfiles;
        private MethodInfo _captureEnvironment;
        private object _engine;
        private object _issuer;
        private object _configCache;
        private ConstructorInfo _newSession;
        private object _request;
        private ConfigFile _config;
        private object _credentials;
        private Action<string> _log;
        private AwsVaultSession _session;
        private System.Management.Automation.SessionState _sessionState;
        private MethodInfo _cachedConfig;

        [GlobalSetup]
        public void Setup()
        {
            try
            {
                _sandbox = new Sandbox(backend: "file");
                _sts = new Sts();
                _sandbox.Set("AWS_ENDPOINT_URL_STS", _sts.Endpoint);
                _sandbox.WriteConfig("[profile dev]\nregion = eu-west-1\n");
                Internals.ForgetProcessMemory();
                _rs = new WarmRunspace();
                _rs.Run(Sts.AddProfileScript("dev", Sts.DevKeyId, Sts.DevSecret));
                _rs.Run("$null = Get-AwsVaultSession dev");

                _passphrase = new FixedPassphrase(Sandbox.Passphrase);
                _store = new FileStore(_sandbox.VaultDirectory, _passphrase);
                _config = ConfigFile.Load(_sandbox.ConfigFile);
                // Whatever the verbose log would receive is built either way; the cmdlet drops it unless -Verbose.
                _log = _ => { };

                Type selection = Module.GetType("AwsVault.Storage.StoreSelection", true);
                _open = selection.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Single(m => m.Name == "Open" && m.GetParameters()[0].ParameterType == typeof(PSCmdlet));
                const BindingFlags any = BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
                _engine = Module.GetType("AwsVault.Engine.EngineContext", true).GetProperty("Current", any).GetValue(null);
                Type issuer = Module.GetType("AwsVault.Credentials.SessionIssuer", true);
                _issuer = Activator.CreateInstance(issuer, any, null, new[] { _engine }, null);
                _issue = issuer.GetMethod("Issue", any);
                _loadProfiles = Module.GetType("AwsVault.Config.ProfileConfigLoader", true).GetMethod("Load", any);
                _captureEnvironment = Module.GetType("AwsVault.Config.EnvironmentSnapshot", true).GetMethod("Capture", any);
                Type requestType = Module.GetType("AwsVault.Credentials.SessionRequest", true);
                _request = Activator.CreateInstance(requestType, nonPublic: true);
                requestType.GetProperty("ProfileName").SetValue(_request, "dev");
                _newSession = typeof(AwsVaultSession).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic)[0];

                object issued = Issue();
                _credentials = issued.GetType().GetProperty("Credentials").GetValue(issued);
                _session = (AwsVaultSession)NewSession();
                _sessionState = (System.Management.Automation.SessionState)_rs.Run("$ExecutionContext.SessionState")[0].BaseObject;
                _configCache = _engine.GetType().GetProperty("Config", any).GetValue(_engine);
                _cachedConfig = _configCache.GetType().GetMethod("Load", any);
                _sts.World.ClearCalls();
            }
            catch
            {
                TearDown();
                throw;
            }
        }

        [GlobalCleanup]
        public void Cleanup() => TearDownExpectingNoStsCalls();

        // As a command does it: one environment snapshot and profile graph per call, then build and retrieve.
        private object Issue() =>
            _issue.Invoke(_issuer, new object[] { _request, _loadProfiles.Invoke(null, new object[] { _config, _captureEnvironment.Invoke(null, null) }), _store, null, _log });

        [Benchmark(Baseline = true, Description = "File.ReadAllText(config)")]
        public string ReadConfigText() => File.ReadAllText(_sandbox.ConfigFile);

        [Benchmark(Description = "ConfigFile.Load (read + parse, 1 profile)")]
        public ConfigFile LoadConfig() => ConfigFile.Load(_sandbox.ConfigFile);

        [Benchmark(Description = "ConfigCache.Load (unchanged file: one stat)")]
        public object LoadCachedConfig() => _cachedConfig.Invoke(_configCache, new object[] { _sandbox.ConfigFile });

        [Benchmark(Description = "StoreSelection.Open (file, from env)")]
        public object OpenStore() => _open.Invoke(null, new object[] { null, null, null, _passphrase, null });

        [Benchmark(Description = "FileStore.ListProfilesWithKeys (1 item)")]
        public object ListProfiles() => _store.ListProfilesWithKeys();

        [Benchmark(Description = "FileStore.HasKey")]
        public bool HasKey() => _store.HasKey("dev");

        [Benchmark(Description = "SessionIssuer.Issue (memory hit)")]
        public object IssueFromMemory() => Issue();

        [Benchmark(Description = "EnvironmentScope.Enter(...).Dispose()")]
        public void EnvironmentScope() => AwsVault.Apply.EnvironmentScope.Enter(_session, _sessionState).Dispose();

        [Benchmark(Description = "AwsVaultSession.SessionToken (its SecureString, built on first read)")]
        public object SecureToken() => ((AwsVaultSession)NewSession()).SessionToken;

        [Benchmark(Description = "new AwsVaultSession")]
        public object NewSession() => _newSession.Invoke(new object[] { "dev", _credentials, "eu-west-1", "stored key(dev) -> GetSessionToken(dev)" });
    }

    /// <summary>The passphrase as AWS_VAULT_FILE_PASSPHRASE gives it: no prompt, no lookup cost worth measuring.</summary>
    public sealed class FixedPassphrase : IPassphraseSource
    {
        private readonly string _passphrase;

        public FixedPassphrase(string passphrase) => _passphrase = passphrase;

        public string GetPassphrase(string vaultDirectory) => _passphrase;

        public void Forget(string vaultDirectory) { }
    }
}
