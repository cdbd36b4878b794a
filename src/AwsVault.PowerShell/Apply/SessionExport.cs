using System.Collections.Generic;
using System.Management.Automation;
using AwsVault.Internal;
using AwsVault.Output;

namespace AwsVault.Apply
{
    /// <summary>The text forms of a session, as aws-vault export writes them (plus PowerShell assignments).</summary>
    internal static class SessionExport
    {
        public static IEnumerable<string> Lines(AwsVaultSession session, ExportFormat format)
        {
            var creds = session.Credentials;
            if (!creds.IsTemporary)
            {
                // A long-lived key stays in the vault: exports exist to hand out short-lived credentials.
                throw new AwsVaultException(ErrorIds.ExportOfLongLivedKeyRefused, ErrorCategory.SecurityError,
                    "Profile '" + session.ProfileName + "' has no session (-NoSession gives the stored long-lived key), and AwsVault does not write a long-lived secret key as text. Export without -NoSession.",
                    session.ProfileName);
            }
            switch (format)
            {
                case ExportFormat.CredentialProcess:
                    var json = new JsonObjectWriter()
                        .Number("Version", 1)
                        .String("AccessKeyId", creds.AccessKeyId)
                        .String("SecretAccessKey", creds.SecretAccessKey);
                    if (creds.SessionToken != null) json.String("SessionToken", creds.SessionToken);
                    if (creds.Expiration.HasValue) json.String("Expiration", Rfc3339.Format(creds.Expiration.Value));
                    yield return json.ToString();
                    break;
                case ExportFormat.Env:
                case ExportFormat.ExportEnv:
                    string prefix = format == ExportFormat.ExportEnv ? "export " : string.Empty;
                    foreach (var pair in Variables(session)) yield return prefix + pair.Key + "=" + pair.Value;
                    break;
                case ExportFormat.PowerShell:
                    foreach (var pair in Variables(session)) yield return "$env:" + pair.Key + " = '" + pair.Value.Replace("'", "''") + "'";
                    break;
                case ExportFormat.Ini:
                    yield return "[" + session.ProfileName + "]";
                    yield return "aws_access_key_id=" + creds.AccessKeyId;
                    yield return "aws_secret_access_key=" + creds.SecretAccessKey;
                    if (creds.SessionToken != null) yield return "aws_session_token=" + creds.SessionToken;
                    if (creds.Expiration.HasValue) yield return "aws_credential_expiration=" + Rfc3339.Format(creds.Expiration.Value);
                    if (!string.IsNullOrEmpty(session.Region)) yield return "region=" + session.Region;
                    break;
            }
        }

        /// <summary>The two container variables of a running server, for another terminal, an IDE or a tool.</summary>
        public static IEnumerable<string> ServerLines(CredentialServerInfo server, ExportFormat format)
        {
            if (format != ExportFormat.Env && format != ExportFormat.ExportEnv && format != ExportFormat.PowerShell)
            {
                // credential_process and ini files hold keys; a server hands out none, only where to ask.
                throw new AwsVaultException(ErrorIds.CredentialServerFormatNotSupported, ErrorCategory.InvalidArgument,
                    "-Format " + format + " holds keys, and a credential server is exported as the two variables that point at it. Use -Format Env, ExportEnv or PowerShell with -Server.",
                    format);
            }
            if (!server.Running)
            {
                throw new AwsVaultException(ErrorIds.CredentialServerNotRunning, ErrorCategory.InvalidOperation,
                    "The credential server of profile '" + server.ProfileName + "' at " + server.Uri + " was stopped; its variables would point nowhere. Start another with Start-AwsVaultCredentialServer " + server.ProfileName + ".",
                    server.ProfileName);
            }
            var pairs = new[]
            {
                new KeyValuePair<string, string>(SessionVariables.FullUri, server.Uri.ToString()),
                new KeyValuePair<string, string>(SessionVariables.AuthorizationToken, server.Instance.Server.AuthorizationTokenText),
            };
            foreach (var pair in pairs)
            {
                switch (format)
                {
                    case ExportFormat.PowerShell:
                        yield return "$env:" + pair.Key + " = '" + pair.Value.Replace("'", "''") + "'";
                        break;
                    case ExportFormat.ExportEnv:
                        yield return "export " + pair.Key + "=" + pair.Value;
                        break;
                    default:
                        yield return pair.Key + "=" + pair.Value;
                        break;
                }
            }
        }

        // The variables a session sets, without AWS_VAULT: exported text goes into another tool's environment,
        // which is not an AwsVault subshell.
        private static IEnumerable<KeyValuePair<string, string>> Variables(AwsVaultSession session)
        {
            foreach (var pair in SessionVariables.For(session))
            {
                if (pair.Value != null && pair.Key != "AWS_VAULT") yield return pair;
            }
        }
    }
}
