using Grpc.Core;

namespace SensorGateway.Grpc.Tests.Infrastructure;

/// <summary>A server call context for calling service methods directly (grpc-dotnet examples/Tester).</summary>
internal sealed class TestServerCallContext(CancellationToken cancellationToken, string method = "/sensorgateway.v1.HazardService/Test") : ServerCallContext
{
    private readonly Dictionary<object, object> _userState = [];

    protected override string MethodCore => method;

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:5000";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore { get; } = [];

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}

/// <summary>Collects what a server-streaming method writes.</summary>
internal sealed class TestServerStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly System.Threading.Channels.Channel<T> _written = System.Threading.Channels.Channel.CreateUnbounded<T>();

    public WriteOptions? WriteOptions { get; set; }

    /// <summary>The write options of every write in order: <see cref="WriteFlags.BufferHint"/> means "not flushed".</summary>
    public List<WriteFlags> Flags { get; } = [];

    public Task WriteAsync(T message)
    {
        Flags.Add(WriteOptions?.Flags ?? default);
        _written.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(message);
    }

    public async Task<T> NextAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await _written.Reader.ReadAsync(timeout.Token);
    }

    public List<T> Drain()
    {
        var all = new List<T>();
        while (_written.Reader.TryRead(out var item))
        {
            all.Add(item);
        }

        return all;
    }
}
