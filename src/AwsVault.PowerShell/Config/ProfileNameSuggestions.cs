using System;
using System.Collections.Generic;

namespace AwsVault.Config
{
    /// <summary>"Did you mean" candidates for a mistyped profile name: the same name in another case, or
    /// one within two edits. Only runs on the error path, so a plain edit distance is fine.</summary>
    internal static class ProfileNameSuggestions
    {
        public static List<string> Find(string wanted, IReadOnlyList<string> known, int max = 3)
        {
            var result = new List<string>();
            var scored = new List<KeyValuePair<int, string>>();
            foreach (string name in known)
            {
                if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    scored.Add(new KeyValuePair<int, string>(0, name));
                    continue;
                }
                if (Math.Abs(name.Length - wanted.Length) > 2) continue;
                int d = Distance(name, wanted);
                if (d <= 2 && d < Math.Max(name.Length, wanted.Length)) scored.Add(new KeyValuePair<int, string>(d, name));
            }
            scored.Sort((a, b) => a.Key.CompareTo(b.Key));
            for (int i = 0; i < scored.Count && result.Count < max; i++) result.Add(scored[i].Value);
            return result;
        }

        private static int Distance(string a, string b)
        {
            var prev = new int[b.Length + 1];
            var cur = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) prev[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                cur[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev; prev = cur; cur = t;
            }
            return prev[b.Length];
        }
    }
}
