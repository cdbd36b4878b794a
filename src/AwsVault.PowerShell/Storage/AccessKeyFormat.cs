using System.Management.Automation;

namespace AwsVault.Storage
{
    /// <summary>Rejects keys that cannot work before they are stored, so a typo shows up at add time and not
    /// as an STS signature error hours later. Messages never repeat the values: a secret pasted into the
    /// wrong field must not end up on screen or in a log.</summary>
    internal static class AccessKeyFormat
    {
        public static void Validate(string profileName, AccessKey key)
        {
            string id = key.AccessKeyId;
            if (id.Length < 16 || id.Length > 128 || !IsUpperAlphanumeric(id))
            {
                throw new AwsVaultException(ErrorIds.InvalidAccessKeyId, ErrorCategory.InvalidArgument,
                    "The access key id given for profile '" + profileName + "' is not an AWS access key id (" + id.Length +
                    " characters): an access key id is 16 to 128 upper-case letters and digits, like AKIAIOSFODNN7EXAMPLE. Check that the id and the secret were not swapped.", profileName);
            }
            if (id.StartsWith("ASIA", System.StringComparison.Ordinal))
            {
                throw new AwsVaultException(ErrorIds.TemporaryAccessKeyRejected, ErrorCategory.InvalidArgument,
                    "The access key id given for profile '" + profileName + "' starts with ASIA, so it is a temporary key from STS: it expires and only works with its session token. " +
                    "Store the IAM user's long-lived access key (it starts with AKIA); AwsVault makes the temporary credentials itself.", profileName);
            }
            string secret = key.SecretAccessKey;
            if (secret.Length != 40 || !IsBase64Alphabet(secret))
            {
                throw new AwsVaultException(ErrorIds.InvalidSecretAccessKey, ErrorCategory.InvalidArgument,
                    "The secret access key given for profile '" + profileName + "' is not an AWS secret access key (" + secret.Length +
                    " characters): a secret access key is 40 characters of letters, digits, '/' and '+'. Copy it again from the IAM console or the key's CSV file.", profileName);
            }
        }

        private static bool IsUpperAlphanumeric(string s)
        {
            foreach (char c in s)
            {
                if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
            }
            return true;
        }

        private static bool IsBase64Alphabet(string s)
        {
            foreach (char c in s)
            {
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '+')) return false;
            }
            return true;
        }
    }
}
