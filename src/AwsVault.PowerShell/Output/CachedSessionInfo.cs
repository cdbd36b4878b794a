using System;
using AwsVault.Storage;

namespace AwsVault.Output
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

        /// <summary>The hop of a chain this session is, named as AwsVaultSession.Chain names it: "GetSessionToken(dev, MFA)".</summary>
        public string Hop
        {
            get
            {
                int dot = Type.IndexOf('.');
                string call = dot >= 0 ? Type.Substring(dot + 1) : Type;
                return call + "(" + ProfileName + (MfaSerial != null ? ", MFA" : string.Empty) + ")";
            }
        }
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

        // aws-vault list shows "sts.GetSessionToken:59m0s"; this names the hop as a chain does, with the time left.
        public override string ToString() => Hop + " " + Left();

        /// <summary>For a row that already names the profile: "GetSessionToken+MFA 59m0s".</summary>
        public string ToShortString()
        {
            int dot = Type.IndexOf('.');
            return (dot >= 0 ? Type.Substring(dot + 1) : Type) + (MfaSerial != null ? "+MFA" : string.Empty) + " " + Left();
        }

        private string Left()
        {
            var left = TimeRemaining;
            return left.TotalHours >= 1 ? ((int)left.TotalHours) + "h" + left.Minutes + "m" : left.Minutes + "m" + left.Seconds + "s";
        }
    }
}
