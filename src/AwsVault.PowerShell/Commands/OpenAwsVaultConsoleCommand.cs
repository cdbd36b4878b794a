using System.Management.Automation;
using AwsVault.Sso;

namespace AwsVault.Commands
{
    /// <summary>Opens the AWS console in the browser, signed in with a profile's session, like <c>aws-vault login</c>.</summary>
    [Cmdlet(VerbsCommon.Open, "AwsVaultConsole", HelpUri = HelpLinks.Base + "Open-AwsVaultConsole.md",
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(string))]
    public sealed class OpenAwsVaultConsoleCommand : LoginCmdlet
    {
        /// <summary>Also returns the sign-in URL.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            ConsoleSignIn plan = PlanSignIn();
            if (!ShouldProcess("profile '" + plan.ProfileName + "'", "Open the AWS console at " + plan.Destination)) return;

            // Checked before any call: a sign-in token that cannot be opened would be wasted.
            var browser = new SystemBrowser();
            string whyNot = browser.WhyCannotOpen();
            if (whyNot != null) throw NoBrowser(plan, whyNot);

            string url = plan.SignIn();
            Verbose("profile " + plan.ProfileName + ": opening the console sign-in in the browser.");
            if (!browser.Open(url)) throw NoBrowser(plan, "the browser could not be started");
            if (PassThru) WriteObject(url);
        }

        private static AwsVaultException NoBrowser(ConsoleSignIn plan, string why) =>
            new AwsVaultException(ErrorIds.LoginBrowserUnavailable, ErrorCategory.ResourceUnavailable,
                "Profile '" + plan.ProfileName + "': the console cannot be opened here, because " + why + ". " +
                "Set BROWSER to a program that opens URLs, or run Get-AwsVaultLoginUrl '" + plan.ProfileName + "' and open the URL it returns yourself.",
                plan.ProfileName);
    }
}
