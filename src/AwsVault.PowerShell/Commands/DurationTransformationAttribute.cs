using System;
using System.Management.Automation;
using AwsVault.Credentials;

namespace AwsVault.Commands
{
    /// <summary>
    /// Lets -Duration take what aws-vault users type: a Go-style duration ("1h", "90m", "1h30m"), or a number
    /// of seconds, as well as a TimeSpan. Without it, -Duration 3600 would be 3600 ticks.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject ps ? ps.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan span:
                    return span;
                case int seconds:
                    return TimeSpan.FromSeconds(seconds);
                case long seconds:
                    return TimeSpan.FromSeconds(seconds);
                case double seconds:
                    return TimeSpan.FromSeconds(seconds);
                case string text:
                    if (DurationLimits.TryParseGoDuration(text.Trim(), out double parsed)) return TimeSpan.FromSeconds(parsed);
                    if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out TimeSpan span2)) return span2;
                    throw new ArgumentTransformationMetadataException(
                        "'" + text + "' is not a duration. Use a TimeSpan, a number of seconds, or a duration such as 1h, 45m or 1h30m.");
                default:
                    return inputData;
            }
        }
    }
}
