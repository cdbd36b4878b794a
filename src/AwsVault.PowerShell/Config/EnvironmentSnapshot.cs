using System;
using System.Collections.Generic;

namespace AwsVault.Config
{
    /// <summary>
    /// The AWS_* variables that change what a profile means, read once per command. Environment variables are
    /// process-wide and another runspace may change them at any moment; one snapshot gives a command one
    /// consistent view, and lets tests (and a long-lived server) pass a view without touching the process.
    /// An empty value counts as unset, as it always has for these variables.
    /// </summary>
    internal sealed class EnvironmentSnapshot
    {
        /// <summary>Every variable the profile graph and the session cache read.</summary>
        public static readonly IReadOnlyList<string> Names = new[]
        {
            "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_MFA_SERIAL",
            "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_SESSION_TAGS", "AWS_TRANSITIVE_TAGS", "AWS_SOURCE_IDENTITY",
            "AWS_ASSUME_ROLE_TTL", "AWS_SESSION_TOKEN_TTL", "AWS_CHAINED_SESSION_TOKEN_TTL", "AWS_FEDERATION_TOKEN_TTL", "AWS_MIN_TTL",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SIGNIN", "AWS_ENDPOINT_URL_IAM",
            "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS",
        };

        public static readonly EnvironmentSnapshot Empty = new EnvironmentSnapshot(new Dictionary<string, string>(StringComparer.Ordinal));

        private readonly Dictionary<string, string> _values;

        private EnvironmentSnapshot(Dictionary<string, string> values)
        {
            _values = values;
        }

        /// <summary>The process environment now.</summary>
        public static EnvironmentSnapshot Capture()
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string name in Names)
            {
                string value = Environment.GetEnvironmentVariable(name);
                if (!string.IsNullOrEmpty(value)) values[name] = value;
            }
            return new EnvironmentSnapshot(values);
        }

        /// <summary>A given set of variables (tests, a server answering for another environment).</summary>
        public static EnvironmentSnapshot From(IEnumerable<KeyValuePair<string, string>> variables)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (variables != null)
            {
                foreach (var pair in variables)
                {
                    if (!string.IsNullOrEmpty(pair.Value)) values[pair.Key] = pair.Value;
                }
            }
            return new EnvironmentSnapshot(values);
        }

        /// <summary>The variable's value, or null when it is unset or empty.</summary>
        public string Get(string name) => _values.TryGetValue(name, out string value) ? value : null;
    }
}
