using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using AwsVault.Completion;
using AwsVault.Config;
using AwsVault.Internal;
using AwsVault.Storage;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>Stores a long-lived access key for a profile in the vault (never in ~/.aws/credentials).</summary>
    [Cmdlet(VerbsCommon.Add, "AwsVaultProfile", HelpUri = HelpLinks.Base + "Add-AwsVaultProfile.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PromptSet)]
    [OutputType(typeof(ProfileInfo))]
    public sealed class AddAwsVaultProfileCommand : StoreCmdlet
    {
        private const string PromptSet = "Prompt";
        private const string CredentialSet = "Credential";
        private const string KeySet = "AccessKey";
        private const string EnvironmentSet = "FromEnvironment";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = KeySet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string AccessKeyId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = KeySet, ValueFromPipelineByPropertyName = true)]
        public SecureString SecretAccessKey { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

        /// <summary>Append a [profile X] section to the config when it has none. On by default, as in aws-vault.</summary>
        [Parameter]
        public SwitchParameter AddConfig { get; set; } = true;

        /// <summary>Replace a stored key without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            if (!ConfigWriter.IsValidProfileName(ProfileName))
            {
                throw new AwsVaultException(ErrorIds.InvalidProfileName, ErrorCategory.InvalidArgument,
                    "'" + ProfileName + "' cannot be a profile name: it must not be empty, contain '[', ']' or a line break, or start or end with white space.", ProfileName);
            }

            var config = LoadConfig();
            var settings = new ProfileResolver(config).Resolve(ProfileName);
            if (!string.IsNullOrEmpty(settings.SourceProfile))
            {
                throw new AwsVaultException(ErrorIds.ProfileHasSourceProfile, ErrorCategory.InvalidOperation,
                    "Profile '" + ProfileName + "' has source_profile '" + settings.SourceProfile + "' in " + config.Path +
                    ", so it gets its credentials from that profile and a key stored for it would never be used. Add the key to '" +
                    settings.SourceProfile + "' instead (Add-AwsVaultProfile " + settings.SourceProfile + ").", ProfileName);
            }

            // The prompted key is read only after -WhatIf and -Confirm had their say: a what-if must not ask for a secret.
            bool prompted = ParameterSetName == PromptSet;
            AccessKey key = null;
            if (!prompted)
            {
                key = ReadKey();
                AccessKeyFormat.Validate(ProfileName, key);
            }

            var store = OpenStore();
            string target = "profile '" + ProfileName + "' in " + Describe(store);
            bool appendsConfig = AddConfig && config.GetProfile(ProfileName) == null;
            string action = (prompted ? "Store an access key (asked next)" : "Store access key " + key.AccessKeyId) +
                (appendsConfig ? " and append a [profile " + ProfileName + "] section to " + config.Path : string.Empty);
            if (!ShouldProcess(target, action))
            {
                return;
            }
            if (store.HasKey(ProfileName) && !Force && !ConfirmOverwrite(store))
            {
                return;
            }
            if (prompted)
            {
                key = ReadKey();
                AccessKeyFormat.Validate(ProfileName, key);
            }

            store.SetKey(ProfileName, key);
            int removed = 0;
            foreach (var session in store.ListSessions().Where(s => s.ProfileName == ProfileName))
            {
                if (store.RemoveSession(session)) removed++;
            }
            WriteVerbose("Stored access key " + key.AccessKeyId + " for profile '" + ProfileName + "' in " + (CommandHost.StoreChoice ?? Describe(store)) +
                (removed > 0 ? "; removed " + removed + " cached session(s) made with the old key." : "."));

            bool inConfig = config.GetProfile(ProfileName) != null;
            if (!inConfig && AddConfig)
            {
                WriteVerbose(ConfigWriter.AppendProfile(config.Path, ProfileName)
                    ? "Added a section for '" + ProfileName + "' to " + config.Path + "."
                    : "Another process added the section for '" + ProfileName + "' to " + config.Path + " meanwhile; it was left as it is.");
                inConfig = true;
            }

            if (PassThru)
            {
                WriteObject(new ProfileInfo
                {
                    ProfileName = ProfileName,
                    HasStoredKey = true,
                    InConfig = inConfig,
                    RoleArn = settings.RoleArn,
                    MfaSerial = settings.MfaSerial,
                    Region = settings.Region,
                    Backend = store.Backend,
                    Vault = store.Location,
                });
            }
        }

        private AccessKey ReadKey()
        {
            switch (ParameterSetName)
            {
                case CredentialSet:
                    return new AccessKey(Credential.UserName ?? string.Empty, new NetworkCredential(string.Empty, Credential.Password).Password);
                case KeySet:
                    return new AccessKey(AccessKeyId, new NetworkCredential(string.Empty, SecretAccessKey).Password);
                case EnvironmentSet:
                    string id = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
                    string secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
                    if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
                    {
                        throw new AwsVaultException(ErrorIds.EnvironmentKeyMissing, ErrorCategory.InvalidArgument,
                            "-FromEnvironment reads $env:AWS_ACCESS_KEY_ID and $env:AWS_SECRET_ACCESS_KEY, but " +
                            (string.IsNullOrEmpty(id) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is not set. Set both, or pass -AccessKeyId and -SecretAccessKey.", ProfileName);
                    }
                    return new AccessKey(id.Trim(), secret.Trim());
                default:
                    const string how = "Pass -AccessKeyId and -SecretAccessKey, -Credential, or -FromEnvironment";
                    string keyId = Prompter.ReadLine("Enter Access Key ID: ", ErrorIds.AccessKeyRequired, how);
                    var secure = Prompter.ReadSecret("Enter Secret Access Key: ", ErrorIds.AccessKeyRequired, how);
                    return new AccessKey((keyId ?? string.Empty).Trim(), new NetworkCredential(string.Empty, secure).Password.Trim());
            }
        }

        private bool ConfirmOverwrite(ICredentialStore store)
        {
            string question = "A key for profile '" + ProfileName + "' is already stored in " + Describe(store) + ". Replace it?";
            string why = Prompts.Interactivity.WhyPromptIsImpossible(Host);
            if (why != null)
            {
                throw KeyExists(store, why);
            }
            try
            {
                return ShouldContinue(question, "Replace stored key");
            }
            catch (System.Management.Automation.Host.HostException)
            {
                throw KeyExists(store, "the host cannot prompt");
            }
        }

        private AwsVaultException KeyExists(ICredentialStore store, string why) =>
            new AwsVaultException(ErrorIds.ProfileKeyExists, ErrorCategory.ResourceExists,
                "A key for profile '" + ProfileName + "' is already stored in " + Describe(store) +
                ", and replacing it needs confirmation, which cannot be asked (" + why + "). Add -Force to replace it.", ProfileName);

        internal static string Describe(ICredentialStore store) => StoreSelection.Describe(store);
    }
}
