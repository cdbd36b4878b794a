using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace AwsVault.Tests.Harness
{
    /// <summary>
    /// A PowerShell host whose user answers from a script. Every prompt the module shows is recorded, and
    /// a prompt that the script did not expect fails the test instead of hanging it.
    /// </summary>
    public sealed class ScriptedHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();

        public ScriptedHost(bool interactive = true)
        {
            ScriptedUI = new ScriptedUserInterface(interactive);
        }

        public ScriptedUserInterface ScriptedUI { get; }

        public override string Name => "AwsVaultTestHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => ScriptedUI;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class ScriptedUserInterface : PSHostUserInterface
    {
        private readonly bool _interactive;

        public ScriptedUserInterface(bool interactive) { _interactive = interactive; }

        /// <summary>Answers for ReadLine and ReadLineAsSecureString, in order.</summary>
        public Queue<string> Answers { get; } = new Queue<string>();

        /// <summary>Answers for PromptForChoice (ShouldContinue / confirmation), in order.</summary>
        public Queue<int> Choices { get; } = new Queue<int>();

        /// <summary>Every prompt text shown, in order.</summary>
        public List<string> Prompts { get; } = new List<string>();

        /// <summary>Everything written to the host, so that tests can check no secret was shown.</summary>
        public StringBuilder Transcript { get; } = new StringBuilder();

        public int SecureReads { get; private set; }

        public override PSHostRawUserInterface RawUI => null;

        public override string ReadLine()
        {
            Prompts.Add("(ReadLine)");
            return Next();
        }

        public override SecureString ReadLineAsSecureString()
        {
            SecureReads++;
            Prompts.Add("(ReadLineAsSecureString)");
            var secure = new SecureString();
            foreach (char c in Next()) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private string Next()
        {
            if (!_interactive) throw new HostException("This test host does not support user interaction.");
            if (Answers.Count == 0) throw new InvalidOperationException("The module prompted, but the test scripted no answer. Prompts so far: " + string.Join(" | ", Prompts));
            return Answers.Dequeue();
        }

        public override void Write(string value) => Transcript.Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Transcript.Append(value);
        public override void WriteLine(string value) => Transcript.AppendLine(value);
        public override void WriteErrorLine(string value) => Transcript.AppendLine(value);
        public override void WriteDebugLine(string message) => Transcript.AppendLine(message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Transcript.AppendLine(message);
        public override void WriteWarningLine(string message) => Transcript.AppendLine(message);

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            Prompts.Add(caption + " " + message);
            var result = new Dictionary<string, PSObject>();
            foreach (var d in descriptions) result[d.Name] = new PSObject(Next());
            return result;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("PromptForCredential is not scripted.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("PromptForCredential is not scripted.");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add("(Choice) " + caption + ": " + message);
            if (!_interactive) throw new HostException("This test host does not support user interaction.");
            if (Choices.Count == 0) throw new InvalidOperationException("The module asked for a choice, but the test scripted none: " + caption + ": " + message);
            return Choices.Dequeue();
        }
    }
}
