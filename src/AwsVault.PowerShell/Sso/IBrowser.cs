namespace AwsVault.Sso
{
    /// <summary>Opens a URL in the user's browser, for the authorization-code sign-in.</summary>
    internal interface IBrowser
    {
        /// <summary>Null when a browser can be opened here, else why not (for -Verbose: the device code is used instead).</summary>
        string WhyCannotOpen();

        /// <summary>False when the browser could not be started; the caller then falls back to the device code.</summary>
        bool Open(string url);
    }
}
