using System;

namespace AwsVault.Sso
{
    /// <summary>The time and the waits of a sign-in, so the device-code polling can be tested without waiting.</summary>
    internal interface ISsoClock
    {
        DateTimeOffset UtcNow { get; }

        void Sleep(TimeSpan duration);
    }

    /// <summary>The real clock and Thread.Sleep.</summary>
    internal sealed class SystemSsoClock : ISsoClock
    {
        public static readonly SystemSsoClock Instance = new SystemSsoClock();

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public void Sleep(TimeSpan duration)
        {
            if (duration > TimeSpan.Zero) System.Threading.Thread.Sleep(duration);
        }
    }
}
