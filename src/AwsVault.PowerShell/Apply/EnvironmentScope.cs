using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsVault.Output;

namespace AwsVault.Apply
{
    /// <summary>
    /// Puts a session's variables into this process's environment and, on Dispose, puts back exactly what was
    /// there before, absent variables included. Environment variables are process-wide: while a scope is open,
    /// other runspaces in this process see the session too. The child-process form is the isolated one.
    /// AWS.Tools prefers $StoredAWSCredentials (and $StoredAWSRegion) over the environment, so those are
    /// hidden in the global scope for the same span and restored afterwards.
    /// </summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private static readonly string[] AwsToolsVariables = { "StoredAWSCredentials", "StoredAWSRegion" };

        private readonly List<KeyValuePair<string, string>> _previous = new List<KeyValuePair<string, string>>();
        private readonly List<PSVariable> _hidden = new List<PSVariable>();
        private readonly SessionState _sessionState;
        private bool _disposed;

        private EnvironmentScope(SessionState sessionState)
        {
            _sessionState = sessionState;
        }

        public static EnvironmentScope Enter(AwsVaultSession session, SessionState sessionState)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            return Enter(SessionVariables.For(session), !string.IsNullOrEmpty(session.Region), sessionState);
        }

        /// <summary>Points this process at a running credential server (Invoke-AwsVault -Server { ... }): the container
        /// variables instead of keys, restored like a session's.</summary>
        public static EnvironmentScope Enter(CredentialServerInfo server, SessionState sessionState)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            return Enter(SessionVariables.ForServer(server), !string.IsNullOrEmpty(server.Region), sessionState);
        }

        private static EnvironmentScope Enter(IReadOnlyList<KeyValuePair<string, string>> variables, bool hasRegion, SessionState sessionState)
        {
            var scope = new EnvironmentScope(sessionState);
            try
            {
                foreach (var pair in variables)
                {
                    string previous = System.Environment.GetEnvironmentVariable(pair.Key);
                    scope._previous.Add(new KeyValuePair<string, string>(pair.Key, previous));
                    // A write costs several times a read, and most of the variables to unset are absent already.
                    if (!string.Equals(previous, pair.Value, StringComparison.Ordinal)) System.Environment.SetEnvironmentVariable(pair.Key, pair.Value);
                }
                scope.HideAwsToolsVariables(hasRegion);
                return scope;
            }
            catch
            {
                scope.Dispose();
                throw;
            }
        }

        private void HideAwsToolsVariables(bool hasRegion)
        {
            if (_sessionState == null) return;
            foreach (string name in AwsToolsVariables)
            {
                if (name == "StoredAWSRegion" && !hasRegion) continue;
                PSVariable variable = _sessionState.PSVariable.Get("global:" + name);
                if (variable == null) continue;
                _hidden.Add(new PSVariable(name, variable.Value));
                _sessionState.PSVariable.Remove("global:" + name);
            }
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            // In reverse, so a variable listed twice ends with its first saved value.
            for (int i = _previous.Count - 1; i >= 0; i--)
            {
                // Every variable is put back, also one the block itself changed; only the writes that change nothing are skipped.
                string name = _previous[i].Key;
                if (!string.Equals(System.Environment.GetEnvironmentVariable(name), _previous[i].Value, StringComparison.Ordinal))
                {
                    System.Environment.SetEnvironmentVariable(name, _previous[i].Value);
                }
            }
            foreach (PSVariable variable in _hidden)
            {
                _sessionState.PSVariable.Set("global:" + variable.Name, variable.Value);
            }
        }
    }
}
