using AwsVault.Credentials;
using AwsVault.Iam;
using AwsVault.Sso;

namespace AwsVault.Sdk
{
    /// <summary>
    /// The AWS clients the engine uses, in the module's own types. AwsVault.Aws.dll has exactly one public type
    /// that implements this, found once when the assembly is loaded (see <see cref="PrivateDependencies"/>);
    /// tests pass fakes through <see cref="Engine.EngineContext"/>. The SSO clients are
    /// IAM Identity Center's OIDC (sign-in) and portal (role credentials, accounts) services.
    /// </summary>
    internal interface IAwsClientFactory
    {
        IStsClient CreateSts();

        ISsoOidcClient CreateSsoOidc();

        ISsoPortalClient CreateSsoPortal();

        /// <summary>IAM's access-key calls (rotating a stored key), over the Query protocol.</summary>
        IIamClient CreateIam();
    }
}
