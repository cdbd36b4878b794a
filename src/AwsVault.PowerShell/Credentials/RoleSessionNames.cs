using System;
using System.Globalization;

namespace AwsVault.Credentials
{
    internal static class RoleSessionNames
    {
        // aws-vault names a role session by the time it was made when role_session_name is not set.
        public static string Default() =>
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "000000";
    }
}
