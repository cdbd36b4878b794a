using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AwsVault.Tests.Sts
{
    /// <summary>
    /// Kestrel on 127.0.0.1 serving one <see cref="StsWorld"/>. Port 0 lets the OS pick a free port, so
    /// parallel test runs never collide; <see cref="Endpoint"/> says which one it got.
    /// </summary>
    public sealed class StsServer : IDisposable, IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly CancellationTokenSource _stopping;
        private int _disposed;

        private StsServer(StsWorld world, Sso.SsoWorld sso, WebApplication app, CancellationTokenSource stopping, Uri endpoint)
        {
            World = world;
            Sso = sso;
            _app = app;
            _stopping = stopping;
            Endpoint = endpoint;
        }

        public StsWorld World { get; }

        /// <summary>The Identity Center world served on the same port, or null (STS only).</summary>
        public Sso.SsoWorld Sso { get; }

        /// <summary>http://127.0.0.1:PORT/ — what clients take as endpoint_url / ServiceURL.</summary>
        public Uri Endpoint { get; }

        public static StsServer Start(StsWorld world, int port = 0) => StartAsync(world, port).GetAwaiter().GetResult();

        /// <summary>
        /// STS and IAM Identity Center (SSO OIDC and the access portal) on one port: the services' paths do not
        /// overlap, and one endpoint serves as the ServiceURL of all three clients. The STS world is sso.Sts.
        /// </summary>
        public static StsServer Start(Sso.SsoWorld sso, int port = 0) => StartAsync(sso, port).GetAwaiter().GetResult();

        public static Task<StsServer> StartAsync(Sso.SsoWorld sso, int port = 0)
            => StartAsync(sso?.Sts ?? throw new ArgumentNullException(nameof(sso)), port, sso);

        public static Task<StsServer> StartAsync(StsWorld world, int port = 0) => StartAsync(world, port, null);

        private static async Task<StsServer> StartAsync(StsWorld world, int port, Sso.SsoWorld sso)
        {
            if (world == null) throw new ArgumentNullException(nameof(world));
            // The empty builder reads no appsettings or ASPNETCORE_* variables, so the host process's
            // environment cannot move the emulator to another address or make it log.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(StsServer).Assembly.GetName().Name });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
            {
                options.AddServerHeader = false;
                options.Listen(IPAddress.Loopback, port);
            });
            var app = builder.Build();
            var stopping = new CancellationTokenSource();
            var handler = new StsHandler(world, stopping.Token, sso);
            app.Run(handler.HandleAsync);
            await app.StartAsync().ConfigureAwait(false);

            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses.First();
            var bound = new Uri(address);
            return new StsServer(world, sso, app, stopping, new Uri("http://127.0.0.1:" + bound.Port + "/"));
        }

        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _stopping.Cancel();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            await _app.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }
}
