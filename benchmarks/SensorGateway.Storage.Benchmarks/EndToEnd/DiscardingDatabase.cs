using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SensorGateway.Storage.Benchmarks.EndToEnd;

/// <summary>
/// A stand-in database on loopback that reads each <c>/api/v2/write</c> body and answers 204, storing nothing: the
/// path's own ceiling, with the database's CPU cost taken out (its Kestrel work still counts as ours).
/// </summary>
internal sealed class DiscardingDatabase : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiscardingDatabase(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<DiscardingDatabase> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/api/v2/write", async (HttpRequest request, CancellationToken ct) =>
        {
            await request.Body.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
            return Results.NoContent();
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new DiscardingDatabase(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
