using System;
using System.Management.Automation;

namespace AwsVault
{
    /// <summary>
    /// The one failure type the engine throws. Cmdlets turn it into an ErrorRecord with the same id and
    /// category, so a user can match on <c>-ErrorId</c> whatever layer the failure came from.
    /// Messages must never contain a secret: they are shown, logged and serialised.
    /// </summary>
    public sealed class AwsVaultException : Exception
    {
        public AwsVaultException(string errorId, ErrorCategory category, string message, object target = null, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            Target = target;
        }

        public string ErrorId { get; }
        public ErrorCategory Category { get; }
        public object Target { get; }

        public ErrorRecord ToErrorRecord() => new ErrorRecord(this, ErrorId, Category, Target);
    }
}
