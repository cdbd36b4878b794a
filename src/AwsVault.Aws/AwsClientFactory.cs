using AwsVault.Credentials;
using AwsVault.Iam;
using AwsVault.Sdk;
using AwsVault.Sso;

namespace AwsVault.Aws
{
    /// <summary>The assembly's one IAwsClientFactory: the module finds it by that interface when it loads this
    /// assembly privately, so no type name is hard-coded on either side.</summary>
    public sealed class AwsClientFactory : IAwsClientFactory
    {
        IStsClient IAwsClientFactory.CreateSts() => new SdkStsClient();

        ISsoOidcClient IAwsClientFactory.CreateSsoOidc() => new SdkSsoOidcClient();

        ISsoPortalClient IAwsClientFactory.CreateSsoPortal() => new SdkSsoPortalClient();

        IIamClient IAwsClientFactory.CreateIam() => new IamQueryClient();
    }
}
