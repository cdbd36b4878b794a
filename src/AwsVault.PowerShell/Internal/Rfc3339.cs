using System;
using System.Globalization;

namespace AwsVault.Internal
{
    /// <summary>RFC 3339 times as aws-vault (Go) and credential_process write them. Go writes up to nine
    /// fractional digits, one more than .NET parses, so fractions are cut to seven before parsing.</summary>
    internal static class Rfc3339
    {
        public static string Format(DateTimeOffset time) =>
            time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static bool TryParse(string text, out DateTimeOffset time)
        {
            time = default;
            if (string.IsNullOrEmpty(text)) return false;
            int dot = text.IndexOf('.');
            if (dot > 0)
            {
                int end = dot + 1;
                while (end < text.Length && char.IsDigit(text[end])) end++;
                if (end - dot - 1 > 7) text = text.Substring(0, dot + 8) + text.Substring(end);
            }
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
        }
    }
}
