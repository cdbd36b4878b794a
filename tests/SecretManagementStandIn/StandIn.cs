using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// The stand-in's own controls for tests; the real module has no such type. All state is per process and
    /// shared by every runspace in it.
    /// From C#: <c>StandIn.Reset()</c>, <c>StandIn.CallLog.Calls</c>.
    /// From PowerShell: <c>[Microsoft.PowerShell.SecretManagement.StandIn]::Reset()</c>,
    /// <c>[Microsoft.PowerShell.SecretManagement.StandIn+CallLog]::Calls</c>.
    /// </summary>
    public static class StandIn
    {
        private static readonly object Sync = new object();
        private static readonly HashSet<string> Unlocked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The environment variable that names a registry file shared between processes.</summary>
        public const string RegistryEnvironmentVariable = VaultRegistry.RegistryEnvironmentVariable;

        /// <summary>
        /// Forgets every in-memory vault, registration, default vault, unlock and recorded call. Files on disk (a
        /// vault's Path, the SECRETMANAGEMENT_STANDIN_REGISTRY file) are left alone: while that variable names an
        /// existing file, the registrations in it are read back on next use.
        /// </summary>
        public static void Reset()
        {
            MemoryStorage.ClearAll();
            StaleFileStorage.ClearAll();
            VaultRegistry.ClearMemory();
            lock (Sync) Unlocked.Clear();
            CallLog.Clear();
        }

        /// <summary>Locks a vault registered with Locked = $true again in this process, as a password timeout does.</summary>
        public static void Lock(string vaultName)
        {
            lock (Sync) Unlocked.Remove(vaultName);
        }

        /// <summary>All calls recorded since the last Clear or Reset (shortcut for CallLog.Calls).</summary>
        public static IReadOnlyList<Call> Calls => CallLog.Calls;

        // Calls whose vault prompt went unanswered: they end without writing anything more.
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PSCmdlet, object> Abandoned =
            new System.Runtime.CompilerServices.ConditionalWeakTable<PSCmdlet, object>();

        internal static void MarkAbandoned(PSCmdlet cmdlet)
        {
            lock (Sync)
            {
                Abandoned.Remove(cmdlet);
                Abandoned.Add(cmdlet, null);
            }
        }

        internal static bool WasAbandoned(PSCmdlet cmdlet)
        {
            lock (Sync) return Abandoned.TryGetValue(cmdlet, out _);
        }

        internal static bool IsUnlocked(string vaultName)
        {
            lock (Sync) return Unlocked.Contains(vaultName);
        }

        internal static void MarkUnlocked(string vaultName)
        {
            lock (Sync) Unlocked.Add(vaultName);
        }

        internal static void Record(PSCmdlet cmdlet)
        {
            CallLog.Add(new Call(
                cmdlet.MyInvocation.MyCommand.Name,
                cmdlet.MyInvocation.BoundParameters.Keys.ToArray(),
                cmdlet.ParameterSetName));
        }

        /// <summary>
        /// Every invocation of a stand-in cmdlet (one per ProcessRecord, so one per pipeline input): the cmdlet
        /// name and the names of the parameters bound, never their values.
        /// </summary>
        public static class CallLog
        {
            private static readonly object LogSync = new object();
            private static readonly List<Call> Entries = new List<Call>();

            public static IReadOnlyList<Call> Calls
            {
                get
                {
                    lock (LogSync) return Entries.ToArray();
                }
            }

            public static int Count
            {
                get
                {
                    lock (LogSync) return Entries.Count;
                }
            }

            public static void Clear()
            {
                lock (LogSync) Entries.Clear();
            }

            /// <summary>The calls of one cmdlet, e.g. CallsTo("Set-Secret").</summary>
            public static IReadOnlyList<Call> CallsTo(string command)
            {
                lock (LogSync) return Entries.Where(c => string.Equals(c.Command, command, StringComparison.OrdinalIgnoreCase)).ToArray();
            }

            internal static void Add(Call call)
            {
                lock (LogSync) Entries.Add(call);
            }
        }

        /// <summary>One recorded call: "Set-Secret -Name -Secret -Vault".</summary>
        public sealed class Call
        {
            internal Call(string command, string[] parameters, string parameterSetName)
            {
                Command = command;
                Parameters = parameters;
                ParameterSetName = parameterSetName;
            }

            /// <summary>The cmdlet name, e.g. "Get-Secret".</summary>
            public string Command { get; }

            /// <summary>The bound parameter names in binding order, common parameters (ErrorAction, ...) included.</summary>
            public IReadOnlyList<string> Parameters { get; }

            /// <summary>The parameter set the call bound to.</summary>
            public string ParameterSetName { get; }

            public bool Has(string parameter) => Parameters.Contains(parameter, StringComparer.OrdinalIgnoreCase);

            public override string ToString() =>
                Command + (Parameters.Count == 0 ? string.Empty : " -" + string.Join(" -", Parameters));
        }
    }

    internal static class Utils
    {
        // Same text and layout as SecretManagement 1.1.x's warning.
        private const string NoVaultRegistered = @"
        There are currently no extension vaults registered.
        At least one vault must be registered before SecretManagement can add or retrieve secrets.
        You can download SecretManagement extension vault modules from PowerShellGallery.
        https://aka.ms/SecretManagementVaults
        ";

        public static void CheckForRegisteredVaults(PSCmdlet cmdlet)
        {
            if (VaultRegistry.VaultExtensions.Count == 0)
            {
                cmdlet.WriteWarning(NoVaultRegistered);
            }
        }
    }
}
