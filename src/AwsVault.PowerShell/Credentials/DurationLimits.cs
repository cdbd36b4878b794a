using System;
using System.Globalization;
using System.Management.Automation;

namespace AwsVault.Credentials
{
    /// <summary>
    /// Session lengths: where they come from (parameter, aws-vault's TTL variables, duration_seconds,
    /// defaults) and AWS's limits, checked before any STS call so a typo costs no MFA code.
    /// </summary>
    internal static class DurationLimits
    {
        public const int Minimum = 900;
        public const int GetSessionTokenMaximum = 129600;   // 36 h
        public const int AssumeRoleMaximum = 43200;         // 12 h
        public const int RoleChainingMaximum = 3600;        // 1 h

        public const int DefaultSessionToken = 3600;
        public const int DefaultChainedSessionToken = 8 * 3600;
        public const int DefaultAssumeRole = 3600;
        public const int DefaultFederationToken = 3600;    // aws-vault's login default
        public const int FederationTokenMaximum = 129600;  // 36 h
        public const int FederationTokenRootMaximum = 3600; // GetFederationToken signed by an account's root user

        /// <summary>A TTL variable in Go's duration syntax ("1h", "90m", "1h30m", "3600s"), or plain seconds.</summary>
        public static int? FromEnvironment(string variable, string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (TryParseGoDuration(text.Trim(), out double seconds) && seconds > 0 && seconds < int.MaxValue)
            {
                return (int)seconds;
            }
            throw new AwsVaultException(ErrorIds.InvalidDuration, ErrorCategory.InvalidArgument,
                "$env:" + variable + " is '" + text + "', which is not a duration. Use a Go-style duration such as 1h, 45m or 1h30m.", variable);
        }

        public static void Check(int seconds, int maximum, string profileName, string what, string source)
        {
            if (seconds >= Minimum && seconds <= maximum) return;
            throw new AwsVaultException(ErrorIds.InvalidDuration, ErrorCategory.InvalidArgument,
                "Profile '" + profileName + "': " + what + " cannot last " + Describe(seconds) + " (from " + source + "); AWS allows " +
                Describe(Minimum) + " to " + Describe(maximum) + ". Choose a duration in that range.", profileName);
        }

        public static string Describe(int seconds)
        {
            var t = TimeSpan.FromSeconds(seconds);
            if (seconds % 3600 == 0) return ((int)t.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
            if (seconds % 60 == 0) return ((int)t.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        internal static bool TryParseGoDuration(string text, out double seconds)
        {
            seconds = 0;
            if (double.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out double plain))
            {
                seconds = plain;
                return true;
            }
            int i = 0;
            bool any = false;
            while (i < text.Length)
            {
                int start = i;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.')) i++;
                if (i == start || !double.TryParse(text.Substring(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)) return false;
                int unitStart = i;
                while (i < text.Length && char.IsLetter(text[i])) i++;
                switch (text.Substring(unitStart, i - unitStart))
                {
                    case "h": seconds += value * 3600; break;
                    case "m": seconds += value * 60; break;
                    case "s": seconds += value; break;
                    case "ms": seconds += value / 1000; break;
                    default: return false;
                }
                any = true;
            }
            return any;
        }
    }
}
