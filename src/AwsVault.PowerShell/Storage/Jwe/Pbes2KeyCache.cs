using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace AwsVault.Storage.Jwe
{
    /// <summary>
    /// Remembers PBKDF2 results for this process, so that reading the same item again (every
    /// credential request reads the stored key or a cached session) does not pay for 8192 HMAC
    /// iterations each time. Bounded (least recently used goes first) so that a directory full of
    /// items or tokens with many salts cannot grow it without limit.
    /// Entries are looked up by a keyed hash of (passphrase, salt, iterations) under a random
    /// per-process key, so the cache never holds the passphrase or a plain hash of it.
    /// </summary>
    internal static class Pbes2KeyCache
    {
        public const int Capacity = 256;

        private static readonly object Gate = new object();
        private static readonly Dictionary<string, LinkedListNode<Entry>> Map = new Dictionary<string, LinkedListNode<Entry>>(StringComparer.Ordinal);
        private static readonly LinkedList<Entry> Order = new LinkedList<Entry>();
        private static readonly byte[] ProcessKey = RandomBytes(32);

        private sealed class Entry
        {
            public string Id;
            public byte[] Key;
        }

        /// <summary>The derived key-encryption key; a fresh copy the caller may clear.</summary>
        public static byte[] GetOrDerive(byte[] passphraseUtf8, byte[] salt, int iterations, int keyLength, Func<byte[]> derive)
        {
            string id = Identify(passphraseUtf8, salt, iterations, keyLength);
            lock (Gate)
            {
                if (Map.TryGetValue(id, out var node))
                {
                    Order.Remove(node);
                    Order.AddFirst(node);
                    return (byte[])node.Value.Key.Clone();
                }
            }

            // Derive outside the lock: it takes milliseconds and other items need not wait for it.
            byte[] key = derive();
            lock (Gate)
            {
                if (!Map.ContainsKey(id))
                {
                    var node = Order.AddFirst(new Entry { Id = id, Key = (byte[])key.Clone() });
                    Map[id] = node;
                    while (Map.Count > Capacity)
                    {
                        var last = Order.Last;
                        Order.RemoveLast();
                        Map.Remove(last.Value.Id);
                        Array.Clear(last.Value.Key, 0, last.Value.Key.Length);
                    }
                }
            }
            return key;
        }

        internal static int Count
        {
            get { lock (Gate) return Map.Count; }
        }

        internal static void Clear()
        {
            lock (Gate)
            {
                foreach (var entry in Order) Array.Clear(entry.Key, 0, entry.Key.Length);
                Order.Clear();
                Map.Clear();
            }
        }

        private static string Identify(byte[] passphraseUtf8, byte[] salt, int iterations, int keyLength)
        {
            var input = new byte[12 + passphraseUtf8.Length + salt.Length];
            WriteInt(input, 0, passphraseUtf8.Length);
            Buffer.BlockCopy(passphraseUtf8, 0, input, 4, passphraseUtf8.Length);
            int o = 4 + passphraseUtf8.Length;
            Buffer.BlockCopy(salt, 0, input, o, salt.Length);
            o += salt.Length;
            WriteInt(input, o, iterations);
            WriteInt(input, o + 4, keyLength);
            using (var hmac = new HMACSHA256(ProcessKey))
            {
                byte[] mac = hmac.ComputeHash(input);
                Array.Clear(input, 0, input.Length);
                return Convert.ToBase64String(mac);
            }
        }

        private static void WriteInt(byte[] b, int o, int v)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }

        internal static byte[] RandomBytes(int count)
        {
            var b = new byte[count];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(b);
            return b;
        }
    }
}
