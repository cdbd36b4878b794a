using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace AwsVault.Tests.Sts
{
    /// <summary>
    /// dotnet StsEmulator.dll --world world.json [--sso sso.json] [--port 0] [--ignore-stdin]
    /// With --sso the same port also serves IAM Identity Center (SSO OIDC and the portal): see Sso/SsoWorldFile.
    /// Prints exactly one line, "Listening on http://127.0.0.1:PORT/", then serves until stdin reaches end of
    /// file or SIGTERM/SIGINT arrives. Watching stdin means a parent that dies (a Pester run killed midway)
    /// takes the emulator with it instead of leaving an orphan bound to a port.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            string worldPath = null;
            string ssoPath = null;
            int port = 0;
            bool watchStdin = true;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--world" when i + 1 < args.Length: worldPath = args[++i]; break;
                    case "--sso" when i + 1 < args.Length: ssoPath = args[++i]; break;
                    case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out port) && port >= 0 && port <= 65535: i++; break;
                    case "--ignore-stdin": watchStdin = false; break;
                    default: return Usage("unexpected argument '" + args[i] + "'");
                }
            }
            if (worldPath == null) return Usage("--world is required");

            StsWorld world;
            Sso.SsoWorld sso = null;
            string loading = worldPath;
            try
            {
                world = StsWorld.Load(worldPath);
                loading = ssoPath;
                if (ssoPath != null) sso = Sso.SsoWorldFile.Load(ssoPath, world);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is System.Text.Json.JsonException || e is ArgumentException || e is FormatException)
            {
                Console.Error.WriteLine("StsEmulator: cannot load " + loading + ": " + e.Message);
                return 2;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; done.TrySetResult(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; done.TrySetResult(); });

            await using var server = sso != null ? await StsServer.StartAsync(sso, port) : await StsServer.StartAsync(world, port);
            Console.Out.WriteLine("Listening on " + server.Endpoint);
            Console.Out.Flush();

            if (watchStdin)
            {
                var reader = new Thread(() =>
                {
                    try
                    {
                        using var stdin = Console.OpenStandardInput();
                        var buffer = new byte[256];
                        while (stdin.Read(buffer, 0, buffer.Length) > 0) { }
                    }
                    catch (IOException) { }
                    done.TrySetResult();
                }) { IsBackground = true, Name = "stdin watch" };
                reader.Start();
            }

            await done.Task;
            return 0;
        }

        private static int Usage(string problem)
        {
            Console.Error.WriteLine("StsEmulator: " + problem);
            Console.Error.WriteLine("usage: dotnet StsEmulator.dll --world world.json [--sso sso.json] [--port 0] [--ignore-stdin]");
            return 2;
        }
    }
}
