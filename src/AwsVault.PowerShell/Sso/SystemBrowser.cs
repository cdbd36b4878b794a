using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AwsVault.Sso
{
    /// <summary>
    /// The user's browser: the program named by BROWSER when set (given the URL as its one argument, as Python's
    /// webbrowser, git and many CLIs run it), else ShellExecute on Windows, <c>open</c> on macOS, <c>xdg-open</c> elsewhere.
    /// <para>The rule for "a browser can be opened here", checked in this order:</para>
    /// <list type="number">
    /// <item>BROWSER=none: the user said no (the same switch Python's webbrowser and many CLIs honour).</item>
    /// <item>BROWSER names a program: yes, whatever the display; the user chose how URLs open here (a text browser, a
    /// script that forwards the URL to another machine).</item>
    /// <item>An SSH session (SSH_CONNECTION, SSH_CLIENT or SSH_TTY set) without DISPLAY or WAYLAND_DISPLAY: a browser
    /// would open, if at all, on a screen the user is not in front of. With X forwarding (DISPLAY set) it can open.</item>
    /// <item>Windows and macOS: yes.</item>
    /// <item>Linux and other Unix: only with DISPLAY or WAYLAND_DISPLAY (a console, a container, a CI runner has neither).</item>
    /// </list>
    /// When the rule says no, or starting the browser fails, sign-in uses the device code instead.
    /// </summary>
    internal sealed class SystemBrowser : IBrowser
    {
        private readonly Func<string, string> _env;

        public SystemBrowser(Func<string, string> environment = null)
        {
            _env = environment ?? Environment.GetEnvironmentVariable;
        }

        public string WhyCannotOpen() =>
            WhyCannotOpen(_env, RuntimeInformation.IsOSPlatform(OSPlatform.Windows), RuntimeInformation.IsOSPlatform(OSPlatform.OSX));

        /// <summary>The rule above, for any environment and platform (tests check each row).</summary>
        internal static string WhyCannotOpen(Func<string, string> env, bool isWindows, bool isMacOS)
        {
            if (string.Equals(env("BROWSER"), "none", StringComparison.OrdinalIgnoreCase))
            {
                return "BROWSER is 'none'";
            }
            if (Set(env("BROWSER")))
            {
                return null;
            }
            bool display = Set(env("DISPLAY")) || Set(env("WAYLAND_DISPLAY"));
            bool ssh = Set(env("SSH_CONNECTION")) || Set(env("SSH_CLIENT")) || Set(env("SSH_TTY"));
            if (ssh && !display)
            {
                return "this is an SSH session without a display";
            }
            if (isWindows || isMacOS || display)
            {
                return null;
            }
            return "neither DISPLAY nor WAYLAND_DISPLAY is set";
        }

        public bool Open(string url)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            try
            {
                string browser = _env("BROWSER");
                if (Set(browser)) return Launch(browser.Trim(), url);
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    using (Process.Start(new ProcessStartInfo(url) { UseShellExecute = true }))
                    {
                        return true;
                    }
                }
                return Launch(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", url);
            }
            catch (Win32Exception)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        // Its output is read and dropped: it must not reach a credential_process caller's stdout, and an unread pipe
        // that fills up would stall the program.
        private static bool Launch(string program, string url)
        {
            // The URL is built by us from escaped parts: no quote or space can be in it.
            var start = new ProcessStartInfo(program, "\"" + url + "\"")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            // Not disposed: that would close the pipes under a browser still writing to them; it ends on its own.
            var process = Process.Start(start);
            if (process == null) return false;
            process.OutputDataReceived += (_, __) => { };
            process.ErrorDataReceived += (_, __) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return true;
        }

        private static bool Set(string value) => !string.IsNullOrEmpty(value);
    }
}
