using SensorGateway.LoadHarness.Servers;

namespace SensorGateway.LoadHarness.Peers;

/// <summary>
/// The MQTT reference: <c>mosquitto_sub</c> (C, QoS 1, like the gateway's subscription) on the same load topics at
/// the same time as the gateway, printing one topic line per message into its log; lines counted = messages received.
/// </summary>
internal sealed class MosquittoSubscriber : IAsyncDisposable
{
    private MosquittoSubscriber(ChildProcess process) => Process = process;

    public ChildProcess Process { get; }

    public static MosquittoSubscriber Start(string folder, int port, string topicFilter) =>
        new(ChildProcess.Start("mosquitto_sub", "mosquitto_sub",
            ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", topicFilter, "-F", "%t"], folder));

    /// <summary>Messages received so far (stdout is block-buffered: at most a few kilobytes behind).</summary>
    public long Received()
    {
        if (!File.Exists(Process.LogFile))
        {
            return 0;
        }

        using var file = new FileStream(Process.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        Span<byte> buffer = stackalloc byte[1 << 14];
        long lines = 0;
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            lines += buffer[..read].Count((byte)'\n');
        }

        return lines;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
