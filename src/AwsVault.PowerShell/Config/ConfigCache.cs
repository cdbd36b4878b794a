using System;
using System.IO;

namespace AwsVault.Config
{
    /// <summary>
    /// The last parsed config file, reused while the file's size and modification time are unchanged: every
    /// Invoke-AwsVault reads the config, and re-parsing an unchanged file on each call was most of its cost.
    /// </summary>
    internal static class ConfigCache
    {
        private static readonly object s_gate = new object();
        private static Entry s_last;

        public static ConfigFile Load(string path)
        {
            var info = new FileInfo(path);
            bool exists = info.Exists;
            long length = exists ? info.Length : -1;
            DateTime written = exists ? info.LastWriteTimeUtc : DateTime.MinValue;
            lock (s_gate)
            {
                var last = s_last;
                if (last != null && last.Path == path && last.Length == length && last.Written == written && last.Exists == exists)
                {
                    return last.File;
                }
            }
            ConfigFile file = ConfigFile.Load(path);
            lock (s_gate)
            {
                s_last = new Entry { Path = path, Exists = exists, Length = length, Written = written, File = file };
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
