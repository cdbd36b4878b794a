using System;
using System.Collections.Generic;
using System.Management.Automation;
using AwsVault.Apply;
using AwsVault.Credentials;

namespace AwsVault.Commands
{
    /// <summary>
    /// The engine's door for the Invoke-AwsVault function (AwsVault.psm1). It takes the function's $PSCmdlet and
    /// $PSBoundParameters and does what Get-AwsVaultSession would, without a second command invocation, which
    /// cost the function as much as everything else it does together.
    /// </summary>
    public static class InvokeAwsVaultFunction
    {
        /// <summary>The session for the bound parameters; engine failures end the function with a terminating
        /// error, exactly as if the function had raised them itself.</summary>
        public static AwsVaultSession IssueSession(PSCmdlet function, IDictionary<string, object> bound)
        {
            if (function == null) throw new ArgumentNullException(nameof(function));
            if (NestedSession.IsActive) function.ThrowTerminatingError(NestedSession.Refusal());
            try
            {
                var request = new SessionRequest
                {
                    ProfileName = CommandHost.ProfileOrDefault(Value<string>(bound, "ProfileName")),
                    DurationSeconds = bound.TryGetValue("Duration", out object duration) && duration is TimeSpan span ? (int?)(int)span.TotalSeconds : null,
                    NoSession = Switch(bound, "NoSession"),
                    MfaToken = Value<string>(bound, "MfaToken"),
                    Region = Value<string>(bound, "Region"),
                    Refresh = Switch(bound, "Refresh"),
                };
                return new CommandHost(function).IssueSession(request, Value<string>(bound, "Backend"), Value<string>(bound, "Vault"));
            }
            catch (Exception ex) when (CommandHost.ToErrorRecord(ex) is ErrorRecord record)
            {
                function.ThrowTerminatingError(record);
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        private static T Value<T>(IDictionary<string, object> bound, string name) where T : class =>
            bound.TryGetValue(name, out object value) ? (value is PSObject ps ? ps.BaseObject : value) as T : null;

        private static bool Switch(IDictionary<string, object> bound, string name) =>
            bound.TryGetValue(name, out object value) && (value is SwitchParameter s ? s.IsPresent : value is bool b && b);
    }
}
