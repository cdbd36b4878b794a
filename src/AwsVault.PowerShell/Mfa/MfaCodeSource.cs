using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using AwsVault.Engine;
using AwsVault.Internal;
using AwsVault.Prompts;

namespace AwsVault.Mfa
{
    /// <summary>
    /// Where an MFA code comes from: -MfaToken, then the profile's mfa_process, then the host prompt
    /// "Enter MFA code for SERIAL: ". AWS accepts each code once, so a code is never sent twice: a repeated
    /// -MfaToken is refused, and an mfa_process that returns a code already used waits for the next one.
    /// </summary>
    internal sealed class MfaCodeSource
    {
        private static readonly TimeSpan TotpStep = TimeSpan.FromSeconds(30);

        // Codes sent from this import (EngineContext), per device, with when they were sent: TOTP codes live 30 s
        // (90 s with AWS's clock tolerance), so older entries no longer matter.
        private readonly ConcurrentDictionary<string, DateTimeOffset> _sent;

        private readonly string _mfaToken;
        private readonly IPrompter _prompter;
        private readonly Action<string> _log;
        private bool _parameterUsed;

        public MfaCodeSource(EngineContext engine, string mfaTokenParameter, IPrompter prompter, Action<string> log)
        {
            _sent = engine.SentMfaCodes;
            _mfaToken = string.IsNullOrWhiteSpace(mfaTokenParameter) ? null : mfaTokenParameter;
            _prompter = prompter;
            _log = log ?? (_ => { });
        }

        /// <summary>A fresh code for the device, to be sent right away (it is recorded as sent).</summary>
        public string GetCode(string serial, string profileName, string mfaProcess, string configPath)
        {
            string code;
            if (_mfaToken != null && !_parameterUsed)
            {
                _parameterUsed = true;
                code = Validate(_mfaToken, "-MfaToken", serial);
                if (WasSent(serial, code))
                {
                    throw new AwsVaultException(ErrorIds.MfaTokenAlreadyUsed, ErrorCategory.InvalidArgument,
                        "The MFA code given with -MfaToken was already sent to AWS for " + serial + ", and AWS accepts each code only once. Wait for the next code and run the command again.", serial);
                }
                _log("Using the MFA code from -MfaToken for " + serial + ".");
            }
            else if (!string.IsNullOrWhiteSpace(mfaProcess))
            {
                code = FromProcess(serial, profileName, mfaProcess);
                if (WasSent(serial, code))
                {
                    _log("mfa_process returned a code that was already used for " + serial + "; waiting for the next one.");
                    Thread.Sleep(UntilNextStep());
                    code = FromProcess(serial, profileName, mfaProcess);
                    if (WasSent(serial, code))
                    {
                        throw new AwsVaultException(ErrorIds.MfaTokenAlreadyUsed, ErrorCategory.InvalidResult,
                            "mfa_process for profile '" + profileName + "' returned the same code twice for " + serial + ", and AWS accepts each code only once. Check that it generates a time-based code.", profileName);
                    }
                }
            }
            else
            {
                string answer = _prompter.ReadLine("Enter MFA code for " + serial + ": ", ErrorIds.MfaTokenRequired,
                    "Pass the code with -MfaToken, or set mfa_process for profile '" + profileName + "' in " + configPath + " to a command that prints it");
                code = Validate(answer, "the prompt", serial);
            }
            _sent[Key(serial, code)] = DateTimeOffset.UtcNow;
            SentCodeLog.Record(serial, code);
            return code;
        }

        private string FromProcess(string serial, string profileName, string mfaProcess)
        {
            _log("Running mfa_process of profile '" + profileName + "' for the code of " + serial + ".");
            ShellCommand.Result result;
            try
            {
                result = ShellCommand.Run(mfaProcess, ShellCommand.DefaultTimeout);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                throw new AwsVaultException(ErrorIds.MfaProcessFailed, ErrorCategory.InvalidOperation,
                    "mfa_process of profile '" + profileName + "' could not be started: " + ex.Message, profileName, ex);
            }
            if (result.TimedOut || result.ExitCode != 0)
            {
                throw new AwsVaultException(ErrorIds.MfaProcessFailed, ErrorCategory.InvalidResult,
                    "mfa_process of profile '" + profileName + "' " + (result.TimedOut ? "did not finish within " + ShellCommand.DefaultTimeout.TotalMinutes + " minutes" : "exited with code " + result.ExitCode) +
                    ". Run it by hand to check it prints the current code for " + serial + ".", profileName);
            }
            return Validate(result.StandardOutput, "mfa_process of profile '" + profileName + "'", serial);
        }

        private static string Validate(string code, string source, string serial)
        {
            // Authenticator apps show "123 456"; people type it as they read it.
            var digits = new System.Text.StringBuilder();
            foreach (char c in code ?? string.Empty)
            {
                if (!char.IsWhiteSpace(c)) digits.Append(c);
            }
            string trimmed = digits.ToString();
            bool ok = trimmed.Length == 6;
            foreach (char c in trimmed) ok &= c >= '0' && c <= '9';
            if (!ok)
            {
                throw new AwsVaultException(ErrorIds.MfaTokenInvalid, ErrorCategory.InvalidArgument,
                    "The MFA code from " + source + " for " + serial + " is not six digits (it has " + trimmed.Length + " characters). Give the current code shown by the MFA device.", serial);
            }
            return trimmed;
        }

        private bool WasSent(string serial, string code) =>
            (_sent.TryGetValue(Key(serial, code), out DateTimeOffset when) && DateTimeOffset.UtcNow - when < SentCodeLog.Lifetime) ||
            SentCodeLog.WasSent(serial, code);

        private static string Key(string serial, string code) => serial + "\n" + code;

        private static TimeSpan UntilNextStep()
        {
            long ticks = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % (long)TotpStep.TotalMilliseconds;
            return TimeSpan.FromMilliseconds(TotpStep.TotalMilliseconds - ticks + 500);
        }
    }
}
