using System;
using System.Threading;

namespace AwsVault.Sso
{
    /// <summary>The time and the waits of a sign-in, so the device-code polling can be tested without waiting.</summary>
    internal interface ISsoClock
    {
        DateTimeOffset UtcNow { get; }

        /// <summary>Waits, or throws OperationCanceledException as soon as the token is cancelled (Ctrl+C).</summary>
        void Sleep(TimeSpan duration, CancellationToken cancellation);
    }

    /// <summary>The real clock and Thread.Sleep.</summary>
    internal sealed class SystemSsoClock : ISsoClock
    {
        public static readonly SystemSsoClock Instance = new SystemSsoClock();

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public void Sleep(TimeSpan duration, CancellationToken cancellation)
        {
            if (duration > TimeSpan.Zero) cancellation.WaitHandle.WaitOne(duration);
            cancellation.ThrowIfCancellationRequested();
        }
    }
}
