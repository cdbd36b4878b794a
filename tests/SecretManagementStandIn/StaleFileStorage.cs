using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Microsoft.PowerShell.SecretManagement
{
    /// <summary>
    /// A file-backed vault (VaultParameters Path + RefreshDelay) as one process of Microsoft.PowerShell.SecretStore
    /// sees it. SecretStore reads its store file once per process and keeps it in memory; its FileSystemWatcher
    /// restarts a 5-second timer on every change of the file, and only when the timer fires is the store read
    /// again (SecureStoreFile.UpdateData in SecretStore's Utils.cs). So a change made by another process becomes
    /// visible here RefreshDelay after the last change, while this process's own writes are visible at once.
    /// The snapshot is per directory and per process, shared by every runspace, as SecretStore's is.
    /// </summary>
    internal sealed class StaleFileStorage : ISecretStorage
    {
        private static readonly Dictionary<string, StaleFileStorage> Instances = new Dictionary<string, StaleFileStorage>(StringComparer.Ordinal);

        private readonly object _sync = new object();
        private readonly FileStorage _files;
        private readonly TimeSpan _delay;
        private Dictionary<string, string> _snapshot;
        private DateTime _snapshotChange;

        private StaleFileStorage(string directory, TimeSpan delay)
        {
            _files = new FileStorage(directory);
            _delay = delay;
        }

        public static StaleFileStorage For(string directory, TimeSpan delay)
        {
            lock (Instances)
            {
                string key = directory + "\n" + delay.Ticks;
                if (!Instances.TryGetValue(key, out var storage))
                {
                    storage = new StaleFileStorage(directory, delay);
                    Instances[key] = storage;
                }
                return storage;
            }
        }

        /// <summary>Forgets every snapshot, as a new process would have none (StandIn.Reset).</summary>
        public static void ClearAll()
        {
            lock (Instances) Instances.Clear();
        }

        public string Read(string name)
        {
            lock (_sync)
            {
                Refresh();
                return _snapshot.TryGetValue(name, out var record) ? record : null;
            }
        }

        public void Write(string name, string record)
        {
            lock (_sync)
            {
                Refresh();
                _files.Write(name, record);
                _snapshot[name] = record;
            }
        }

        public bool Delete(string name)
        {
            lock (_sync)
            {
                Refresh();
                bool deleted = _files.Delete(name);
                return _snapshot.Remove(name) || deleted;
            }
        }

        public IEnumerable<string> ReadAll()
        {
            lock (_sync)
            {
                Refresh();
                return _snapshot.Values.ToList();
            }
        }

        // First use loads the directory; later, the files are read again only once the newest change is older than
        // the delay (the watcher's timer has fired), never while changes keep coming.
        private void Refresh()
        {
            DateTime latest = LatestChange();
            if (_snapshot != null && (latest <= _snapshotChange || DateTime.UtcNow - latest < _delay)) return;
            var snapshot = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string record in _files.ReadAll())
            {
                string name = RecordName(record);
                if (name != null) snapshot[name] = record;
            }
            _snapshot = snapshot;
            _snapshotChange = latest;
        }

        private DateTime LatestChange()
        {
            if (!Directory.Exists(_files.Directory)) return DateTime.MinValue;
            DateTime latest = Directory.GetLastWriteTimeUtc(_files.Directory);
            foreach (string file in Directory.GetFiles(_files.Directory))
            {
                DateTime t = File.GetLastWriteTimeUtc(file);
                if (t > latest) latest = t;
            }
            return latest;
        }

        private static string RecordName(string record)
        {
            var fields = Codec.ReadRecord(record);
            return fields.TryGetValue("name", out var encoded) ? Codec.Decode(encoded) as string : null;
        }
    }
}
