using System.Collections.Generic;
using AwsVault.Internal;
using AwsVault.Output;

namespace AwsVault.Apply
{
    /// <summary>
    /// The environment a session puts in place, exactly as aws-vault exec does: variables that would
    /// override or confuse the session are removed first, then the session's own are set.
    /// </summary>
    internal static class SessionVariables
    {
        /// <summary>Removed before the session's variables are set.</summary>
        public static readonly IReadOnlyList<string> Unset = new[]
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
            "AWS_CREDENTIAL_FILE", "AWS_DEFAULT_PROFILE", "AWS_PROFILE", "AWS_SDK_LOAD_CONFIG",
        };

        /// <summary>Every variable a session touches, in the order they are applied; null means "absent".</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> For(AwsVaultSession session)
        {
            var vars = new List<KeyValuePair<string, string>>();
            foreach (string name in Unset) vars.Add(new KeyValuePair<string, string>(name, null));
            var creds = session.Credentials;
            Set(vars, "AWS_VAULT", session.ProfileName);
            if (!string.IsNullOrEmpty(session.Region))
            {
                Set(vars, "AWS_REGION", session.Region);
                Set(vars, "AWS_DEFAULT_REGION", session.Region);
            }
            Set(vars, "AWS_ACCESS_KEY_ID", creds.AccessKeyId);
            Set(vars, "AWS_SECRET_ACCESS_KEY", creds.SecretAccessKey);
            if (creds.SessionToken != null) Set(vars, "AWS_SESSION_TOKEN", creds.SessionToken);
            if (creds.Expiration.HasValue) Set(vars, "AWS_CREDENTIAL_EXPIRATION", Rfc3339.Format(creds.Expiration.Value));
            return vars;
        }

        private static void Set(List<KeyValuePair<string, string>> vars, string name, string value)
        {
            vars.RemoveAll(p => p.Key == name);
            vars.Add(new KeyValuePair<string, string>(name, value));
        }
    }
}
