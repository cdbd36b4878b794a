using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using AwsVault.Tests.Harness;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>
    /// The SecretManagement stand-in (tests/SecretManagementStandIn) as tests use it: imported from
    /// artifacts/TestModules/Microsoft.PowerShell.SecretManagement, and its process-wide state (vaults, registrations,
    /// unlocks, call log) reached through the very assembly instance that the runspaces loaded.
    /// </summary>
    public static class StandInModule
    {
        public const string ModuleName = "Microsoft.PowerShell.SecretManagement";
        public const string RegistryEnvironmentVariable = "SECRETMANAGEMENT_STANDIN_REGISTRY";

        /// <summary>artifacts/TestModules: prepend it to PSModulePath to import the stand-in by name.</summary>
        public static string TestModulesDirectory => Path.Combine(ModuleAssembly.RepoRoot, "artifacts", "TestModules");

        public static string ModuleDirectory => Path.Combine(TestModulesDirectory, ModuleName);

        public static string ManifestPath => Path.Combine(ModuleDirectory, ModuleName + ".psd1");

        public static string AssemblyPath => Path.Combine(ModuleDirectory, ModuleName + ".dll");

        /// <summary>A runspace with the stand-in imported (and AwsVault too when <paramref name="importAwsVault"/>).</summary>
        public static PowerShellSession NewSession(ScriptedHost host = null, bool importAwsVault = false) =>
            new PowerShellSession(host, importAwsVault, new[] { ManifestPath });

        /// <summary>Clears every in-memory vault, registration, default, unlock and recorded call.</summary>
        public static void Reset() => StandInType.GetMethod("Reset").Invoke(null, null);

        /// <summary>Locks a Locked = $true vault again in this process, as a SecretStore password timeout does.</summary>
        public static void Lock(string vaultName) => StandInType.GetMethod("Lock").Invoke(null, new object[] { vaultName });

        /// <summary>Every stand-in cmdlet call since the last Reset or ClearCalls: names only, never values.</summary>
        public static IReadOnlyList<RecordedCall> Calls
        {
            get
            {
                var calls = (IEnumerable)CallLogType.GetProperty("Calls").GetValue(null);
                return calls.Cast<object>().Select(RecordedCall.From).ToList();
            }
        }

        public static IReadOnlyList<RecordedCall> CallsTo(string command) =>
            Calls.Where(c => string.Equals(c.Command, command, StringComparison.OrdinalIgnoreCase)).ToList();

        public static void ClearCalls() => CallLogType.GetMethod("Clear").Invoke(null, null);

        /// <summary>The loaded stand-in assembly: the one Import-Module loaded, or loaded the same way (LoadFrom of the same file).</summary>
        public static Assembly Assembly
        {
            get
            {
                var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a =>
                    a.GetName().Name == ModuleName && !a.IsDynamic &&
                    string.Equals(Path.GetFullPath(a.Location), Path.GetFullPath(AssemblyPath), StringComparison.Ordinal));
                if (loaded != null) return loaded;
                if (!File.Exists(AssemblyPath))
                {
                    throw new InvalidOperationException("The SecretManagement stand-in is not built: " + AssemblyPath + " is missing. Run dotnet build.");
                }
                return Assembly.LoadFrom(AssemblyPath);
            }
        }

        private static Type StandInType => Assembly.GetType("Microsoft.PowerShell.SecretManagement.StandIn", throwOnError: true);

        private static Type CallLogType => Assembly.GetType("Microsoft.PowerShell.SecretManagement.StandIn+CallLog", throwOnError: true);
    }

    /// <summary>A test-side copy of one StandIn.Call.</summary>
    public sealed class RecordedCall
    {
        public string Command { get; private set; }

        public IReadOnlyList<string> Parameters { get; private set; }

        public string ParameterSetName { get; private set; }

        public bool Has(string parameter) => Parameters.Contains(parameter, StringComparer.OrdinalIgnoreCase);

        public override string ToString() => Command + (Parameters.Count == 0 ? string.Empty : " -" + string.Join(" -", Parameters));

        internal static RecordedCall From(object call)
        {
            var type = call.GetType();
            return new RecordedCall
            {
                Command = (string)type.GetProperty("Command").GetValue(call),
                Parameters = ((IEnumerable<string>)type.GetProperty("Parameters").GetValue(call)).ToList(),
                ParameterSetName = (string)type.GetProperty("ParameterSetName").GetValue(call),
            };
        }
    }
}
