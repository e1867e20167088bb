namespace SensorGateway.LoadHarness.Servers;

/// <summary>Mosquitto on a free loopback port, keeping every QoS 1 message for a slow subscriber (<c>max_queued_messages 0</c>).</summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private MosquittoBroker(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var config = Path.Combine(folder, "mosquitto.conf");
        // As root, mosquitto would drop to the 'mosquitto' user, who cannot write the run's folder.
        var user = Environment.UserName == "root" ? "user root\n" : "";
        await File.WriteAllTextAsync(config, $"""
            {user}persistence false
            max_queued_messages 0
            max_inflight_messages 1000
            listener {port} 127.0.0.1
            allow_anonymous true
            """, cancellationToken).ConfigureAwait(false);
        var process = ChildProcess.Start("mosquitto", File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto", ["-c", config], folder);
        var broker = new MosquittoBroker(process, port);
        await process.WaitUntilReadyAsync(ct => Loopback.ListensAsync(port, ct), TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        return broker;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
