using System;
using System.IO;
using System.Management.Automation;
using AwsVault.Internal;

namespace AwsVault.Credentials
{
    /// <summary>AssumeRoleWithWebIdentity with a token from web_identity_token_file or web_identity_token_process.</summary>
    internal sealed class WebIdentityProvider : ICredentialProvider
    {
        private readonly StsEndpoint _endpoint;
        private readonly string _roleArn;
        private readonly string _sessionName;
        private readonly int _durationSeconds;
        private readonly string _tokenFile;
        private readonly string _tokenProcess;
        private readonly string _durationSource;

        public WebIdentityProvider(string profileName, StsEndpoint endpoint, string roleArn, string sessionName, int durationSeconds, string tokenFile, string tokenProcess, string durationSource = null)
        {
            _durationSource = durationSource;
            ProfileName = profileName;
            _endpoint = endpoint;
            _roleArn = roleArn;
            _sessionName = sessionName;
            _durationSeconds = durationSeconds;
            _tokenFile = tokenFile;
            _tokenProcess = tokenProcess;
        }

        public string ProfileName { get; }
        public string Description => "AssumeRoleWithWebIdentity(" + ProfileName + ")";
        public bool IssuesRoleSession => true;
        public ICredentialProvider Source => null;
        public string MfaSerial => null;

        public AwsCredentials Retrieve(ChainContext context)
        {
            string token = ReadToken();
            var request = new WebIdentityParameters
            {
                RoleArn = _roleArn,
                RoleSessionName = _sessionName ?? RoleSessionNames.Default(),
                DurationSeconds = _durationSeconds,
                WebIdentityToken = token,
            };
            context.Log("profile " + ProfileName + ": calling STS AssumeRoleWithWebIdentity " + _roleArn + " with the token from " +
                        (_tokenFile != null ? "web_identity_token_file" : "web_identity_token_process") + " at " + _endpoint.Describe() + ", " + _endpoint.Retry.Describe() + ".");
            try
            {
                return context.Sts.AssumeRoleWithWebIdentity(_endpoint, request).Credentials;
            }
            catch (StsCallException ex)
            {
                throw StsErrors.Translate(ex, ProfileName, "AssumeRoleWithWebIdentity " + _roleArn, _endpoint, false, _durationSource, token);
            }
        }

        private string ReadToken()
        {
            string token;
            if (_tokenFile != null)
            {
                string path = AwsPaths.ExpandHome(_tokenFile);
                try
                {
                    token = File.ReadAllText(path);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new AwsVaultException(ErrorIds.WebIdentityTokenUnreadable, ErrorCategory.ReadError,
                        "Profile '" + ProfileName + "': web_identity_token_file '" + path + "' cannot be read: " + ex.Message, ProfileName, ex);
                }
            }
            else
            {
                var result = ShellCommand.Run(_tokenProcess, ShellCommand.DefaultTimeout);
                if (result.TimedOut || result.ExitCode != 0)
                {
                    throw new AwsVaultException(ErrorIds.WebIdentityTokenProcessFailed, ErrorCategory.InvalidResult,
                        "Profile '" + ProfileName + "': web_identity_token_process " + (result.TimedOut ? "timed out" : "exited with code " + result.ExitCode) + ". Run it by hand to check that it prints a token.", ProfileName);
                }
                token = result.StandardOutput;
            }
            token = token.Trim();
            if (token.Length == 0)
            {
                throw new AwsVaultException(ErrorIds.WebIdentityTokenEmpty, ErrorCategory.InvalidData,
                    "Profile '" + ProfileName + "': the web identity token is empty.", ProfileName);
            }
            return token;
        }
    }
}
