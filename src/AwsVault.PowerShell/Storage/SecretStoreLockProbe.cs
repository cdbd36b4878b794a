using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace AwsVault.Storage
{
    /// <summary>
    /// Tells, without any prompt, whether a vault of Microsoft.PowerShell.SecretStore is locked in this process.
    /// A SecretStore at its defaults (-Interaction Prompt) asks for its password on the host from inside every
    /// vault call, whatever the caller's own rules, and SecretManagement runs the vault in a runspace of its own
    /// that keeps the host of the first caller in the process, so no host AwsVault passes can stop the prompt.
    /// What does not prompt is SecretStore's public LocalSecretStore: GetInstance() without a cmdlet, then
    /// EnumerateObjectInfo, which throws PasswordRequiredException while the store is locked (never unlocked in
    /// this process, or its password timeout passed). Other vault modules have no such probe and are not asked.
    /// </summary>
    internal static class SecretStoreLockProbe
    {
        private const string ModuleName = "Microsoft.PowerShell.SecretStore";
        private const string TypeName = "Microsoft.PowerShell.SecretStore.LocalSecretStore";

        /// <summary>True when the vault is SecretStore and it is locked; false when it is unlocked, or not SecretStore,
        /// or the probe cannot tell (then the vault call itself decides).</summary>
        public static bool IsLocked(string vaultName)
        {
            if (!TryGetModule(vaultName, out string moduleName, out string modulePath) ||
                !string.Equals(moduleName, ModuleName, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            Type store = FindType(modulePath);
            if (store == null) return false;
            try
            {
                object instance = store.GetMethod("GetInstance", BindingFlags.Public | BindingFlags.Static)?.Invoke(null, new object[] { null, null });
                var enumerate = store.GetMethod("EnumerateObjectInfo", BindingFlags.Public | BindingFlags.Instance);
                if (instance == null || enumerate == null) return false;
                // A name no secret has: only whether the store can be read matters.
                enumerate.Invoke(instance, new object[] { "AwsVault-LockProbe-" + Guid.NewGuid().ToString("N"), null, vaultName, null });
                return false;
            }
            catch (TargetInvocationException ex) when (ex.InnerException?.GetType().Name == "PasswordRequiredException")
            {
                return true;
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is TargetParameterCountException || ex is ArgumentException || ex is MemberAccessException)
            {
                return false;
            }
        }

        private static bool TryGetModule(string vaultName, out string moduleName, out string modulePath)
        {
            moduleName = modulePath = null;
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand("Microsoft.PowerShell.SecretManagement\\Get-SecretVault")
                  .AddParameter("Name", WildcardPattern.Escape(vaultName))
                  .AddParameter("ErrorAction", ActionPreference.SilentlyContinue);
                try
                {
                    var vault = ps.Invoke().FirstOrDefault(o => o != null);
                    moduleName = vault?.Properties["ModuleName"]?.Value as string;
                    modulePath = vault?.Properties["ModulePath"]?.Value as string;
                    return moduleName != null;
                }
                catch (RuntimeException)
                {
                    return false;
                }
            }
        }

        // SecretStore's assembly is loaded once SecretManagement has used the vault in this process. Before that,
        // it is loaded from the registered module folder, as Import-Module would (the same file, so the same
        // assembly and the same per-process unlock state that SecretManagement's runspace will use).
        private static Type FindType(string modulePath)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic) continue;
                Type found = assembly.GetType(TypeName, throwOnError: false);
                if (found != null) return found;
            }
            if (string.IsNullOrEmpty(modulePath)) return null;
            try
            {
                string dir = File.Exists(modulePath) ? Path.GetDirectoryName(modulePath) : modulePath;
                string dll = Path.Combine(dir, ModuleName + ".dll");
                return File.Exists(dll) ? Assembly.LoadFrom(dll).GetType(TypeName, throwOnError: false) : null;
            }
            catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is UnauthorizedAccessException || ex is ArgumentException)
            {
                return null;
            }
        }
    }
}
