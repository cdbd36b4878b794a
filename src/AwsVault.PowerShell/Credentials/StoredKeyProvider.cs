using System.Management.Automation;
using AwsVault.Storage;

namespace AwsVault.Credentials
{
    /// <summary>The long-lived key stored for a profile: the root of most chains.</summary>
    internal sealed class StoredKeyProvider : ICredentialProvider
    {
        private readonly ICredentialStore _store;

        public StoredKeyProvider(ICredentialStore store, string profileName)
        {
            _store = store;
            ProfileName = profileName;
        }

        public string ProfileName { get; }
        public string Description => "stored key(" + ProfileName + ")";
        public bool IssuesRoleSession => false;
        public ICredentialProvider Source => null;
        public string MfaSerial => null;

        public AwsCredentials Retrieve(ChainContext context)
        {
            AccessKey key = _store.GetKey(ProfileName);
            if (key == null)
            {
                throw new AwsVaultException(ErrorIds.CredentialsMissing, ErrorCategory.ObjectNotFound,
                    "Profile '" + ProfileName + "': credentials missing. No key is stored for it in " + _store.Location + ". Add one with Add-AwsVaultProfile " + ProfileName + ".", ProfileName);
            }
            context.Log("profile " + ProfileName + ": using the stored key " + key.AccessKeyId + ".");
            return new AwsCredentials(key.AccessKeyId, key.SecretAccessKey);
        }
    }
}
