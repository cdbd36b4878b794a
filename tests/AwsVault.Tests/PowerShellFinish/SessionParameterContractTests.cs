using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using AwsVault.Tests.Harness;
using Xunit;
using AwsVault.Output;

namespace AwsVault.Tests.PowerShellFinish
{
    /// <summary>
    /// Invoke-AwsVault is a script function (AwsVault.psm1) and declares the session parameters a second time;
    /// the compiled commands get them from SessionCmdlet. This holds the two declarations together: every
    /// session parameter of the cmdlets exists on the function with the same type, switch-ness and validation.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public class SessionParameterContractTests
    {
        private static string[] OwnTransformations(ParameterMetadata p) =>
            p.Attributes.OfType<ArgumentTransformationAttribute>().Select(a => a.GetType().FullName).Where(n => n.StartsWith("AwsVault.", StringComparison.Ordinal)).OrderBy(n => n).ToArray();

        [Fact]
        public void InvokeAwsVaultDeclaresEverySessionParameterAsTheCmdletsDo()
        {
            using var env = new TestEnvironment();
            using var ps = new PowerShellSession();
            var function = (FunctionInfo)ps.Run("Get-Command Invoke-AwsVault").ThrowIfErrors().Output.Single().BaseObject;
            var cmdlet = (CmdletInfo)ps.Run("Get-Command Get-AwsVaultSession").ThrowIfErrors().Output.Single().BaseObject;

            var sessionType = cmdlet.ImplementingType.Assembly.GetType("AwsVault.Commands.SessionCmdlet", throwOnError: true);
            var declared = sessionType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
                .Select(p => p.Name)
                .Where(n => n != "InputObject") // the function takes any object from the pipeline, not only a ProfileInfo
                .ToList();
            Assert.Contains("Duration", declared);
            Assert.Contains("Vault", declared);

            foreach (string name in declared)
            {
                Assert.True(function.Parameters.ContainsKey(name), "Invoke-AwsVault lacks the session parameter -" + name);
                ParameterMetadata theirs = cmdlet.Parameters[name], ours = function.Parameters[name];
                Assert.True(theirs.ParameterType == ours.ParameterType, "-" + name + ": the cmdlets take " + theirs.ParameterType + ", Invoke-AwsVault takes " + ours.ParameterType);
                Assert.Equal(theirs.SwitchParameter, ours.SwitchParameter);
                foreach (Type validation in theirs.Attributes.OfType<ValidateArgumentsAttribute>().Select(a => a.GetType()))
                {
                    Assert.True(ours.Attributes.Any(a => a.GetType() == validation), "-" + name + ": Invoke-AwsVault lacks " + validation.Name);
                }
                var set = theirs.Attributes.OfType<ValidateSetAttribute>().SingleOrDefault();
                if (set != null)
                {
                    Assert.Equal(set.ValidValues.OrderBy(v => v), ours.Attributes.OfType<ValidateSetAttribute>().Single().ValidValues.OrderBy(v => v));
                }
                // Script parameters also carry PowerShell's own type converter; only AwsVault's transformations must match.
                Assert.Equal(OwnTransformations(theirs), OwnTransformations(ours));
            }
        }
    }
}
