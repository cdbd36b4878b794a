using System;
using System.Management.Automation;
using AwsVault.Config;

namespace AwsVault.Login
{
    /// <summary>
    /// Where console sign-in goes for a region, as aws-vault's generateLoginURL decides it: the partition's sign-in
    /// host (its federation endpoint) and console host. aws: signin.aws.amazon.com / console.aws.amazon.com; aws-cn
    /// (cn-*): signin.amazonaws.cn / console.amazonaws.cn; aws-us-gov (us-gov-*): signin.amazonaws-us-gov.com /
    /// console.amazonaws-us-gov.com. AWS_ENDPOINT_URL_SIGNIN replaces the federation endpoint's base URL (the SDKs'
    /// AWS_ENDPOINT_URL_&lt;SERVICE&gt; convention; "/federation" is appended), which is how a proxy or a stand-in is reached.
    /// </summary>
    internal sealed class ConsoleEndpoints
    {
        internal const string EndpointVariable = "AWS_ENDPOINT_URL_SIGNIN";
        internal const string FederationPath = "/federation";

        private ConsoleEndpoints(string partition, string signinHost, string consoleHost, Uri federation, bool federationFromEnvironment)
        {
            Partition = partition;
            SigninHost = signinHost;
            ConsoleHost = consoleHost;
            Federation = federation;
            FederationFromEnvironment = federationFromEnvironment;
        }

        public string Partition { get; }
        public string SigninHost { get; }
        public string ConsoleHost { get; }

        /// <summary>The federation endpoint: getSigninToken is asked here, and the login URL starts with it.</summary>
        public Uri Federation { get; }

        public bool FederationFromEnvironment { get; }

        /// <summary>The partition's hosts for <paramref name="region"/> (null: the aws partition).</summary>
        public static ConsoleEndpoints ForRegion(string region)
        {
            string r = region ?? string.Empty;
            if (r.StartsWith("cn-", StringComparison.OrdinalIgnoreCase))
            {
                return Of("aws-cn", "signin.amazonaws.cn", "console.amazonaws.cn");
            }
            if (r.StartsWith("us-gov-", StringComparison.OrdinalIgnoreCase))
            {
                return Of("aws-us-gov", "signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com");
            }
            return Of("aws", "signin.aws.amazon.com", "console.aws.amazon.com");
        }

        /// <summary>The hosts for <paramref name="region"/>, with the federation endpoint from AWS_ENDPOINT_URL_SIGNIN when
        /// it is set (and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is not true).</summary>
        public static ConsoleEndpoints For(string region, EnvironmentSnapshot environment)
        {
            var partition = ForRegion(region);
            string configured = environment.Get(EndpointVariable);
            bool ignore = string.Equals(environment.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
            if (string.IsNullOrWhiteSpace(configured) || ignore) return partition;

            if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out Uri baseUri) ||
                (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(baseUri.Host) ||
                !string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
            {
                throw new AwsVaultException(ErrorIds.LoginEndpointInvalid, ErrorCategory.InvalidArgument,
                    "$env:" + EndpointVariable + " is '" + configured + "', which is not an http:// or https:// base URL without a query. " +
                    "Set it to the base of the federation endpoint, such as https://" + partition.SigninHost + " (AwsVault appends " + FederationPath + "), or remove it.",
                    EndpointVariable);
            }
            var federation = new Uri(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + FederationPath);
            return new ConsoleEndpoints(partition.Partition, partition.SigninHost, partition.ConsoleHost, federation, true);
        }

        private static ConsoleEndpoints Of(string partition, string signinHost, string consoleHost) =>
            new ConsoleEndpoints(partition, signinHost, consoleHost, new Uri("https://" + signinHost + FederationPath), false);

        /// <summary>Where the console opens: <paramref name="destination"/> as given when it is an https URL; a path (with
        /// or without its leading /) on the partition's console host; nothing: the console home. A path or the home page
        /// gets ?region= when the region is known and the path names none (aws-vault's rule).</summary>
        public string Destination(string destination, string region)
        {
            string regionQuery = string.IsNullOrEmpty(region) ? null : "region=" + Uri.EscapeDataString(region);
            if (string.IsNullOrWhiteSpace(destination))
            {
                return regionQuery == null ? "https://" + ConsoleHost + "/" : "https://" + ConsoleHost + "/console/home?" + regionQuery;
            }

            string d = destination.Trim();
            foreach (char c in d)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c)) throw BadDestination(destination, "it contains a space or a control character");
            }
            if (d.StartsWith("//", StringComparison.Ordinal) || d.StartsWith("\\", StringComparison.Ordinal))
            {
                throw BadDestination(destination, "it names a host without a scheme");
            }
            int colon = d.IndexOf(':');
            int slash = d.IndexOf('/');
            bool hasScheme = colon > 0 && (slash < 0 || colon < slash);
            if (hasScheme)
            {
                if (!Uri.TryCreate(d, UriKind.Absolute, out Uri absolute) || absolute.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(absolute.Host))
                {
                    throw BadDestination(destination, "only https:// URLs (or a path on the console, such as /s3) can be opened");
                }
                return absolute.AbsoluteUri;
            }

            string path = d.TrimStart('/');
            if (!Uri.TryCreate("https://" + ConsoleHost + "/" + path, UriKind.Absolute, out Uri onConsole) || onConsole.Host != ConsoleHost)
            {
                throw BadDestination(destination, "it is not a path on the console");
            }
            if (regionQuery == null || onConsole.Query.IndexOf("region=", StringComparison.OrdinalIgnoreCase) >= 0) return onConsole.AbsoluteUri;
            // Before a fragment (the console's /s3/home#/buckets style), so the console sees it.
            return onConsole.GetLeftPart(UriPartial.Query) + (string.IsNullOrEmpty(onConsole.Query) ? "?" : "&") + regionQuery + onConsole.Fragment;
        }

        private AwsVaultException BadDestination(string destination, string why) =>
            new AwsVaultException(ErrorIds.LoginDestinationInvalid, ErrorCategory.InvalidArgument,
                "-Destination '" + destination + "' cannot be opened: " + why + ". Give a path on the console such as /s3 or /ec2/home, " +
                "or a full URL such as https://" + ConsoleHost + "/cloudwatch/home.", destination);
    }
}
