using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using AwsVault.Credentials;

namespace AwsVault.Server
{
    /// <summary>
    /// A credential server bound to one profile's chain: every request asks the chain again, so the cache serves
    /// it while the session lasts and the chain re-issues it (reusing a cached MFA session, or running
    /// mfa_process) once less than AWS_MIN_TTL is left. Warnings from request threads wait in a queue until
    /// someone who may write to the host takes them, or go straight to a sink that is safe to call from any thread.
    /// </summary>
    internal sealed class RunningCredentialServer : IDisposable
    {
        private readonly ConcurrentQueue<string> _pending = new ConcurrentQueue<string>();
        private readonly CredentialSource _source;
        private readonly ServerPrompter _prompter;
        private Action<string> _sink;
        private int _stopped;

        /// <param name="source">The profile's chain, whose first session was already issued in the foreground.</param>
        /// <param name="prompter">Already in the background: requests never prompt.</param>
        public RunningCredentialServer(string profileName, string chain, CredentialSource source, ServerPrompter prompter, IPAddress listenAddress, int port)
        {
            ProfileName = profileName;
            Chain = chain;
            Region = source.Region;
            _source = source;
            _prompter = prompter;
            Server = new CredentialServer(Credentials, Warn, listenAddress, port);
        }

        public string ProfileName { get; }
        public string Chain { get; }
        public string Region { get; }
        public CredentialServer Server { get; }
        public bool Running => Volatile.Read(ref _stopped) == 0;

        private AwsCredentials Credentials() => _source.Retrieve(_prompter, _ => { });

        private void Warn(string message)
        {
            Action<string> sink = Volatile.Read(ref _sink);
            if (sink != null) sink(message);
            else _pending.Enqueue(message);
        }

        /// <summary>Warnings given while nobody took them, oldest first; call on the thread that may write to the host.</summary>
        public IEnumerable<string> TakeWarnings()
        {
            while (_pending.TryDequeue(out string message)) yield return message;
        }

        /// <summary>From now on warnings go to <paramref name="sink"/> as they happen (it must be safe on any thread).</summary>
        public void WarnTo(Action<string> sink) => Volatile.Write(ref _sink, sink);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            Server.Dispose();
        }
    }
}
