using System;
using AwsVault.Storage;

namespace AwsVault
{
    /// <summary>A cached STS session as a listing shows it: what it is and when it expires, never its secrets.</summary>
    public sealed class CachedSessionInfo
    {
        internal CachedSessionInfo(SessionKey key)
        {
            Type = key.Type;
            ProfileName = key.ProfileName;
            MfaSerial = key.MfaSerial.Length == 0 ? null : key.MfaSerial;
            Expiration = key.Expiration.UtcDateTime;
        }

        public string Type { get; }
        public string ProfileName { get; }
        public string MfaSerial { get; }
        public DateTime Expiration { get; }

        public TimeSpan TimeRemaining
        {
            get
            {
                var left = Expiration - DateTime.UtcNow;
                return left < TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Floor(left.TotalSeconds));
            }
        }

        // aws-vault list shows "sts.GetSessionToken:59m0s"; this is the PowerShell spelling of the same.
        public override string ToString()
        {
            var left = TimeRemaining;
            string text = left.TotalHours >= 1 ? ((int)left.TotalHours) + "h" + left.Minutes + "m" : left.Minutes + "m" + left.Seconds + "s";
            return Type + ":" + text;
        }
    }
}
