using System;
using System.IO;
using System.Management.Automation;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Engine;
using AwsVault.Internal;
using AwsVault.Prompts;
using AwsVault.Storage;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>
    /// What a command needs from the PowerShell command it runs as: prompts through its host, verbose and debug
    /// through its streams, the store and the config. A compiled cmdlet and the Invoke-AwsVault function (its
    /// $PSCmdlet) both use it, so the function reaches the engine without a second cmdlet call.
    /// </summary>
    internal sealed class CommandHost
    {
        private readonly PSCmdlet _cmdlet;

        public CommandHost(PSCmdlet cmdlet)
            : this(cmdlet, EngineContext.Current)
        {
        }

        public CommandHost(PSCmdlet cmdlet, EngineContext engine)
        {
            _cmdlet = cmdlet;
            Engine = engine;
        }

        /// <summary>What the engine remembers for this import of the module.</summary>
        public EngineContext Engine { get; }

        /// <summary>Set where stdout must carry nothing but the command's output (credential_process): no
        /// verbose or debug text, and prompts go to stderr.</summary>
        public bool Quiet { get; set; }

        public IPrompter Prompter => _prompter ?? new HostPrompter(_cmdlet.Host, promptOnStandardError: Quiet, isStopping: () => _cmdlet.Stopping);

        private IPrompter _prompter;

        /// <summary>Every later question of this command (store passphrase included) goes to <paramref name="prompter"/>:
        /// a credential server keeps the store and chain after the command, and must stop asking the host then.</summary>
        public void UsePrompter(IPrompter prompter) => _prompter = prompter;

        public void Verbose(string message)
        {
            if (!Quiet) _cmdlet.WriteVerbose(message);
        }

        public void Warning(string message)
        {
            if (!Quiet) _cmdlet.WriteWarning(message);
        }

        public void Debug(string message)
        {
            if (!Quiet) _cmdlet.WriteDebug(message);
        }

        /// <summary>Why the last store was chosen, for messages: "the file vault at '...' (-Backend)".</summary>
        public string StoreChoice { get; private set; }

        public ICredentialStore OpenStore(string backend, string vault)
        {
            // Stamped: removing sessions through it reaches the memory of other processes (SessionStamp).
            var store = new SessionStampedStore(StoreSelection.Open(_cmdlet, backend, vault, new FileVaultPassphrase(Engine, Prompter), out string why));
            StoreChoice = why;
            Verbose("Using " + why + ".");
            return store;
        }

        /// <summary>The missing-key error, with where the key is instead when another store has it.</summary>
        public AwsVaultException KeyMissingHere(AwsVaultException missing, ICredentialStore store, string profileName)
        {
            string elsewhere = StoreSelection.DescribeKeyElsewhere(_cmdlet, store, profileName, new FileVaultPassphrase(Engine, Prompter));
            if (elsewhere == null) return missing;
            return new AwsVaultException(missing.ErrorId, missing.Category,
                missing.Message + " This command used " + (StoreChoice ?? AddAwsVaultProfileCommand.Describe(store)) + ", which has no key for '" + profileName + "', but " + elsewhere + ".",
                missing.Target, missing.InnerException);
        }

        public ConfigFile LoadConfig()
        {
            string path = AwsPaths.ConfigFile;
            var config = Engine.Config.Load(path);
            Debug("Read the AWS config file '" + path + "'.");
            return config;
        }

        public AwsVaultSession IssueSession(SessionRequest request, string backend, string vault)
        {
            var issued = Issue(request, backend, vault);
            return new AwsVaultSession(request.ProfileName, issued.Credentials, issued.Source.Region, issued.Source.Summary);
        }

        /// <summary>The session and the chain that made it, which a credential server asks again on every request.</summary>
        public IssuedSession Issue(SessionRequest request, string backend, string vault)
        {
            CredentialSource source = Build(request, backend, vault);
            return new IssuedSession(source, Retrieve(source, request));
        }

        /// <summary>The chain for the request, decided from the config and the store: no call is made and nothing is asked.</summary>
        public CredentialSource Build(SessionRequest request, string backend, string vault)
        {
            // One snapshot of the AWS_* overrides for the whole command: another runspace may change them meanwhile.
            var profiles = ProfileConfigLoader.Load(LoadConfig(), EnvironmentSnapshot.Capture());
            var store = OpenStore(backend, vault);
            return Explained(store, () => new SessionIssuer(Engine).Build(request, profiles, store, Verbose));
        }

        /// <summary>The credentials of a built chain (cache, prompts, STS), said at -Verbose.</summary>
        public AwsCredentials Retrieve(CredentialSource source, SessionRequest request)
        {
            var credentials = Explained(source.Store, () => source.Retrieve(Prompter, Verbose, request.MfaToken, request.Refresh));
            Verbose("profile " + request.ProfileName + ": credentials from " + source.Summary + ".");
            if (request.MfaToken != null && !source.UsesMfa)
            {
                Warning("-MfaToken was ignored: no step of profile '" + request.ProfileName + "' (" + source.Summary +
                    ") uses MFA. Give the profile (or its role) an mfa_serial if it should, or leave -MfaToken out.");
            }
            return credentials;
        }

        // A missing key says where the key is instead, when another store has it.
        private T Explained<T>(ICredentialStore store, Func<T> step)
        {
            try
            {
                return step();
            }
            catch (AwsVaultException ex) when (ex.ErrorId == ErrorIds.CredentialsMissing && ex.Target is string profile)
            {
                var explained = KeyMissingHere(ex, store, profile);
                if (ReferenceEquals(explained, ex)) throw;
                throw explained;
            }
        }

        public static string ProfileOrDefault(string profileName)
        {
            if (!string.IsNullOrEmpty(profileName)) return profileName;
            string fromEnvironment = Environment.GetEnvironmentVariable("AWS_PROFILE");
            if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
            throw new AwsVaultException(ErrorIds.ProfileNameRequired, ErrorCategory.InvalidArgument,
                "No profile was named. Pass -ProfileName, or set $env:AWS_PROFILE.");
        }

        /// <summary>The terminating error an engine failure becomes, or null for failures that are not the engine's
        /// to describe (a stop request, a bug), which propagate as they are.</summary>
        public static ErrorRecord ToErrorRecord(Exception ex)
        {
            switch (ex)
            {
                case AwsVaultException vault:
                    return vault.ToErrorRecord();
                case IOException io:
                    return new ErrorRecord(io, ErrorIds.FileAccessFailed, ErrorCategory.WriteError, null);
                case UnauthorizedAccessException denied:
                    return new ErrorRecord(denied, ErrorIds.FileAccessDenied, ErrorCategory.PermissionDenied, null);
                default:
                    return null;
            }
        }
    }
}
