using System;
using System.Globalization;
using System.Management.Automation;
using AwsVault.Config;

namespace AwsVault.Credentials
{
    /// <summary>
    /// How hard one STS call tries, and so how long a failing STS can hold a command: the attempts, the
    /// retry mode, a timeout per attempt and a deadline for the whole call. A credential_process caller (the
    /// AWS CLI, Terraform) waits for us, so the defaults bound a silent STS to well under 20 s:
    /// 3 attempts × 5 s + the SDK's backoff between them, cut off by a deadline of 3 × 5 s + 3 s = 18 s.
    /// The attempts and the mode follow the SDKs' own settings — AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, then the
    /// profile's max_attempts / retry_mode — and the defaults are aws-vault's and the AWS CLI's: standard mode,
    /// 3 attempts. The module sets them on each client itself rather than leaving them to the SDK, because the
    /// SDK reads them from AWS_PROFILE's section (not the profile being resolved) and caches what it read.
    /// </summary>
    internal sealed class StsRetryPolicy
    {
        public const string Standard = "standard";
        public const string Adaptive = "adaptive";
        public const string Legacy = "legacy";

        public const int DefaultMaxAttempts = 3;

        /// <summary>One attempt: connecting, sending and the reply. STS answers in well under a second.</summary>
        public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(5);

        /// <summary>Room for the backoff between attempts (standard mode waits at most 1 s, then 2 s, ...).</summary>
        public static readonly TimeSpan BackoffAllowance = TimeSpan.FromSeconds(3);

        public static readonly StsRetryPolicy Default = new StsRetryPolicy(Standard, DefaultMaxAttempts, DefaultAttemptTimeout, "the default");

        public StsRetryPolicy(string mode, int maxAttempts, TimeSpan attemptTimeout, string source)
        {
            if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(maxAttempts));
            Mode = mode ?? Standard;
            MaxAttempts = maxAttempts;
            AttemptTimeout = attemptTimeout;
            Source = source ?? "the default";
        }

        /// <summary>standard or adaptive. "legacy" is accepted as the variable's value, because other tools
        /// (botocore, AWS CLI v1) still know it, and means standard: the AWS SDK for .NET v4 has no legacy mode.</summary>
        public string Mode { get; }

        /// <summary>Attempts in all, the first one included (AWS_MAX_ATTEMPTS counts the same way).</summary>
        public int MaxAttempts { get; }

        public TimeSpan AttemptTimeout { get; }

        /// <summary>The whole call ends by then, whatever the SDK's retry logic would still do.</summary>
        public TimeSpan Deadline
        {
            get
            {
                // Task.Wait takes at most int.MaxValue ms; a huge AWS_MAX_ATTEMPTS means "as long as it takes".
                double ms = AttemptTimeout.TotalMilliseconds * MaxAttempts + BackoffAllowance.TotalMilliseconds;
                return TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue));
            }
        }

        /// <summary>Where MaxAttempts came from, for messages.</summary>
        public string Source { get; }

        public string Describe() =>
            MaxAttempts.ToString(CultureInfo.InvariantCulture) + " attempt" + (MaxAttempts == 1 ? "" : "s") + " (" + Source + ", " + Mode +
            " retry mode) of at most " + AttemptTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s each";

        /// <summary>The policy for a call made for <paramref name="settings"/>' profile: the environment first, as in
        /// the SDKs, then the profile (with include_profile and [default]).</summary>
        internal static StsRetryPolicy For(ProfileSettings settings, EnvironmentSnapshot environment)
        {
            string mode = ModeFromEnvironment(environment) ?? ModeFromConfig(settings) ?? Standard;
            string source = "the default";
            int? attempts = AttemptsFromEnvironment(environment);
            if (attempts.HasValue)
            {
                source = "$env:AWS_MAX_ATTEMPTS";
            }
            else if (AttemptsFromConfig(settings, out string where) is int fromConfig)
            {
                attempts = fromConfig;
                source = where;
            }
            int max = attempts ?? DefaultMaxAttempts;
            return new StsRetryPolicy(mode, max, DefaultAttemptTimeout, source);
        }

        private static string ModeFromEnvironment(EnvironmentSnapshot environment)
        {
            string text = environment.Get("AWS_RETRY_MODE");
            if (string.IsNullOrWhiteSpace(text)) return null;
            return ParseMode(text) ?? throw new AwsVaultException(ErrorIds.InvalidRetryMode, ErrorCategory.InvalidArgument,
                "$env:AWS_RETRY_MODE is '" + text + "', which is not a retry mode. Use standard, adaptive or legacy, or remove the variable.", "AWS_RETRY_MODE");
        }

        private static int? AttemptsFromEnvironment(EnvironmentSnapshot environment)
        {
            string text = environment.Get("AWS_MAX_ATTEMPTS");
            if (string.IsNullOrWhiteSpace(text)) return null;
            return ParseAttempts(text) ?? throw new AwsVaultException(ErrorIds.InvalidMaxAttempts, ErrorCategory.InvalidArgument,
                "$env:AWS_MAX_ATTEMPTS is '" + text + "', which is not a number of attempts. Use a whole number from 1 (no retries) up, such as 3, or remove the variable.", "AWS_MAX_ATTEMPTS");
        }

        private static string ModeFromConfig(ProfileSettings settings)
        {
            ConfigValue v = settings?.GetValue(ConfigKeys.RetryMode);
            if (v == null || v.Value.Length == 0) return null;
            return ParseMode(v.Value) ?? throw ConfigErrors.Invalid(settings.Path, v,
                "retry_mode in " + ConfigErrors.Where(v, settings.ProfileName) + " is '" + v.Value +
                "', which is not a retry mode. Write standard, adaptive or legacy, or remove it.", settings.ProfileName);
        }

        private static int? AttemptsFromConfig(ProfileSettings settings, out string where)
        {
            where = null;
            ConfigValue v = settings?.GetValue(ConfigKeys.MaxAttempts);
            if (v == null || v.Value.Length == 0) return null;
            where = "max_attempts in " + ConfigErrors.DisplayPath(settings.Path) + " line " + v.Line.ToString(CultureInfo.InvariantCulture);
            return ParseAttempts(v.Value) ?? throw ConfigErrors.Invalid(settings.Path, v,
                "max_attempts in " + ConfigErrors.Where(v, settings.ProfileName) + " is '" + v.Value +
                "', which is not a number of attempts. Write a whole number from 1 (no retries) up, like 'max_attempts = 3', or remove it.", settings.ProfileName);
        }

        private static string ParseMode(string text)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case Standard: return Standard;
                case Adaptive: return Adaptive;
                case Legacy: return Standard;
                default: return null;
            }
        }

        private static int? ParseAttempts(string text) =>
            int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n : (int?)null;
    }
}
