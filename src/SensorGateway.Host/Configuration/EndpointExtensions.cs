using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SensorGateway.Host.Configuration;

internal static class EndpointExtensions
{
    /// <summary>
    /// Two listeners: HTTP/1.1 for health and metrics (what probes and Prometheus speak) and HTTP/2 for gRPC,
    /// because plaintext HTTP/2 needs an endpoint of its own.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayEndpoints(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, options.HttpUrl, HttpProtocols.Http1);
            Listen(kestrel, options.GrpcUrl, HttpProtocols.Http2);
        });
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, HttpProtocols protocols)
    {
        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (url.Scheme == Uri.UriSchemeHttps)
            {
                listen.UseHttps();
            }
        }

        if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, url.Port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(url.Port, Configure);
        }
    }
}
