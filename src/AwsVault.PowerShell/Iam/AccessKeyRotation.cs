using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AwsVault.Config;
using AwsVault.Credentials;
using AwsVault.Engine;
using AwsVault.Mfa;
using AwsVault.Prompts;
using AwsVault.Storage;
using AwsVault.Output;

namespace AwsVault.Iam
{
    /// <summary>
    /// Replaces a profile's stored access key with a new one, as aws-vault's rotate does, but in an order where
    /// nothing is ever lost: the new key is proven (STS accepts it) before it is stored, and stored before the old
    /// one is deleted. Until the vault holds the new key, any failure deletes the new key again, so the vault's
    /// key keeps working; after that, a failure leaves the working new key in the vault and says which old key is
    /// still in IAM. Every error names the keys by id and the state they are in.
    /// </summary>
    internal sealed class AccessKeyRotation
    {
        /// <summary>How long to wait for IAM's new key to reach STS. AWS says a new key takes a few seconds to work
        /// everywhere (aws-vault tells users "10-20 seconds"); a minute is three times that, and short enough that an
        /// unattended job fails rather than hangs. Internal and settable for the tests, which cannot wait a minute.</summary>
        internal static TimeSpan AcceptanceBound { get; set; } = TimeSpan.FromSeconds(60);

        private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(8);

        // A GetSessionToken session only for these IAM calls: the shortest STS allows, never cached.
        private const int CallerSessionSeconds = 900;

        private readonly EngineContext _engine;
        private readonly ProfileGraph _profiles;
        private readonly ICredentialStore _store;
        private readonly IPrompter _prompter;
        private readonly RotationReporter _report;

        public AccessKeyRotation(EngineContext engine, ProfileGraph profiles, ICredentialStore store, IPrompter prompter, RotationReporter report)
        {
            _engine = engine;
            _profiles = profiles;
            _store = store;
            _prompter = prompter;
            _report = report;
        }

        /// <summary>The profile whose key would be rotated and how; reads the config and the vault's item names only.</summary>
        public RotationPlan Plan(string profileName)
        {
            var known = new Dictionary<string, bool>(StringComparer.Ordinal);
            Func<string, bool> hasKey = name =>
            {
                if (!known.TryGetValue(name, out bool has)) known[name] = has = _store.HasKey(name);
                return has;
            };
            IReadOnlyList<ProfileConfig> chain = _profiles.Chain(profileName, hasKey);
            ProfileConfig holder = chain.FirstOrDefault(p => hasKey(p.Name));
            if (holder == null)
            {
                throw new AwsVaultException(ErrorIds.ProfileKeyNotFound, ErrorCategory.ObjectNotFound,
                    "Profile '" + profileName + "' has no long-lived access key stored in " + StoreName(_store) +
                    (chain.Count > 1 ? " along its source_profile chain (" + string.Join(" -> ", chain.Select(p => p.Name)) + ")" : string.Empty) +
                    ", so there is no key to rotate" + (chain.Last().HasSsoSettings ? " (it signs in through IAM Identity Center, whose credentials are temporary)" : string.Empty) +
                    ". Add-AwsVaultProfile stores a key; Get-AwsVaultProfile lists the profiles that have one.", profileName);
            }
            // The holder's own mfa_serial, else the first one on the way from the named profile down to it: the
            // device a role profile names is the user's device.
            string mfaSerial = holder.MfaSerial;
            string mfaProcess = holder.Settings.MfaProcess;
            if (string.IsNullOrEmpty(mfaSerial))
            {
                var withMfa = chain.TakeWhile(p => p != holder).FirstOrDefault(p => !string.IsNullOrEmpty(p.MfaSerial));
                mfaSerial = withMfa?.MfaSerial;
                mfaProcess = withMfa?.Settings.MfaProcess;
            }
            string region = holder.Region ?? chain[0].Region;
            return new RotationPlan(profileName, holder.Name, string.IsNullOrEmpty(mfaSerial) ? null : mfaSerial, mfaProcess,
                new StsEndpoint(region ?? "us-east-1", holder.StsEndpointUrl, holder.UseGlobalEndpoint, holder.RetryPolicy),
                new IamEndpoint(region, holder.IamEndpointUrl));
        }

        public RotatedAccessKey Rotate(RotationPlan plan, bool noSession, string mfaToken)
        {
            string profile = plan.KeyProfileName;
            _report.Progress("Reading the stored key", 0);
            AccessKey stored = _store.GetKey(profile) ?? throw new AwsVaultException(ErrorIds.ProfileKeyNotFound, ErrorCategory.ObjectNotFound,
                "No key is stored for profile '" + profile + "' in " + StoreName(_store) + " any more (another process removed it). Nothing was changed.", profile);
            var old = new AwsCredentials(stored.AccessKeyId, stored.SecretAccessKey);
            _report.Verbose("profile " + profile + ": rotating the stored key " + old.AccessKeyId + " in " + StoreName(_store) + ".");

            AwsCredentials caller = Caller(plan, old, noSession, mfaToken, out bool mfaSession);
            string[] secrets = { old.SecretAccessKey, caller.SecretAccessKey, caller.SessionToken };
            IIamClient iam = _engine.Iam;

            _report.Progress("Finding the IAM user of " + old.AccessKeyId, 10);
            IamUser user = FindUser(plan, caller, old, mfaSession, secrets);
            string userText = user.UserName != null ? "user '" + user.UserName + "'" : "the account's root user";

            _report.Progress("Listing the access keys of " + userText, 20);
            IReadOnlyList<IamAccessKeyInfo> keys = BeforeChange(() => iam.ListAccessKeys(plan.IamEndpoint, caller, user.UserName), plan, "ListAccessKeys", mfaSession, old, secrets);
            if (keys.Count >= 2)
            {
                string other = keys.Select(k => k.AccessKeyId).FirstOrDefault(id => id != old.AccessKeyId) ?? keys[1].AccessKeyId;
                throw new AwsVaultException(ErrorIds.IamLimitExceeded, ErrorCategory.LimitsExceeded,
                    "Profile '" + profile + "': IAM " + userText + " already has " + keys.Count + " access keys (" +
                    string.Join(", ", keys.Select(k => k.AccessKeyId + (k.AccessKeyId == old.AccessKeyId ? " (stored for '" + profile + "')" : string.Empty) + ", " + k.Status)) +
                    "), the most IAM allows, so no new key can be made. Delete the key that is not stored here if nothing uses it (" +
                    DeleteCommand(user, other) + "), then run Update-AwsVaultAccessKey again. Nothing was changed: the vault still holds the key " + old.AccessKeyId + ".", profile);
            }

            _report.Progress("Creating a new access key for " + userText, 30);
            IamNewAccessKey created;
            try
            {
                created = iam.CreateAccessKey(plan.IamEndpoint, caller, user.UserName);
            }
            catch (IamCallException ex)
            {
                throw CreateFailed(ex, plan, caller, user, keys, old, mfaSession, secrets);
            }
            var fresh = new AwsCredentials(created.AccessKeyId, created.SecretAccessKey);
            string[] allSecrets = secrets.Concat(new[] { fresh.SecretAccessKey }).ToArray();
            _report.Verbose("profile " + profile + ": IAM created the access key " + fresh.AccessKeyId + " for " + userText + ".");

            // From here on the new key exists: whatever stops the rotation before the vault holds it deletes it again.
            bool storedNew = false;
            try
            {
                WaitUntilAccepted(plan, fresh, old, caller, user, allSecrets);

                _report.Progress("Storing the new key " + fresh.AccessKeyId + " in " + StoreName(_store), 70);
                storedNew = Store(plan, fresh, old, caller, user, allSecrets);
            }
            catch (PipelineStoppedException)
            {
                if (!storedNew) RollBack(plan, caller, user, fresh, allSecrets, out _);
                throw;
            }

            _report.Progress("Deleting the old key " + old.AccessKeyId, 85);
            IamCallException deleteFailure = Retrying(() => iam.DeleteAccessKey(plan.IamEndpoint, caller, user.UserName, old.AccessKeyId));
            if (deleteFailure == null) _report.Verbose("profile " + profile + ": deleted the old access key " + old.AccessKeyId + " in IAM.");

            _report.Progress("Removing cached sessions made with the old key", 95);
            int removed = ClearSessions(plan);
            _report.Completed();

            if (deleteFailure != null)
            {
                throw new AwsVaultException(ErrorIds.OldAccessKeyNotDeleted, IamErrors.CategoryOf(deleteFailure),
                    "Profile '" + profile + "': the new key " + fresh.AccessKeyId + " is stored in " + StoreName(_store) + " and works (STS accepted it)" +
                    (removed > 0 ? ", and the " + removed + " cached session(s) made with the old key were removed" : string.Empty) +
                    "; but " + IamErrors.Describe(deleteFailure, "deleting the old key with DeleteAccessKey", plan.IamEndpoint, allSecrets) +
                    ". The old key " + old.AccessKeyId + " still exists in IAM and still works for anyone who has it: delete it with " +
                    DeleteCommand(user, old.AccessKeyId) + " (for example inside Invoke-AwsVault " + profile + " { ... }).", profile, deleteFailure);
            }
            return new RotatedAccessKey(profile, user.UserName ?? string.Empty, old.AccessKeyId, fresh.AccessKeyId, _store.Backend, _store.Location, removed);
        }

        /// <summary>The credentials that call IAM: an MFA session of the stored key when there is an mfa_serial (IAM
        /// takes key changes from a session only when it was made with MFA, and policies often demand MFA), else
        /// the stored key itself.</summary>
        private AwsCredentials Caller(RotationPlan plan, AwsCredentials old, bool noSession, string mfaToken, out bool mfaSession)
        {
            mfaSession = false;
            string profile = plan.KeyProfileName;
            if (noSession)
            {
                _report.Verbose("profile " + profile + ": -NoSession: IAM is called with the stored key " + old.AccessKeyId + " itself.");
                return old;
            }
            if (plan.MfaSerial == null)
            {
                _report.Verbose("profile " + profile + ": no mfa_serial, so IAM is called with the stored key " + old.AccessKeyId +
                                " itself (IAM takes no session made without MFA).");
                return old;
            }
            _report.Progress("Getting an MFA session for the IAM calls", 5);
            string code = new MfaCodeSource(_engine, mfaToken, _prompter, _report.Verbose).GetCode(plan.MfaSerial, profile, plan.MfaProcess, _profiles.Config.Path);
            _report.Verbose("profile " + profile + ": calling STS GetSessionToken with MFA " + plan.MfaSerial + " at " + plan.StsEndpoint.Describe() +
                            ", for the IAM calls only (not cached).");
            try
            {
                AwsCredentials session = _engine.Sts.GetSessionToken(plan.StsEndpoint, old, CallerSessionSeconds, plan.MfaSerial, code).Credentials;
                mfaSession = true;
                return session;
            }
            catch (StsCallException ex)
            {
                var translated = StsErrors.Translate(ex, profile, "GetSessionToken", plan.StsEndpoint, true, old.SecretAccessKey);
                throw new AwsVaultException(translated.ErrorId, translated.Category,
                    translated.Message + " Nothing was changed: the vault still holds the key " + old.AccessKeyId + ".", profile, ex);
            }
        }

        /// <summary>The user the key belongs to, as aws-vault finds it: GetUser; when the user may not call that, the
        /// ARN that STS GetCallerIdentity (which needs no permission) gives.</summary>
        private IamUser FindUser(RotationPlan plan, AwsCredentials caller, AwsCredentials old, bool mfaSession, string[] secrets)
        {
            try
            {
                IamUser user = _engine.Iam.GetUser(plan.IamEndpoint, caller);
                _report.Verbose("profile " + plan.KeyProfileName + ": the key belongs to " + user.Arn + " (IAM GetUser).");
                return user;
            }
            catch (IamCallException ex) when (ex.Code == "AccessDenied")
            {
                _report.Verbose("profile " + plan.KeyProfileName + ": IAM GetUser is not allowed (" + StsErrors.Redact(ex.Message, secrets) + "); asking STS GetCallerIdentity instead.");
            }
            catch (IamCallException ex)
            {
                throw IamErrors.BeforeChange(ex, plan.KeyProfileName, "GetUser", plan.IamEndpoint, mfaSession, old.AccessKeyId, secrets);
            }
            string arn;
            try
            {
                arn = _engine.Sts.GetCallerIdentity(plan.StsEndpoint, caller).Arn;
            }
            catch (StsCallException ex)
            {
                var translated = StsErrors.Translate(ex, plan.KeyProfileName, "GetCallerIdentity", plan.StsEndpoint, false, secrets);
                throw new AwsVaultException(translated.ErrorId, translated.Category,
                    translated.Message + " Nothing was changed: the vault still holds the key " + old.AccessKeyId + ".", plan.KeyProfileName, ex);
            }
            _report.Verbose("profile " + plan.KeyProfileName + ": the key belongs to " + arn + " (STS GetCallerIdentity).");
            return new IamUser(UserNameFromArn(arn), arn);
        }

        /// <summary>"arn:aws:iam::111122223333:user/division/alice" → alice; the root user (":root") → null.</summary>
        internal static string UserNameFromArn(string arn)
        {
            if (string.IsNullOrEmpty(arn) || arn.EndsWith(":root", StringComparison.Ordinal)) return null;
            int user = arn.IndexOf(":user/", StringComparison.Ordinal);
            if (user < 0) return null;
            string path = arn.Substring(user + ":user/".Length);
            return path.Substring(path.LastIndexOf('/') + 1);
        }

        private T BeforeChange<T>(Func<T> call, RotationPlan plan, string operation, bool mfaSession, AwsCredentials old, string[] secrets)
        {
            IamCallException failure = null;
            T result = default(T);
            failure = Retrying(() => { result = call(); });
            if (failure != null) throw IamErrors.BeforeChange(failure, plan.KeyProfileName, operation, plan.IamEndpoint, mfaSession, old.AccessKeyId, secrets);
            return result;
        }

        /// <summary>CreateAccessKey failed. When the reply never came (or IAM failed on its side) the key may exist
        /// anyway, with a secret nobody saw: look, and say so.</summary>
        private AwsVaultException CreateFailed(IamCallException ex, RotationPlan plan, AwsCredentials caller, IamUser user, IReadOnlyList<IamAccessKeyInfo> before,
            AwsCredentials old, bool mfaSession, string[] secrets)
        {
            var plain = IamErrors.BeforeChange(ex, plan.KeyProfileName, "CreateAccessKey", plan.IamEndpoint, mfaSession, old.AccessKeyId, secrets);
            if (!ex.IsTransient) return plain;
            try
            {
                var stray = _engine.Iam.ListAccessKeys(plan.IamEndpoint, caller, user.UserName)
                    .Where(k => before.All(b => b.AccessKeyId != k.AccessKeyId)).Select(k => k.AccessKeyId).ToList();
                if (stray.Count == 0) return plain;
                return new AwsVaultException(plain.ErrorId, plain.Category,
                    "Profile '" + plan.KeyProfileName + "', " + IamErrors.Describe(ex, "CreateAccessKey", plan.IamEndpoint, secrets) +
                    ". IAM made the key " + stray[0] + " all the same, but its secret never arrived, so it cannot be used: delete it with " +
                    DeleteCommand(user, stray[0]) + ". The vault still holds the key " + old.AccessKeyId + ", which works.", plan.KeyProfileName, ex);
            }
            catch (IamCallException)
            {
                return plain;
            }
        }

        /// <summary>GetCallerIdentity with the new key until STS accepts it, backing off 1, 2, 4, 8, 8 ... s, for at
        /// most <see cref="AcceptanceBound"/>; then the new key is deleted again.</summary>
        private void WaitUntilAccepted(RotationPlan plan, AwsCredentials fresh, AwsCredentials old, AwsCredentials caller, IamUser user, string[] secrets)
        {
            var clock = Stopwatch.StartNew();
            TimeSpan bound = AcceptanceBound;
            TimeSpan delay = FirstRetry;
            int attempt = 0;
            string lastError = null;
            while (true)
            {
                attempt++;
                int percent = 40 + (int)Math.Min(25, 25 * clock.Elapsed.TotalSeconds / Math.Max(1, bound.TotalSeconds));
                _report.Progress("Waiting until STS accepts the new key " + fresh.AccessKeyId + " (attempt " + attempt + ", " + (int)clock.Elapsed.TotalSeconds + " s)", percent);
                try
                {
                    _engine.Sts.GetCallerIdentity(plan.StsEndpoint, fresh);
                    _report.Verbose("profile " + plan.KeyProfileName + ": STS accepted the new key " + fresh.AccessKeyId + " after " +
                                    clock.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s (" + attempt + " attempt(s)).");
                    return;
                }
                catch (StsCallException ex)
                {
                    lastError = (string.IsNullOrEmpty(ex.Code) ? "Unknown" : ex.Code) + ": " + StsErrors.Redact(ex.Message, secrets).Trim().TrimEnd('.');
                    _report.Verbose("profile " + plan.KeyProfileName + ": STS does not accept the new key " + fresh.AccessKeyId + " yet (" + lastError + ").");
                }
                if (clock.Elapsed + delay > bound) break;
                _report.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }

            string undone = RollBack(plan, caller, user, fresh, secrets, out bool rolledBack);
            throw new AwsVaultException(ErrorIds.NewAccessKeyNotAccepted, ErrorCategory.OperationTimeout,
                "Profile '" + plan.KeyProfileName + "': STS did not accept the new key " + fresh.AccessKeyId + " within " + (int)bound.TotalSeconds + " s (" + attempt +
                " GetCallerIdentity attempts at " + plan.StsEndpoint.Describe() + "; the last said " + lastError + "). " + undone +
                " The vault still holds the old key " + old.AccessKeyId + ", which works" + (rolledBack ? ": nothing was changed. Try again later." : "."), plan.KeyProfileName);
        }

        /// <summary>True when the vault holds the new key. A failed write is read back: a vault that stored it anyway
        /// keeps it; one that still holds the old key gets the new key deleted again; one that cannot say is left
        /// alone with both keys in IAM.</summary>
        private bool Store(RotationPlan plan, AwsCredentials fresh, AwsCredentials old, AwsCredentials caller, IamUser user, string[] secrets)
        {
            string profile = plan.KeyProfileName;
            try
            {
                _store.SetKey(profile, new AccessKey(fresh.AccessKeyId, fresh.SecretAccessKey));
                _report.Verbose("profile " + profile + ": stored the new key " + fresh.AccessKeyId + " in " + StoreName(_store) + ".");
                return true;
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                string why = StsErrors.Redact(ex.Message, secrets).Trim().TrimEnd('.');
                string holds;
                try
                {
                    holds = _store.GetKey(profile)?.AccessKeyId;
                }
                catch (Exception readBack) when (!(readBack is PipelineStoppedException))
                {
                    throw new AwsVaultException(ErrorIds.NewAccessKeyNotStored, ErrorCategory.WriteError,
                        "Profile '" + profile + "': storing the new key " + fresh.AccessKeyId + " in " + StoreName(_store) + " failed (" + why +
                        "), and the vault could not be read back (" + StsErrors.Redact(readBack.Message, secrets).Trim().TrimEnd('.') + "), so both keys were left in IAM. " +
                        "When the vault works again, Get-AwsVaultSession " + profile + " -Refresh -Verbose shows which key it holds; delete the other one with " +
                        DeleteCommand(user, "<the other key>") + " (" + old.AccessKeyId + " is the old key, " + fresh.AccessKeyId + " the new one).", profile, ex);
                }
                if (holds == fresh.AccessKeyId)
                {
                    _report.Verbose("profile " + profile + ": the vault reported a failure (" + why + ") but holds the new key " + fresh.AccessKeyId + "; carrying on.");
                    return true;
                }
                string undone = RollBack(plan, caller, user, fresh, secrets, out bool rolledBack);
                throw new AwsVaultException(ErrorIds.NewAccessKeyNotStored, ErrorCategory.WriteError,
                    "Profile '" + profile + "': storing the new key " + fresh.AccessKeyId + " in " + StoreName(_store) + " failed: " + why + ". " + undone +
                    (holds == old.AccessKeyId
                        ? " The vault still holds the old key " + old.AccessKeyId + ", which works" + (rolledBack ? ": nothing was changed. Fix the vault and try again." : ".")
                        : " The vault holds " + (holds == null ? "no key" : "the key " + holds) + " for the profile now; the old key " + old.AccessKeyId +
                          " was not deleted and still works: store it again with Add-AwsVaultProfile " + profile + " -Force if you have it."),
                    profile, ex);
            }
        }

        /// <summary>Deletes the new key again; says in words what happened, for the error that follows.</summary>
        private string RollBack(RotationPlan plan, AwsCredentials caller, IamUser user, AwsCredentials fresh, string[] secrets, out bool rolledBack)
        {
            IamCallException failure = Retrying(() => _engine.Iam.DeleteAccessKey(plan.IamEndpoint, caller, user.UserName, fresh.AccessKeyId));
            rolledBack = failure == null;
            if (rolledBack)
            {
                _report.Verbose("profile " + plan.KeyProfileName + ": deleted the new key " + fresh.AccessKeyId + " again.");
                return "The new key " + fresh.AccessKeyId + " was deleted again.";
            }
            return "Deleting the new key again failed too (" + IamErrors.Describe(failure, "DeleteAccessKey", plan.IamEndpoint, secrets) + "): " + fresh.AccessKeyId +
                   " still exists in IAM, and its secret is nowhere, so nothing can use it: delete it with " + DeleteCommand(user, fresh.AccessKeyId) + ".";
        }

        /// <summary>Sessions of every profile whose credentials come from the rotated key: the ones built on it.</summary>
        private int ClearSessions(RotationPlan plan)
        {
            var built = new HashSet<string>(StringComparer.Ordinal) { plan.KeyProfileName, plan.ProfileName };
            foreach (string name in _profiles.Config.ProfileNames)
            {
                try
                {
                    if (_profiles.Resolver.ResolveSourceChain(name, _store.HasKey).Any(p => p.ProfileName == plan.KeyProfileName)) built.Add(name);
                }
                catch (AwsVaultException)
                {
                    // A profile the config cannot resolve has no sessions of its own to worry about.
                }
            }
            try
            {
                int removed = new SessionCache(_engine, _store, _profiles.Environment, _report.Verbose).Clear(built.Contains);
                _report.Verbose("Removed " + removed + " cached session(s) of " + string.Join(", ", built.OrderBy(n => n, StringComparer.Ordinal)) + " made with the old key.");
                return removed;
            }
            catch (Exception ex) when (ex is AwsVaultException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                // The rotation itself is done; stale sessions only live until they expire.
                _report.Warning("The key of profile '" + plan.KeyProfileName + "' was rotated, but its cached sessions could not be removed (" + ex.Message +
                                "). Run Clear-AwsVaultSession " + plan.KeyProfileName + " when the vault works again.");
                return 0;
            }
        }

        /// <summary>Up to three attempts for throttling, IAM's own failures and the network; null on success.</summary>
        private IamCallException Retrying(Action call)
        {
            TimeSpan pause = TimeSpan.FromSeconds(1);
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    call();
                    return null;
                }
                catch (IamCallException ex)
                {
                    if (!ex.IsTransient || attempt == 3) return ex;
                }
                _report.Sleep(pause);
                pause = TimeSpan.FromTicks(pause.Ticks * 2);
            }
        }

        private static string DeleteCommand(IamUser user, string accessKeyId) =>
            "`aws iam delete-access-key " + (user.UserName != null ? "--user-name " + user.UserName + " " : string.Empty) + "--access-key-id " + accessKeyId + "`";

        private static string StoreName(ICredentialStore store) => StoreSelection.Describe(store);
    }

    /// <summary>What a rotation would do, decided without a call or a secret (so -WhatIf stays silent).</summary>
    internal sealed class RotationPlan
    {
        public RotationPlan(string profileName, string keyProfileName, string mfaSerial, string mfaProcess, StsEndpoint stsEndpoint, IamEndpoint iamEndpoint)
        {
            ProfileName = profileName;
            KeyProfileName = keyProfileName;
            MfaSerial = mfaSerial;
            MfaProcess = mfaProcess;
            StsEndpoint = stsEndpoint;
            IamEndpoint = iamEndpoint;
        }

        /// <summary>The profile the user named.</summary>
        public string ProfileName { get; }

        /// <summary>The profile whose stored key is rotated: the named one, or the source profile that holds the key.</summary>
        public string KeyProfileName { get; }

        public string MfaSerial { get; }
        public string MfaProcess { get; }
        public StsEndpoint StsEndpoint { get; }
        public IamEndpoint IamEndpoint { get; }
    }

    /// <summary>Where a rotation reports to: the cmdlet's verbose, warning and progress streams, and its waits
    /// (which end early with PipelineStoppedException when the user presses Ctrl+C).</summary>
    internal sealed class RotationReporter
    {
        public Action<string> Verbose { get; set; } = _ => { };
        public Action<string> Warn { get; set; } = _ => { };
        public Action<string, int> ShowProgress { get; set; } = (_, __) => { };
        public Action ProgressDone { get; set; } = () => { };
        public Func<bool> Stopping { get; set; } = () => false;

        public void Warning(string message) => Warn(message);

        public void Progress(string status, int percent) => ShowProgress(status, percent);

        public void Completed() => ProgressDone();

        public void Sleep(TimeSpan delay)
        {
            var until = DateTime.UtcNow + delay;
            while (DateTime.UtcNow < until)
            {
                if (Stopping()) throw new PipelineStoppedException();
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, (until - DateTime.UtcNow).TotalMilliseconds))));
            }
        }
    }
}
