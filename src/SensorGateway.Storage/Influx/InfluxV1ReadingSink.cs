using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Storage.Forwarding;

namespace SensorGateway.Storage.Influx;

/// <summary>
/// Writes batches to an InfluxDB 1.x <c>/write</c> endpoint. InfluxDB.Client speaks only the v2 API, and
/// 1.x before 1.8 has no v2 compatibility endpoint, so 1.x sites get this small writer.
/// </summary>
public sealed class InfluxV1ReadingSink(HttpClient http, IOptions<StorageOptions> options, LineProtocol lineProtocol) : IReadingSink
{
    private readonly StorageOptions _options = options.Value;

    public async ValueTask AcceptAsync(ReadOnlyMemory<Reading> batch, CancellationToken cancellationToken)
    {
        var body = lineProtocol.AppendLines(new StringBuilder(batch.Length * 160), batch.Span);

        var query = $"write?db={Uri.EscapeDataString(_options.Database!)}&precision={lineProtocol.Precision switch { "us" => "u", var p => p }}";
        if (!string.IsNullOrEmpty(_options.RetentionPolicy))
        {
            query += $"&rp={Uri.EscapeDataString(_options.RetentionPolicy)}";
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Url!, query))
        {
            Content = new StringContent(body.ToString(), Encoding.UTF8, "text/plain"),
        };
        if (!string.IsNullOrEmpty(_options.Username))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}")));
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            throw StorageWriteException.FromStatus((int)response.StatusCode, detail.Trim(), retryAfter);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
