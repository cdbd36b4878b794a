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

        /// <summary>
        /// Removed before a credential server's variables are set: the key variables, which SDKs would prefer to
        /// the server, and the container variables that outrank AWS_CONTAINER_CREDENTIALS_FULL_URI (a relative
        /// URI) or AWS_CONTAINER_AUTHORIZATION_TOKEN (a token file) in the SDKs' own order.
        /// </summary>
        public static readonly IReadOnlyList<string> UnsetForServer = new[]
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
            "AWS_CREDENTIAL_FILE", "AWS_DEFAULT_PROFILE", "AWS_PROFILE", "AWS_SDK_LOAD_CONFIG",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        };

        public const string FullUri = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
        public const string AuthorizationToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN";

        /// <summary>The variables that point a child at a running credential server instead of handing it keys.</summary>
        internal static IReadOnlyList<KeyValuePair<string, string>> ForServer(CredentialServerInfo server)
        {
            var vars = new List<KeyValuePair<string, string>>();
            foreach (string name in UnsetForServer) vars.Add(new KeyValuePair<string, string>(name, null));
            Set(vars, "AWS_VAULT", server.ProfileName);
            if (!string.IsNullOrEmpty(server.Region))
            {
                Set(vars, "AWS_REGION", server.Region);
                Set(vars, "AWS_DEFAULT_REGION", server.Region);
            }
            Set(vars, FullUri, server.Uri.ToString());
            Set(vars, AuthorizationToken, server.Instance.Server.AuthorizationTokenText);
            return vars;
        }

        private static void Set(List<KeyValuePair<string, string>> vars, string name, string value)
        {
            vars.RemoveAll(p => p.Key == name);
            vars.Add(new KeyValuePair<string, string>(name, value));
        }
    }
}
