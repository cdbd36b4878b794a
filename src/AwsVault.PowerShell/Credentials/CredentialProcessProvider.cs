using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsVault.Internal;

namespace AwsVault.Credentials
{
    /// <summary>
    /// credential_process as a source: runs the command and reads the AWS CLI's JSON
    /// ({"Version":1,"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":…}). It must return
    /// temporary credentials: long-lived keys belong in the vault, not in a process's output.
    /// </summary>
    internal sealed class CredentialProcessProvider : ICredentialProvider
    {
        private readonly string _command;

        public CredentialProcessProvider(string profileName, string command)
        {
            ProfileName = profileName;
            _command = command;
        }

        public string ProfileName { get; }
        public string Description => "credential_process(" + ProfileName + ")";
        public bool IssuesRoleSession => false;
        public ICredentialProvider Source => null;
        public string MfaSerial => null;

        public AwsCredentials Retrieve(ChainContext context)
        {
            context.Log("profile " + ProfileName + ": running credential_process.");
            ShellCommand.Result result;
            try
            {
                result = ShellCommand.Run(_command, ShellCommand.DefaultTimeout);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                throw Failed("could not be started: " + ex.Message, ex);
            }
            if (result.TimedOut) throw Failed("did not finish within " + ShellCommand.DefaultTimeout.TotalMinutes + " minutes.");
            if (result.ExitCode != 0) throw Failed("exited with code " + result.ExitCode + ".");

            Dictionary<string, object> json;
            try
            {
                json = Json.ParseObject(result.StandardOutput.Trim());
            }
            catch (FormatException)
            {
                throw Failed("printed something that is not a JSON object.");
            }
            string id = Member(json, "AccessKeyId");
            string secret = Member(json, "SecretAccessKey");
            string token = Member(json, "SessionToken");
            string expiration = Member(json, "Expiration");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
            {
                throw Failed("printed JSON without AccessKeyId and SecretAccessKey.");
            }
            if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(expiration) || !Rfc3339.TryParse(expiration, out DateTimeOffset expires))
            {
                throw Failed("returned long-lived credentials (no SessionToken and Expiration). A credential_process source must return temporary credentials; store long-lived keys with Add-AwsVaultProfile instead.");
            }
            return new AwsCredentials(id, secret, token, expires);
        }

        private static string Member(Dictionary<string, object> json, string name) =>
            Json.TryGetMember(json, name, out object value) ? value as string : null;

        private AwsVaultException Failed(string what, Exception inner = null) =>
            new AwsVaultException(ErrorIds.CredentialProcessFailed, ErrorCategory.InvalidResult,
                "Profile '" + ProfileName + "': credential_process " + what, ProfileName, inner);
    }
}
