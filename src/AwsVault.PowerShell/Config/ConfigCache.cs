using System;
using System.IO;

namespace AwsVault.Config
{
    /// <summary>
    /// The last parsed config file, reused while the file's size and modification time are unchanged: every
    /// Invoke-AwsVault reads the config, and re-parsing an unchanged file on each call was most of its cost.
    /// </summary>
    internal sealed class ConfigCache
    {
        private readonly object _gate = new object();
        private Entry _last;

        public void Clear()
        {
            lock (_gate) _last = null;
        }

        public ConfigFile Load(string path)
        {
            var info = new FileInfo(path);
            bool exists = info.Exists;
            long length = exists ? info.Length : -1;
            DateTime written = exists ? info.LastWriteTimeUtc : DateTime.MinValue;
            lock (_gate)
            {
                var last = _last;
                if (last != null && last.Path == path && last.Length == length && last.Written == written && last.Exists == exists)
                {
                    return last.File;
                }
            }
            ConfigFile file = ConfigFile.Load(path);
            lock (_gate)
            {
                _last = new Entry { Path = path, Exists = exists, Length = length, Written = written, File = file };
            }
            return file;
        }

        private sealed class Entry
        {
            public string Path;
            public bool Exists;
            public long Length;
            public DateTime Written;
            public ConfigFile File;
        }
    }
}
