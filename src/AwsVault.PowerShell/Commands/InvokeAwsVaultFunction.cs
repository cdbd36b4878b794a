using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using AwsVault.Apply;
using AwsVault.Credentials;
using AwsVault.Output;

namespace AwsVault.Commands
{
    /// <summary>
    /// The engine's door for the Invoke-AwsVault function (AwsVault.psm1). It takes the function's $PSCmdlet and
    /// $PSBoundParameters, works out what to run and for which profile, and issues the session the way
    /// Get-AwsVaultSession would, without a second command invocation, which cost the function as much as
    /// everything else it does together.
    /// </summary>
    public static class InvokeAwsVaultFunction
    {
        /// <summary>What to run and with which session. Every refusal (no command, two profiles, a nested
        /// session) happens here, before the session is issued and before anything of the caller's runs.
        /// Engine failures end the function with a terminating error, as if the function had raised them.</summary>
        public static InvokePlan Prepare(PSCmdlet function, IDictionary<string, object> bound)
        {
            if (function == null) throw new ArgumentNullException(nameof(function));
            if (NestedSession.IsActive) function.ThrowTerminatingError(NestedSession.Refusal());
            try
            {
                var plan = Plan(function.ParameterSetName, bound, out string profileName, out ProfileInfo piped);
                string backend = Value<string>(bound, "Backend");
                string vault = Value<string>(bound, "Vault");
                PipedProfile.ChooseStore(piped, ref backend, ref vault);
                var request = new SessionRequest
                {
                    ProfileName = CommandHost.ProfileOrDefault(profileName),
                    DurationSeconds = bound.TryGetValue("Duration", out object duration) && duration is TimeSpan span ? (int?)(int)span.TotalSeconds : null,
                    NoSession = Switch(bound, "NoSession"),
                    MfaToken = Value<string>(bound, "MfaToken"),
                    Region = Value<string>(bound, "Region"),
                    Refresh = Switch(bound, "Refresh"),
                };
                var host = new CommandHost(function);
                if (Switch(bound, "Server"))
                {
                    // Loopback and a free port only: a server for one child needs no address a user would choose.
                    plan.Server = CredentialServerLauncher.Start(host, request, backend, vault, System.Net.IPAddress.Loopback, 0);
                    if (plan.ScriptBlock != null)
                    {
                        // The block holds the pipeline thread until it ends: warnings go through the host meanwhile.
                        plan.Server.Instance.WarnTo(CredentialServerLauncher.HostWarnings(function.Host));
                    }
                    return plan;
                }
                plan.Session = host.IssueSession(request, backend, vault);
                return plan;
            }
            catch (Exception ex) when (CommandHost.ToErrorRecord(ex) is ErrorRecord record)
            {
                function.ThrowTerminatingError(record);
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        /// <summary>
        /// Position 0 takes a profile name or, when the profile comes from the pipeline or $env:AWS_PROFILE, the
        /// script block itself: `Get-AwsVaultProfile dev | Invoke-AwsVault { ... }` and `Invoke-AwsVault { ... }`
        /// must run the block inside the session, never bind it as a profile name.
        /// </summary>
        private static InvokePlan Plan(string parameterSet, IDictionary<string, object> bound, out string profileName, out ProfileInfo piped)
        {
            var words = new List<object>();
            object first = Unwrap(bound.TryGetValue("ProfileName", out object p) ? p : null);
            profileName = null;
            if (first is ScriptBlock)
            {
                words.Add(first);
            }
            else if (first != null)
            {
                profileName = PipedProfile.NameOf(first);
            }
            if (bound.TryGetValue("Command", out object command) && command is IList list)
            {
                foreach (object word in list) words.Add(Unwrap(word));
            }

            object input = bound.TryGetValue("InputObject", out object i) ? Unwrap(i) : null;
            piped = input as ProfileInfo;
            if (input != null)
            {
                string pipedName = PipedProfile.NameOf(input);
                if (profileName != null && !string.Equals(profileName, pipedName, StringComparison.Ordinal))
                {
                    throw new AwsVaultException(ErrorIds.PipedProfileConflict, ErrorCategory.InvalidArgument,
                        "Profile '" + pipedName + "' came from the pipeline, and '" + profileName + "' was given as the profile name; nothing was run. " +
                        "With piped profiles, give only what to run: ... | Invoke-AwsVault { aws s3 ls }, or ... | Invoke-AwsVault -FilePath aws -ArgumentList s3, ls.",
                        profileName);
                }
                profileName = pipedName;
            }

            var plan = new InvokePlan();
            var arguments = new List<object>();
            if (parameterSet != "Positional" && words.Count > 0)
            {
                throw new AwsVaultException(ErrorIds.CommandRequired, ErrorCategory.InvalidArgument,
                    "Invoke-AwsVault was given two things to run: a script block in the profile's place and -" + parameterSet + "; nothing was run. Give one of them.",
                    profileName);
            }
            switch (parameterSet)
            {
                case "ScriptBlock":
                    plan.ScriptBlock = Value<ScriptBlock>(bound, "ScriptBlock");
                    break;
                case "FilePath":
                    plan.FilePath = Value<string>(bound, "FilePath");
                    break;
                default:
                    if (words.Count == 0)
                    {
                        throw new AwsVaultException(ErrorIds.CommandRequired, ErrorCategory.InvalidArgument,
                            "Invoke-AwsVault was given nothing to run. Give a script block or a command line: Invoke-AwsVault dev { aws s3 ls }, or Invoke-AwsVault dev -- aws s3 ls.",
                            profileName);
                    }
                    if (words[0] is ScriptBlock block) plan.ScriptBlock = block;
                    else plan.FilePath = words[0]?.ToString();
                    for (int w = 1; w < words.Count; w++) arguments.Add(words[w]);
                    break;
            }
            if (bound.TryGetValue("ArgumentList", out object extra) && extra is IList extraList)
            {
                foreach (object a in extraList) arguments.Add(a);
            }
            plan.ArgumentList = arguments.ToArray();
            return plan;
        }

        private static object Unwrap(object value) => value is PSObject ps && !(ps.BaseObject is PSCustomObject) ? ps.BaseObject : value;

        private static T Value<T>(IDictionary<string, object> bound, string name) where T : class =>
            bound.TryGetValue(name, out object value) ? (value is PSObject ps ? ps.BaseObject : value) as T : null;

        private static bool Switch(IDictionary<string, object> bound, string name) =>
            bound.TryGetValue(name, out object value) && (value is SwitchParameter s ? s.IsPresent : value is bool b && b);
    }

    /// <summary>What Invoke-AwsVault runs: a script block in the caller's session, or a program as a child process.</summary>
    public sealed class InvokePlan : IDisposable
    {
        /// <summary>Set unless -Server: the session whose variables the block or child gets.</summary>
        public AwsVaultSession Session { get; internal set; }

        /// <summary>Set with -Server: the credential server the block or child is pointed at, stopped by <see cref="Dispose"/>.</summary>
        public CredentialServerInfo Server { get; internal set; }

        /// <summary>Set for the script block form.</summary>
        public ScriptBlock ScriptBlock { get; internal set; }

        /// <summary>Set for the child-process form.</summary>
        public string FilePath { get; internal set; }

        public object[] ArgumentList { get; internal set; }

        /// <summary>Stops the server of -Server, when the block or child has ended (also after a throw or Ctrl+C).</summary>
        public void Dispose() => Server?.Instance.Dispose();
    }
}
