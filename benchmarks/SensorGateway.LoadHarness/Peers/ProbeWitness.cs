using System.Globalization;
using System.Text.Json;
using SensorGateway.LoadHarness.Servers;

namespace SensorGateway.LoadHarness.Peers;

/// <summary>
/// A second, idle subscriber to the probe topics only: <c>mosquitto_sub</c> (line-buffered through <c>stdbuf</c>)
/// prints each probe message with its arrival time. Against it, the time before the gateway received a probe splits
/// into the publisher and broker (which this subscriber shares) and the gateway's own connection (which it does not).
/// </summary>
internal sealed class ProbeWitness : IAsyncDisposable
{
    private ProbeWitness(ChildProcess process) => Process = process;

    public ChildProcess Process { get; }

    public static ProbeWitness Start(string folder, int port, IEnumerable<string> topics)
    {
        List<string> arguments = ["-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-F", "%U %t %p"];
        foreach (var topic in topics)
        {
            arguments.AddRange(["-t", topic]);
        }

        return new ProbeWitness(ChildProcess.Start("probe-witness", "stdbuf", arguments, folder));
    }

    /// <summary>Arrival time of each probe message at or above <paramref name="alarming"/>, by probe device and send stamp.</summary>
    public Dictionary<(string Device, DateTimeOffset Sent), DateTimeOffset> Arrivals(double alarming)
    {
        var arrivals = new Dictionary<(string, DateTimeOffset), DateTimeOffset>();
        if (!File.Exists(Process.LogFile))
        {
            return arrivals;
        }

        using var file = new FileStream(Process.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        while (reader.ReadLine() is { } line)
        {
            // "<unix seconds>.<nanoseconds> <topic> <payload>"; anything else (a connection message) is not a probe.
            var parts = line.Split(' ', 3);
            if (parts.Length != 3 || !decimal.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            {
                continue;
            }

            using var payload = JsonDocument.Parse(parts[2]);
            var root = payload.RootElement;
            if (root.GetProperty("readings")[0].GetProperty("value").GetDouble() >= alarming)
            {
                var device = parts[1][(parts[1].LastIndexOf('/') + 1)..];
                var arrived = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
                arrivals.TryAdd((device, AlarmProbe.Millisecond(root.GetProperty("ts").GetDateTimeOffset())), arrived);
            }
        }

        return arrivals;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
