using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using AwsVault.Benchmarks.Infrastructure;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Engine;
using AwsVault.Storage;
using BenchmarkDotNet.Attributes;
using AwsVault.Output;

namespace AwsVault.Benchmarks.Benchmarks
{
    /// <summary>
    /// The steps Get-AwsVaultSession takes on every call, called directly (the module lets this assembly see
    /// its internals), with dev's session in memory: which of them make a memory hit cost
    /// what it costs. Baseline: reading the config file's bytes, the least any call that reads the config pays.
    /// </summary>
    [Config(typeof(MicroConfig))]
    public class EngineStepBenchmarks : SandboxedBenchmark
    {
        private FileStore _store;
        private IPassphraseSource _passphrase;
        private EngineContext _engine;
        private SessionIssuer _issuer;
        private ConfigCache _configCache;
        private SessionRequest _request;
        private ConfigFile _config;
        private AwsCredentials _credentials;
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

                _engine = EngineContext.Current;
                _issuer = new SessionIssuer(_engine);
                _request = new SessionRequest { ProfileName = "dev" };

                _credentials = Issue().Credentials;
                _session = NewSession();
                _sessionState = (System.Management.Automation.SessionState)_rs.Run("$ExecutionContext.SessionState")[0].BaseObject;
                _configCache = _engine.Config;
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
        private IssuedSession Issue() =>
            _issuer.Issue(_request, ProfileConfigLoader.Load(_config, EnvironmentSnapshot.Capture()), _store, null, _log);

        [Benchmark(Baseline = true, Description = "File.ReadAllText(config)")]
        public string ReadConfigText() => File.ReadAllText(_sandbox.ConfigFile);

        [Benchmark(Description = "ConfigFile.Load (read + parse, 1 profile)")]
        public object LoadConfig() => ConfigFile.Load(_sandbox.ConfigFile);

        [Benchmark(Description = "ConfigCache.Load (unchanged file: one stat)")]
        public object LoadCachedConfig() => _configCache.Load(_sandbox.ConfigFile);

        [Benchmark(Description = "StoreSelection.Open (file, from env)")]
        public object OpenStore() => StoreSelection.Open(null, null, null, _passphrase, out _);

        [Benchmark(Description = "FileStore.ListProfilesWithKeys (1 item)")]
        public object ListProfiles() => _store.ListProfilesWithKeys();

        [Benchmark(Description = "FileStore.HasKey")]
        public bool HasKey() => _store.HasKey("dev");

        [Benchmark(Description = "SessionIssuer.Issue (memory hit)")]
        public object IssueFromMemory() => Issue();

        [Benchmark(Description = "EnvironmentScope.Enter(...).Dispose()")]
        public void EnvironmentScope() => AwsVault.Apply.EnvironmentScope.Enter(_session, _sessionState).Dispose();

        [Benchmark(Description = "AwsVaultSession.SessionToken (its SecureString, built on first read)")]
        public object SecureToken() => NewSession().SessionToken;

        [Benchmark(Description = "new AwsVaultSession")]
        public AwsVaultSession NewSession() => new AwsVaultSession("dev", _credentials, "eu-west-1", "stored key(dev) -> GetSessionToken(dev)");
    }

    /// <summary>The passphrase as AWS_VAULT_FILE_PASSPHRASE gives it: no prompt, no lookup cost worth measuring.</summary>
    internal sealed class FixedPassphrase : IPassphraseSource
    {
        private readonly string _passphrase;

        public FixedPassphrase(string passphrase) => _passphrase = passphrase;

        public string GetPassphrase(string vaultDirectory) => _passphrase;

        public void Forget(string vaultDirectory) { }
    }
}
