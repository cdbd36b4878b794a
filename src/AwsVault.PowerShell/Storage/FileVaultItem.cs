using System;
using System.Collections.Generic;
using System.Text;
using AwsVault.Internal;

namespace AwsVault.Storage
{
    /// <summary>
    /// The decrypted content of one vault file: the JSON of 99designs/keyring's Item struct, written
    /// field for field as Go's encoding/json writes it so that aws-vault reads our files and we read its.
    /// </summary>
    internal sealed class FileVaultItem
    {
        public string Key { get; set; }

        public byte[] Data { get; set; }

        public string Label { get; set; }

        public string Description { get; set; }

        public bool KeychainNotTrustApplication { get; set; }

        public bool KeychainNotSynchronizable { get; set; }

        public string ToJson()
        {
            return new JsonObjectWriter()
                .String("Key", Key ?? string.Empty)
                .Raw("Data", Data == null ? "null" : "\"" + Convert.ToBase64String(Data) + "\"")
                .String("Label", Label ?? string.Empty)
                .String("Description", Description ?? string.Empty)
                .Bool("KeychainNotTrustApplication", KeychainNotTrustApplication)
                .Bool("KeychainNotSynchronizable", KeychainNotSynchronizable)
                .ToString();
        }

        /// <summary>
        /// Reads an item the way Go would: field names match case-insensitively, unknown fields are
        /// ignored, null leaves a field empty. FormatException says what is wrong, not what is there.
        /// </summary>
        public static FileVaultItem Parse(byte[] utf8Json)
        {
            Dictionary<string, object> obj;
            try
            {
                obj = Json.ParseObject(utf8Json);
            }
            catch (FormatException e)
            {
                throw new FormatException("the decrypted item is not a JSON object (" + e.Message + ")");
            }
            var item = new FileVaultItem
            {
                Key = OptionalString(obj, "Key"),
                Label = OptionalString(obj, "Label"),
                Description = OptionalString(obj, "Description"),
                KeychainNotTrustApplication = OptionalBool(obj, "KeychainNotTrustApplication"),
                KeychainNotSynchronizable = OptionalBool(obj, "KeychainNotSynchronizable"),
            };
            string data = OptionalString(obj, "Data");
            if (data != null)
            {
                try
                {
                    item.Data = Convert.FromBase64String(data);
                }
                catch (FormatException)
                {
                    throw new FormatException("the item's Data is not base64");
                }
            }
            return item;
        }

        /// <summary>aws-vault's credentials item for a profile: aws.Credentials JSON in Data.</summary>
        public static FileVaultItem ForAccessKey(string profileName, AccessKey key)
        {
            string data = new JsonObjectWriter()
                .String("AccessKeyID", key.AccessKeyId)
                .String("SecretAccessKey", key.SecretAccessKey)
                .String("SessionToken", string.Empty)
                .String("Source", string.Empty)
                .Bool("CanExpire", false)
                .String("Expires", "0001-01-01T00:00:00Z")
                .ToString();
            return new FileVaultItem
            {
                Key = profileName,
                Data = Encoding.UTF8.GetBytes(data),
                Label = "aws-vault (" + profileName + ")",
                Description = string.Empty,
                // aws-vault sets this on credentials (it matters only to the macOS keychain backend);
                // writing the same keeps our files identical to its own.
                KeychainNotTrustApplication = true,
            };
        }

        /// <summary>aws-vault's session item: the STS credentials JSON in Data, named by the session key.</summary>
        public static FileVaultItem ForSession(SessionKey key, string json)
        {
            return new FileVaultItem
            {
                Key = key.ToString(),
                Data = Encoding.UTF8.GetBytes(json),
                Label = "aws-vault session for " + key.ProfileName + " (expires " + key.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) + ")",
                Description = "aws-vault session",
                KeychainNotTrustApplication = true,
            };
        }

        /// <summary>An SSO sign-in item as aws-vault's OIDCTokenKeyring labels it; Data is the token JSON
        /// (see <see cref="AwsVault.Sso.VaultSsoTokenStore"/>). The label names no secret.</summary>
        public static FileVaultItem ForSsoToken(string itemKey, string tokenKey, string json)
        {
            return new FileVaultItem
            {
                Key = itemKey,
                Data = Encoding.UTF8.GetBytes(json),
                Label = "aws-vault oidc token for " + tokenKey,
                Description = "aws-vault oidc token",
            };
        }

        /// <summary>The access key in a credentials item; FormatException when there is none.</summary>
        public AccessKey ToAccessKey()
        {
            if (Data == null || Data.Length == 0) throw new FormatException("the item holds no data");
            Dictionary<string, object> creds;
            try
            {
                creds = Json.ParseObject(Data);
            }
            catch (FormatException e)
            {
                throw new FormatException("the item's data is not a JSON object (" + e.Message + ")");
            }
            string id = OptionalString(creds, "AccessKeyID");
            string secret = OptionalString(creds, "SecretAccessKey");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
            {
                throw new FormatException("the item holds no access key id and secret access key");
            }
            return new AccessKey(id, secret);
        }

        /// <summary>The session JSON in a session item; FormatException when it is not UTF-8 text.</summary>
        public string DataAsText()
        {
            if (Data == null) throw new FormatException("the item holds no data");
            try
            {
                return Json.StrictUtf8.GetString(Data);
            }
            catch (DecoderFallbackException)
            {
                throw new FormatException("the item's data is not UTF-8 text");
            }
        }

        private static string OptionalString(Dictionary<string, object> obj, string name)
        {
            if (!Json.TryGetMember(obj, name, out object value) || value == null) return null;
            return value as string ?? throw new FormatException("the field " + name + " is not a string");
        }

        private static bool OptionalBool(Dictionary<string, object> obj, string name)
        {
            if (!Json.TryGetMember(obj, name, out object value) || value == null) return false;
            if (value is bool b) return b;
            throw new FormatException("the field " + name + " is not true or false");
        }
    }
}
