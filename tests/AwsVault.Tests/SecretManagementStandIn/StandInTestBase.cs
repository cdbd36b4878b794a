using System;
using System.Linq;
using System.Management.Automation;
using AwsVault.Tests.Harness;
using Xunit;

namespace AwsVault.Tests.SecretManagementStandIn
{
    /// <summary>
    /// Each test starts from a clean stand-in (its state is process-wide) in a fresh runspace with the stand-in
    /// imported, and a private environment (TestEnvironment) so that variables such as
    /// SECRETMANAGEMENT_STANDIN_REGISTRY and PSModulePath are put back afterwards.
    /// </summary>
    public abstract class StandInTestBase : IDisposable
    {
        protected const string Sm = "Microsoft.PowerShell.SecretManagement";

        protected StandInTestBase()
        {
            Env = new TestEnvironment(setPassphrase: false, backend: null);
            Env.Set(StandInModule.RegistryEnvironmentVariable, null);
            StandInModule.Reset();
            Ps = StandInModule.NewSession();
        }

        protected TestEnvironment Env { get; }

        protected PowerShellSession Ps { get; }

        protected ScriptResult Run(string script) => Ps.Run(script);

        /// <summary>Runs a script that must not fail at all.</summary>
        protected ScriptResult Ok(string script) => Ps.Run(script).ThrowIfErrors();

        /// <summary>Runs one command inside try/catch: a terminating error ends up in Caught, a non-terminating one in Errors.</summary>
        protected (ScriptResult Result, ErrorRecord Caught, bool Continued) Attempt(string command)
        {
            var r = Ps.Run(
                "$global:__caught = $null; $global:__continued = $false\n" +
                "try { " + command + "; $global:__continued = $true } catch { $global:__caught = $_ }");
            var caught = (ErrorRecord)Ps.Run("$global:__caught").Output.FirstOrDefault()?.BaseObject;
            var continued = (bool)Ps.Run("$global:__continued").Output[0].BaseObject;
            return (r, caught, continued);
        }

        protected static string Fqid(string id, string commandClass) => id + "," + Sm + "." + commandClass;

        protected void Register(string name, string parameters = null, string extra = null) =>
            Ok("Register-SecretVault -Name '" + name + "' -ModuleName Microsoft.PowerShell.SecretStore" +
               (parameters == null ? string.Empty : " -VaultParameters " + parameters) +
               (extra == null ? string.Empty : " " + extra));

        public void Dispose()
        {
            Ps.Dispose();
            StandInModule.Reset();
            Env.Dispose();
        }
    }
}
