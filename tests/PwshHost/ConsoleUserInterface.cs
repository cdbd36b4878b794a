using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace PwshHost
{
    /// <summary>
    /// Host UI on the process's real stdin/stdout/stderr, with pwsh's stream placement: output, Write-Host,
    /// warnings, verbose and debug go to stdout (pwsh's console host writes all of them there, so a caller
    /// reading stdout, like the AWS CLI reading credential_process JSON, sees them too); errors go to stderr.
    /// </summary>
    internal sealed class ConsoleUserInterface : PSHostUserInterface
    {
        // pwsh's ConsoleHostUserInterfaceStrings.ReadFailsOnNonInteractiveFlag.
        internal const string NonInteractiveMessage = "PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.";

        private readonly bool _nonInteractive;
        private readonly object _lock = new object();
        private readonly TextWriter _out = Console.Out;
        private readonly TextWriter _err = Console.Error;

        public ConsoleUserInterface(bool nonInteractive)
        {
            _nonInteractive = nonInteractive;
        }

        // No buffer, cursor or window to describe: output is usually a pipe. The engine accepts a null RawUI.
        public override PSHostRawUserInterface RawUI => null;

        public void WriteOutput(string text) => WriteTo(_out, text, newLine: true);

        public override void Write(string value) => WriteTo(_out, value, newLine: false);

        // Colours are dropped: the streams are pipes or files in every use of this host.
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);

        public override void WriteLine(string value) => WriteTo(_out, value, newLine: true);

        public override void WriteErrorLine(string value) => WriteTo(_err, value, newLine: true);

        public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);

        public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);

        public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);

        // Progress bars are drawn in place on a terminal; written to a pipe they would only be noise.
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        private void WriteTo(TextWriter writer, string value, bool newLine)
        {
            // Output events, host writes and runspaces a script starts itself can write from different threads;
            // keep each line whole.
            lock (_lock)
            {
                if (newLine) writer.WriteLine(value); else writer.Write(value);
                writer.Flush();
            }
        }

        public override string ReadLine()
        {
            ThrowIfNonInteractive();
            return Console.In.ReadLine();
        }

        public override SecureString ReadLineAsSecureString()
        {
            ThrowIfNonInteractive();
            string line;
            if (Console.IsInputRedirected)
            {
                line = Console.In.ReadLine();
            }
            else
            {
                var typed = new StringBuilder();
                while (true)
                {
                    var key = Console.ReadKey(intercept: true);
                    if (key.Key == ConsoleKey.Enter) break;
                    if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; continue; }
                    typed.Append(key.KeyChar);
                }
                Console.Out.WriteLine();
                line = typed.ToString();
            }
            if (line == null) return null;
            var secure = new SecureString();
            foreach (char c in line) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            ThrowIfNonInteractive();
            WriteHeading(caption, message);
            var answers = new Dictionary<string, PSObject>();
            foreach (var field in descriptions)
            {
                string label = string.IsNullOrEmpty(field.Label) ? field.Name : field.Label.Replace("&", string.Empty);
                Write(label + ": ");
                if (field.ParameterTypeFullName == typeof(SecureString).FullName)
                {
                    answers[field.Name] = new PSObject(ReadLineAsSecureString() ?? throw EndOfInput());
                }
                else if (field.ParameterTypeFullName == typeof(PSCredential).FullName)
                {
                    answers[field.Name] = new PSObject(PromptForCredential(null, null, null, null));
                }
                else
                {
                    answers[field.Name] = new PSObject(Console.In.ReadLine() ?? throw EndOfInput());
                }
            }
            return answers;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            ThrowIfNonInteractive();
            WriteHeading(caption, message);
            var keys = new List<string>();
            var line = new StringBuilder();
            foreach (var choice in choices)
            {
                string key = HotKey(choice.Label);
                keys.Add(key);
                line.Append('[').Append(key).Append("] ").Append(choice.Label.Replace("&", string.Empty)).Append("  ");
            }
            if (defaultChoice >= 0 && defaultChoice < choices.Count) line.Append("(default is \"").Append(keys[defaultChoice]).Append("\"): ");
            while (true)
            {
                Write(line.ToString());
                string answer = Console.In.ReadLine() ?? throw EndOfInput();
                answer = answer.Trim();
                if (answer.Length == 0 && defaultChoice >= 0) return defaultChoice;
                for (int i = 0; i < choices.Count; i++)
                {
                    if (answer.Equals(keys[i], StringComparison.OrdinalIgnoreCase) ||
                        answer.Equals(choices[i].Label.Replace("&", string.Empty), StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }
            }
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        {
            ThrowIfNonInteractive();
            WriteHeading(caption, message);
            if (string.IsNullOrEmpty(userName))
            {
                Write("User: ");
                userName = Console.In.ReadLine() ?? throw EndOfInput();
            }
            Write("Password for user " + userName + ": ");
            return new PSCredential(userName, ReadLineAsSecureString() ?? throw EndOfInput());
        }

        private void WriteHeading(string caption, string message)
        {
            if (!string.IsNullOrEmpty(caption)) WriteLine(caption);
            if (!string.IsNullOrEmpty(message)) WriteLine(message);
        }

        private static string HotKey(string label)
        {
            int amp = label.IndexOf('&');
            return amp >= 0 && amp + 1 < label.Length ? char.ToUpperInvariant(label[amp + 1]).ToString() : label.Substring(0, Math.Min(1, label.Length)).ToUpperInvariant();
        }

        private static PromptingException EndOfInput() =>
            new PromptingException("The prompt cannot be answered: standard input is closed.");

        // pwsh -NonInteractive fails every read and prompt with this exception type and message, so scripts and
        // modules see exactly what they would see under pwsh.
        private void ThrowIfNonInteractive()
        {
            if (_nonInteractive) throw new PSInvalidOperationException(NonInteractiveMessage);
        }
    }
}
