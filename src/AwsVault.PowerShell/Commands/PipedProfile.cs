using System;
using System.Management.Automation;
using AwsVault.Internal;
using AwsVault.Storage;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>
    /// A profile that arrived on the pipeline. A <see cref="ProfileInfo"/> from Get-AwsVaultProfile was listed from
    /// one store, and the command that receives it must act on that store rather than on whatever the default
    /// is now (a registered SecretManagement vault silently becomes the default): its backend and vault are
    /// used, and an explicit -Backend or -Vault that disagrees is refused before anything is read or changed.
    /// </summary>
    internal static class PipedProfile
    {
        /// <summary>The backend and vault to open: the explicit ones, else the piped profile's.</summary>
        public static void ChooseStore(ProfileInfo piped, ref string backend, ref string vault)
        {
            if (piped == null || string.IsNullOrEmpty(piped.Backend)) return;
            string listedFrom = Describe(piped);
            if (string.Equals(piped.Backend, StoreSelection.File, StringComparison.OrdinalIgnoreCase))
            {
                if (IsSecretManagement(backend) || !string.IsNullOrEmpty(vault))
                {
                    throw Mismatch(piped, listedFrom, string.IsNullOrEmpty(vault) ? "-Backend " + backend : "-Vault '" + vault + "'");
                }
                string current = AwsPaths.FileVaultDirectory;
                if (!string.IsNullOrEmpty(piped.Vault) && !SamePath(piped.Vault, current))
                {
                    throw Mismatch(piped, listedFrom, "the file vault now at '" + current + "' ($env:AWS_VAULT_FILE_DIR)");
                }
                backend = StoreSelection.File;
                return;
            }
            if (string.Equals(backend, StoreSelection.File, StringComparison.OrdinalIgnoreCase))
            {
                throw Mismatch(piped, listedFrom, "-Backend " + backend);
            }
            if (!string.IsNullOrEmpty(vault) && !string.Equals(vault, piped.Vault, StringComparison.OrdinalIgnoreCase))
            {
                throw Mismatch(piped, listedFrom, "-Vault '" + vault + "'");
            }
            backend = StoreSelection.SecretManagement;
            vault = piped.Vault;
        }

        /// <summary>The profile name a piped object stands for: a string, or its ProfileName property.</summary>
        public static string NameOf(object input)
        {
            object value = input is PSObject ps ? ps.BaseObject : input;
            switch (value)
            {
                case null:
                    return null;
                case string name:
                    return name;
                case ProfileInfo info:
                    return info.ProfileName;
                case AwsVaultSession session:
                    return session.ProfileName;
            }
            object property = PSObject.AsPSObject(input).Properties["ProfileName"]?.Value;
            if (property != null) return property.ToString();
            throw new AwsVaultException(ErrorIds.PipedObjectNotAProfile, ErrorCategory.InvalidArgument,
                "A " + value.GetType().Name + " came from the pipeline, which names no profile. Pipe profile names, or objects with a ProfileName property (Get-AwsVaultProfile).", input);
        }

        private static bool IsSecretManagement(string backend) =>
            string.Equals(backend, StoreSelection.SecretManagement, StringComparison.OrdinalIgnoreCase);

        private static bool SamePath(string a, string b) =>
            string.Equals(a.TrimEnd('/', '\\'), b.TrimEnd('/', '\\'), Platform.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        private static string Describe(ProfileInfo piped) =>
            string.Equals(piped.Backend, StoreSelection.File, StringComparison.OrdinalIgnoreCase)
                ? "the file vault '" + piped.Vault + "'"
                : "SecretManagement vault '" + piped.Vault + "'";

        private static AwsVaultException Mismatch(ProfileInfo piped, string listedFrom, string chosen) =>
            new AwsVaultException(ErrorIds.PipedProfileStoreMismatch, ErrorCategory.InvalidArgument,
                "The piped profile '" + piped.ProfileName + "' was listed from " + listedFrom + ", but this command was given " + chosen +
                ". Nothing was done. List the profiles from the store you mean (Get-AwsVaultProfile -Backend/-Vault), or drop the conflicting parameter.",
                piped.ProfileName);
    }
}
