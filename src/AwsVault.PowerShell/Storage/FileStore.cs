using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AwsVault.Internal;
using AwsVault.Storage.Jwe;
using AwsVault.Output;

namespace AwsVault.Storage
{
    /// <summary>
    /// aws-vault's file backend: one JWE file per item in a directory, readable and writable by both
    /// tools. Listing works from file names alone (no passphrase); a get, set or remove touches one file.
    /// Before the first write in a process the passphrase is checked against an existing item, so a
    /// mistyped passphrase cannot leave the vault with items under two different passphrases.
    /// </summary>
    internal sealed class FileStore : ICredentialStore
    {
        public const string BackendName = "file";

        /// <summary>Vault files are small; anything bigger is not one of ours, and is not read into memory.</summary>
        private const long MaxItemFileSize = 1024 * 1024;

        /// <summary>After this many items refuse the passphrase (and none accepts it), it is wrong.</summary>
        private const int WrongPassphraseThreshold = 3;

        private const string OidcPrefix = "oidc:";

        // aws-vault's older session names, which it also keeps out of the credentials list.
        private static readonly Regex[] LegacySessionNames =
        {
            new Regex("^session:[^ ]+:[^ ]*:[^:]+$", RegexOptions.CultureInvariant),
            new Regex(@"^(.+?) session \((\d+)\)$", RegexOptions.CultureInvariant),
        };

        private static readonly object VerifiedGate = new object();
        private static readonly HashSet<string> Verified = new HashSet<string>(StringComparer.Ordinal);
        private static readonly byte[] VerifiedKey = Pbes2KeyCache.RandomBytes(32);

        private readonly IPassphraseSource _passphrase;
        private readonly bool _windowsNames;

        public FileStore(string directory, IPassphraseSource passphrase)
        {
            if (string.IsNullOrEmpty(directory)) throw new ArgumentException("The vault directory must be given.", nameof(directory));
            _passphrase = passphrase ?? throw new ArgumentNullException(nameof(passphrase));
            Location = Path.GetFullPath(directory);
            _windowsNames = Platform.IsWindows;
        }

        public string Backend => BackendName;

        /// <summary>The vault directory, as a full path.</summary>
        public string Location { get; }

        public IReadOnlyList<string> ListProfilesWithKeys()
        {
            return ListItemKeys().Where(IsProfileKeyName).OrderBy(k => k, StringComparer.Ordinal).ToList();
        }

        public bool HasKey(string profileName)
        {
            CheckProfileName(profileName);
            if (!IsProfileKeyName(profileName)) return false;
            return File.Exists(PathFor(profileName));
        }

        public AccessKey GetKey(string profileName)
        {
            CheckProfileName(profileName);
            if (!IsProfileKeyName(profileName)) return null;
            return ReadAs(profileName, item => item.ToAccessKey());
        }

        /// <summary>The item converted, null when there is none; a payload that does not convert is a corrupt item.</summary>
        private T ReadAs<T>(string itemKey, Func<FileVaultItem, T> convert) where T : class
        {
            FileVaultItem item = ReadItem(itemKey);
            if (item == null) return null;
            try
            {
                return convert(item);
            }
            catch (FormatException e)
            {
                throw CorruptItem(itemKey, e.Message);
            }
        }

        public void SetKey(string profileName, AccessKey key)
        {
            CheckProfileName(profileName);
            if (key == null) throw new ArgumentNullException(nameof(key));
            if (!IsProfileKeyName(profileName))
            {
                throw new AwsVaultException(ErrorIds.InvalidProfileName, ErrorCategory.InvalidArgument,
                    "The profile name '" + profileName + "' cannot hold a stored key: the file vault reserves names of this form for cached sessions and SSO tokens.",
                    profileName);
            }
            WriteItem(FileVaultItem.ForAccessKey(profileName, key));
        }

        public bool RemoveKey(string profileName)
        {
            CheckProfileName(profileName);
            if (!IsProfileKeyName(profileName)) return false;
            return DeleteItem(profileName);
        }

        public IReadOnlyList<SessionKey> ListSessions()
        {
            var sessions = new List<SessionKey>();
            foreach (string name in ListItemKeys().OrderBy(k => k, StringComparer.Ordinal))
            {
                if (!IsSsoItemKey(name) && SessionKey.TryParse(name, out SessionKey key)) sessions.Add(key);
            }
            return sessions;
        }

        public string GetSession(SessionKey key)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            string itemKey = key.ToString();
            FileVaultItem item = ReadItem(itemKey);
            if (item == null) return null;
            try
            {
                return item.DataAsText();
            }
            catch (FormatException e)
            {
                throw CorruptItem(itemKey, e.Message);
            }
        }

        public void SetSession(SessionKey key, string json)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            if (json == null) throw new ArgumentNullException(nameof(json));
            try
            {
                Json.Parse(json);
            }
            catch (FormatException e)
            {
                // The message carries a position only, never the (secret) text.
                throw new ArgumentException("The session data must be JSON: " + e.Message, nameof(json));
            }
            WriteItem(FileVaultItem.ForSession(key, json));
        }

        public bool RemoveSession(SessionKey key)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            return DeleteItem(key.ToString());
        }

        // SSO sign-ins are items named "oidc:<token key>", the prefix aws-vault's OIDCTokenKeyring uses (it keys by
        // start URL, which is our token key for a legacy profile, so aws-vault and AwsVault find each other's token
        // there; an sso-session's token is under its session name, which aws-vault lists but never looks up).
        // The prefix is already kept out of profile names, and ListSessions skips it.

        public IReadOnlyList<string> ListSsoTokens() =>
            ListItemKeys().Where(k => k.StartsWith(OidcPrefix, StringComparison.Ordinal) && k.Length > OidcPrefix.Length)
                          .Select(k => k.Substring(OidcPrefix.Length))
                          .OrderBy(k => k, StringComparer.Ordinal)
                          .ToList();

        public string GetSsoToken(string tokenKey)
        {
            return ReadAs(SsoItemKey(tokenKey), item => item.DataAsText());
        }

        public void SetSsoToken(string tokenKey, string json)
        {
            string itemKey = SsoItemKey(tokenKey);
            if (json == null) throw new ArgumentNullException(nameof(json));
            try
            {
                Json.ParseObject(json);
            }
            catch (FormatException e)
            {
                throw new ArgumentException("The SSO token data must be a JSON object: " + e.Message, nameof(json));
            }
            WriteItem(FileVaultItem.ForSsoToken(itemKey, tokenKey, json));
        }

        public bool RemoveSsoToken(string tokenKey) => DeleteItem(SsoItemKey(tokenKey));

        private static string SsoItemKey(string tokenKey)
        {
            if (string.IsNullOrEmpty(tokenKey)) throw new ArgumentException("An SSO token key is a non-empty sso-session name or start URL.", nameof(tokenKey));
            return OidcPrefix + tokenKey;
        }

        private static bool IsSsoItemKey(string itemKey) => itemKey.StartsWith(OidcPrefix, StringComparison.Ordinal);

        /// <summary>The file an item key lives in (for messages and tests).</summary>
        public string PathFor(string itemKey) => Path.Combine(Location, FileNameCodec.Encode(itemKey, _windowsNames));

        // ---- names -------------------------------------------------------------------------------------

        private static bool IsProfileKeyName(string name) =>
            !name.StartsWith(OidcPrefix, StringComparison.Ordinal) &&
            !SessionKey.TryParse(name, out _) &&
            !LegacySessionNames.Any(r => r.IsMatch(name));

        private static void CheckProfileName(string profileName)
        {
            if (profileName == null) throw new ArgumentNullException(nameof(profileName));
            if (profileName.Length == 0)
            {
                throw new AwsVaultException(ErrorIds.InvalidProfileName, ErrorCategory.InvalidArgument, "A profile name must not be empty.", profileName);
            }
        }

        private IEnumerable<string> ListItemKeys()
        {
            string[] files;
            try
            {
                if (!Directory.Exists(Location)) return Enumerable.Empty<string>();
                files = Directory.GetFiles(Location);
            }
            catch (DirectoryNotFoundException)
            {
                return Enumerable.Empty<string>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw IoFailure("list the vault directory", Location, e, ErrorCategory.ReadError);
            }
            return files.Select(Path.GetFileName)
                        .Where(n => !FileNameCodec.IsIgnored(n))
                        .Select(FileNameCodec.Decode)
                        .Distinct(StringComparer.Ordinal)
                        .ToList();
        }

        // ---- reading -------------------------------------------------------------------------------------

        /// <summary>The decrypted item, or null when there is no file. Asks for the passphrase only if the file exists.</summary>
        private FileVaultItem ReadItem(string itemKey)
        {
            string path = PathFor(itemKey);
            string text = ReadToken(itemKey, path);
            if (text == null) return null;

            JweToken token = ParseToken(itemKey, text);
            string passphrase = GetPassphrase();
            byte[] payload;
            try
            {
                payload = token.Decrypt(passphrase);
            }
            catch (JweException e) when (e.Failure == JweFailure.WrongPassphrase)
            {
                throw OpensAnotherItem(itemKey, passphrase) ? WrongPassphrase(itemKey) : WrongPassphrase();
            }
            catch (JweException e)
            {
                throw CorruptItem(itemKey, e.Message);
            }
            MarkVerified(passphrase);
            try
            {
                return FileVaultItem.Parse(payload);
            }
            catch (FormatException e)
            {
                throw CorruptItem(itemKey, e.Message);
            }
            finally
            {
                Array.Clear(payload, 0, payload.Length);
            }
        }

        /// <summary>The file's text, or null when it does not exist.</summary>
        private string ReadToken(string itemKey, string path)
        {
            byte[] bytes;
            try
            {
                // Share everything so that a concurrent writer's rename (or delete) is never blocked by us.
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (stream.Length > MaxItemFileSize) throw CorruptItem(itemKey, "the file is larger than any vault item");
                    bytes = new byte[stream.Length];
                    int read = 0;
                    while (read < bytes.Length)
                    {
                        int n = stream.Read(bytes, read, bytes.Length - read);
                        if (n == 0) break;
                        read += n;
                    }
                    if (read != bytes.Length) Array.Resize(ref bytes, read);
                }
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw IoFailure("read", path, e, ErrorCategory.ReadError);
            }
            try
            {
                return Json.StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw CorruptItem(itemKey, "the file is not text");
            }
        }

        private JweToken ParseToken(string itemKey, string text)
        {
            try
            {
                return JweToken.Parse(text);
            }
            catch (JweException e)
            {
                throw CorruptItem(itemKey, e.Message);
            }
        }

        // ---- writing -------------------------------------------------------------------------------------

        private void WriteItem(FileVaultItem item)
        {
            string passphrase = _passphrase is INewVaultPassphraseSource creating && !ListItemKeys().Any()
                ? creating.GetNewVaultPassphrase(Location) ?? GetPassphrase()
                : GetPassphrase();
            VerifyBeforeWrite(passphrase);

            byte[] payload = Encoding.UTF8.GetBytes(item.ToJson());
            string token;
            try
            {
                token = JweToken.Encrypt(payload, passphrase, new[]
                {
                    new KeyValuePair<string, string>("created", JweToken.FormatCreated(DateTimeOffset.Now)),
                });
            }
            finally
            {
                Array.Clear(payload, 0, payload.Length);
            }

            string path = PathFor(item.Key);
            try
            {
                FilePermissions.EnsureDirectory(Location);
                // The vault is being written, so the temp files killed writers left behind can go now.
                AtomicFile.SweepStaleTemps(Location);
                AtomicFile.Write(Location, Path.GetFileName(path), Encoding.ASCII.GetBytes(token));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw IoFailure("write", path, e, ErrorCategory.WriteError);
            }
            MarkVerified(passphrase);
        }

        private bool DeleteItem(string itemKey)
        {
            string path = PathFor(itemKey);
            try
            {
                return AtomicFile.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw IoFailure("delete", path, e, ErrorCategory.WriteError);
            }
        }

        // ---- passphrase ----------------------------------------------------------------------------------

        private string GetPassphrase()
        {
            string passphrase = _passphrase.GetPassphrase(Location);
            if (passphrase == null)
            {
                throw new AwsVaultException(ErrorIds.VaultPassphraseMissing, ErrorCategory.AuthenticationError,
                    "No passphrase was supplied for the file vault in '" + Location + "'. Set AWS_VAULT_FILE_PASSPHRASE or run interactively to be asked for it.",
                    Location);
            }
            return passphrase;
        }

        /// <summary>
        /// Refuses a passphrase that the items already in the vault were not written with. Items that
        /// cannot be parsed say nothing about the passphrase and are skipped; an empty vault accepts any.
        /// Credentials are tried first because they are the items that matter; sessions come and go.
        /// </summary>
        private void VerifyBeforeWrite(string passphrase)
        {
            if (IsVerified(passphrase)) return;

            var candidates = ListItemKeys()
                .OrderBy(k => IsProfileKeyName(k) ? 0 : SessionKey.TryParse(k, out _) ? 1 : 2)
                .ThenBy(k => k, StringComparer.Ordinal);
            int refused = 0;
            foreach (string itemKey in candidates)
            {
                string text;
                JweToken token;
                try
                {
                    text = ReadToken(itemKey, PathFor(itemKey));
                    if (text == null) continue; // removed meanwhile
                    token = JweToken.Parse(text);
                }
                catch (AwsVaultException)
                {
                    continue;
                }
                catch (JweException)
                {
                    continue;
                }

                if (token.TryUnwrapKey(passphrase, out byte[] cek))
                {
                    Array.Clear(cek, 0, cek.Length);
                    MarkVerified(passphrase);
                    return;
                }
                if (++refused >= WrongPassphraseThreshold) break;
            }
            if (refused > 0) throw WrongPassphrase();
        }

        /// <summary>Whether the passphrase opens an item other than this one (a few are tried): if none opens, the
        /// passphrase is wrong for the whole vault, which is what the user must be told, not the name of one item.</summary>
        private bool OpensAnotherItem(string failedItemKey, string passphrase)
        {
            int tried = 0;
            foreach (string itemKey in ListItemKeys().Where(k => k != failedItemKey).OrderBy(k => IsProfileKeyName(k) ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal))
            {
                try
                {
                    string text = ReadToken(itemKey, PathFor(itemKey));
                    if (text == null) continue;
                    if (JweToken.Parse(text).TryUnwrapKey(passphrase, out byte[] cek))
                    {
                        Array.Clear(cek, 0, cek.Length);
                        return true;
                    }
                }
                catch (AwsVaultException)
                {
                    continue;
                }
                catch (JweException)
                {
                    continue;
                }
                if (++tried >= WrongPassphraseThreshold) break;
            }
            return false;
        }

        private string VerifiedId(string passphrase)
        {
            using (var hmac = new HMACSHA256(VerifiedKey))
            {
                byte[] dir = Encoding.UTF8.GetBytes(Location);
                byte[] pass = Encoding.UTF8.GetBytes(passphrase);
                var input = new byte[4 + dir.Length + pass.Length];
                input[0] = (byte)(dir.Length >> 24);
                input[1] = (byte)(dir.Length >> 16);
                input[2] = (byte)(dir.Length >> 8);
                input[3] = (byte)dir.Length;
                Buffer.BlockCopy(dir, 0, input, 4, dir.Length);
                Buffer.BlockCopy(pass, 0, input, 4 + dir.Length, pass.Length);
                string id = Convert.ToBase64String(hmac.ComputeHash(input));
                Array.Clear(pass, 0, pass.Length);
                Array.Clear(input, 0, input.Length);
                return id;
            }
        }

        private bool IsVerified(string passphrase)
        {
            string id = VerifiedId(passphrase);
            lock (VerifiedGate) return Verified.Contains(id);
        }

        private void MarkVerified(string passphrase)
        {
            string id = VerifiedId(passphrase);
            lock (VerifiedGate) Verified.Add(id);
        }

        /// <summary>Forgets which passphrases were verified (tests use it to start each case fresh).</summary>
        internal static void ResetVerifiedPassphrases()
        {
            lock (VerifiedGate) Verified.Clear();
        }

        // ---- errors --------------------------------------------------------------------------------------

        private AwsVaultException WrongPassphrase()
        {
            _passphrase.Forget(Location);
            return new AwsVaultException(ErrorIds.VaultPassphraseIncorrect, ErrorCategory.AuthenticationError,
                "The passphrase does not unlock the file vault in '" + Location + "'. Check AWS_VAULT_FILE_PASSPHRASE, or type the passphrase again when asked. Nothing was changed.",
                Location);
        }

        /// <summary>A read names the item when the passphrase opens the vault's other items: that one item was written
        /// under another passphrase (by hand, or by aws-vault with a mistyped one), and the user must be able to find it.</summary>
        private AwsVaultException WrongPassphrase(string itemKey)
        {
            _passphrase.Forget(Location);
            string what, fix;
            if (IsSsoItemKey(itemKey))
            {
                what = "the SSO sign-in for '" + itemKey.Substring(OidcPrefix.Length) + "'";
                fix = "It is only a cache of a sign-in: delete the file and sign in again.";
            }
            else if (SessionKey.TryParse(itemKey, out SessionKey session))
            {
                what = "the cached " + session.Type + " session of profile '" + session.ProfileName + "'";
                fix = "It is only a cache: Clear-AwsVaultSession " + session.ProfileName + " removes it, and the session is fetched again.";
            }
            else
            {
                what = "the key of profile '" + itemKey + "'";
                fix = "Add the key again with Add-AwsVaultProfile " + itemKey + " -Force, or find the passphrase it was written with.";
            }
            return new AwsVaultException(ErrorIds.VaultPassphraseIncorrect, ErrorCategory.AuthenticationError,
                "The passphrase opens the file vault in '" + Location + "' but not " + what + " ('" + PathFor(itemKey) + "'), which was written with another passphrase. " +
                fix + " Nothing was changed.",
                Location);
        }

        private AwsVaultException CorruptItem(string itemKey, string reason)
        {
            string path = PathFor(itemKey);
            bool isSession = SessionKey.TryParse(itemKey, out _);
            string fix = IsSsoItemKey(itemKey)
                ? "It is a cached SSO sign-in: delete the file and sign in again."
                : isSession
                ? "It is a cached session: delete the file and the session will be fetched again."
                : "Delete the file and add the profile's access key again.";
            return new AwsVaultException(ErrorIds.VaultItemCorrupt, ErrorCategory.InvalidData,
                "The vault item '" + itemKey + "' in '" + path + "' cannot be read: " + TrimPeriod(reason) + ". " + fix + " Other items are not affected.",
                itemKey);
        }

        private static AwsVaultException IoFailure(string action, string path, Exception e, ErrorCategory category)
        {
            return new AwsVaultException(ErrorIds.VaultIoFailed, category,
                "Could not " + action + " '" + path + "': " + TrimPeriod(e.Message) + ".", path, e);
        }

        private static string TrimPeriod(string text) => text.TrimEnd('.', ' ');
    }
}
