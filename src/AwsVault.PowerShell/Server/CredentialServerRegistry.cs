using System;
using System.Collections.Generic;
using AwsVault.Output;

namespace AwsVault.Server
{
    /// <summary>
    /// The servers Start-AwsVaultCredentialServer left running in this process. They outlive the command (that is
    /// their point) but not the module: the last Remove-Module and the end of the process stop them, so no
    /// listener keeps serving credentials of an engine that is gone.
    /// </summary>
    internal static class CredentialServerRegistry
    {
        private static readonly object s_gate = new object();
        private static readonly List<CredentialServerInfo> s_servers = new List<CredentialServerInfo>();
        private static bool s_hooked;

        public static void Add(CredentialServerInfo server)
        {
            lock (s_gate)
            {
                if (!s_hooked)
                {
                    // The OS would close the port anyway; stopping lets requests in flight finish instead of reset.
                    AppDomain.CurrentDomain.ProcessExit += (_, __) => StopAll();
                    s_hooked = true;
                }
                s_servers.Add(server);
            }
        }

        public static void Remove(CredentialServerInfo server)
        {
            lock (s_gate) s_servers.Remove(server);
        }

        public static IReadOnlyList<CredentialServerInfo> Snapshot()
        {
            lock (s_gate) return s_servers.ToArray();
        }

        public static void StopAll()
        {
            CredentialServerInfo[] servers;
            lock (s_gate)
            {
                servers = s_servers.ToArray();
                s_servers.Clear();
            }
            foreach (var server in servers) server.Instance.Dispose();
        }
    }
}
