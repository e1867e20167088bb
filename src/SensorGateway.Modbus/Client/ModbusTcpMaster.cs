using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using SensorGateway.Modbus.Framing;

namespace SensorGateway.Modbus.Client;

/// <summary>
/// Modbus TCP master with several transactions outstanding on one connection, matched by transaction id.
/// A reader loop owns the socket's input; each response goes only to the request with its transaction id
/// and unit id, anything else is counted and dropped.
/// </summary>
public sealed class ModbusTcpMaster : ModbusMaster
{
    private readonly ModbusTcpMasterOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, Pending> _pending = [];
    private readonly HashSet<ushort> _timedOut = [];
    private readonly SemaphoreSlim _depth;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private Connection? _connection;
    private ushort _nextTransactionId;
    private int _outstanding;
    private int _consecutiveFailures;
    private bool _everConnected;

    public ModbusTcpMaster(ModbusTcpMasterOptions options, TimeProvider? timeProvider = null)
        : base(timeProvider ?? TimeProvider.System, Checked(options).RequestTimeout, options.Retries)
    {
        _options = options;
        _depth = new SemaphoreSlim(options.MaxOutstandingRequests, options.MaxOutstandingRequests);
    }

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => _connection is { IsAlive: true };

    public override async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        var connection = _connection;
        if (connection is not null)
        {
            connection.Close();
            await connection.ReadLoop.ConfigureAwait(false);
        }

        _disposed.Dispose();
    }

    private protected override async Task<byte[]> ExchangeAsync(
        byte unitId, ModbusFunctionCode functionCode, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        await _depth.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            var pending = new Pending(unitId, connection);
            ushort transactionId;
            lock (_lock)
            {
                do
                {
                    transactionId = _nextTransactionId++;
                }
                while (_pending.ContainsKey(transactionId));

                _pending[transactionId] = pending;
                _timedOut.Remove(transactionId);
            }

            // The read loop fails pending requests only after marking the connection dead: checking here closes the gap
            // in which a request could be registered on a dead connection and wait for its full timeout.
            if (!connection.IsAlive)
            {
                Forget(transactionId, pending);
                throw new ModbusConnectionException($"Connection to {_options.Host}:{_options.Port} was lost.");
            }

            await SendAsync(connection, transactionId, unitId, request).ConfigureAwait(false);
            Metrics.Request();
            try
            {
                return await pending.Completion.Task.WaitAsync(RequestTimeout, TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                lock (_lock)
                {
                    if (_pending.Remove(transactionId))
                    {
                        _timedOut.Add(transactionId);
                    }
                }

                throw new ModbusTimeoutException(unitId, functionCode, RequestTimeout);
            }
            catch (OperationCanceledException)
            {
                Forget(transactionId, pending);
                throw;
            }
        }
        finally
        {
            _depth.Release();
        }
    }

    private static ModbusTcpMasterOptions Checked(ModbusTcpMasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private async Task SendAsync(Connection connection, ushort transactionId, byte unitId, ReadOnlyMemory<byte> request)
    {
        try
        {
            await connection.SendAsync(transactionId, unitId, request.Span).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Forget(transactionId, null);
            connection.Close();
            throw new ModbusConnectionException($"Sending to {_options.Host}:{_options.Port} failed.", ex);
        }
    }

    private void Forget(ushort transactionId, Pending? pending)
    {
        lock (_lock)
        {
            if (pending is null || (_pending.TryGetValue(transactionId, out var current) && current == pending))
            {
                _pending.Remove(transactionId);
            }
        }
    }

    private async Task<Connection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is { IsAlive: true })
        {
            return connection;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection = _connection;
            if (connection is { IsAlive: true })
            {
                return connection;
            }

            if (_consecutiveFailures > 0)
            {
                var delay = ModbusOptionChecks.BackoffDelay(_consecutiveFailures, _options.ReconnectInitialDelay, _options.ReconnectMaxDelay);
                await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var timeout = new CancellationTokenSource(_options.ConnectTimeout, TimeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, _disposed.Token);
                await socket.ConnectAsync(_options.Host, _options.Port, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                socket.Dispose();
                _consecutiveFailures++;
                Metrics.ConnectFailure();
                throw new ModbusConnectionException($"Could not connect to {_options.Host}:{_options.Port}.", ex);
            }

            if (_everConnected)
            {
                Metrics.Reconnect();
            }

            _everConnected = true;
            _consecutiveFailures = 0;
            connection = new Connection(socket);
            connection.ReadLoop = Task.Run(() => ReadLoopAsync(connection), CancellationToken.None);
            _connection = connection;
            return connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task ReadLoopAsync(Connection connection)
    {
        var reader = connection.Reader;
        Exception error = new ModbusConnectionException($"Connection to {_options.Host}:{_options.Port} closed.");
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                Pending? last = null;
                try
                {
                    while (ModbusMbapFramer.TryParse(buffer, out var consumed, out _, out var frame))
                    {
                        // Callers resume on the thread pool so that pipelined callers run in parallel. Only when nothing
                        // else is outstanding does the last one resume inline: that saves a thread hop per sequential request.
                        if (last is not null)
                        {
                            ThreadPool.UnsafeQueueUserWorkItem(static p => p.Complete(), last, preferLocal: false);
                        }

                        last = Dispatch(frame);
                        buffer = buffer.Slice(consumed);
                    }

                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (last is not null)
                    {
                        if (_options.ResumeCallersInline && Volatile.Read(ref _outstanding) == 0)
                        {
                            last.Complete();
                        }
                        else
                        {
                            ThreadPool.UnsafeQueueUserWorkItem(static p => p.Complete(), last, preferLocal: false);
                        }
                    }
                }
            }
        }
        catch (ModbusProtocolException ex)
        {
            // Without a trustworthy length field the stream cannot be resynchronised: drop the connection.
            Metrics.ProtocolError(ex.Kind);
            error = new ModbusConnectionException($"Connection to {_options.Host}:{_options.Port} dropped after a framing error.", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            error = new ModbusConnectionException($"Connection to {_options.Host}:{_options.Port} lost.", ex);
        }
        finally
        {
            connection.Close();
            await reader.CompleteAsync().ConfigureAwait(false);
            FailAll(connection, error);
        }
    }

    private Pending? Dispatch(in ModbusMbapFrame frame)
    {
        Pending? pending;
        lock (_lock)
        {
            var found = _pending.Remove(frame.TransactionId, out pending);
            _outstanding = _pending.Count;
            if (!found || pending is null)
            {
                if (_timedOut.Remove(frame.TransactionId))
                {
                    Metrics.Late();
                }
                else
                {
                    Metrics.Stray();
                }

                return null;
            }
        }

        if (frame.UnitId != pending.UnitId)
        {
            pending.Error = new ModbusProtocolException(
                ModbusProtocolErrorKind.UnexpectedUnitId, "Response unit id", Invariant(pending.UnitId), Invariant(frame.UnitId));
            return pending;
        }

        Metrics.Response();
        pending.Result = frame.Pdu.ToArray();
        return pending;
    }

    private static string Invariant(byte value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void FailAll(Connection connection, Exception error)
    {
        List<Pending> failed = [];
        lock (_lock)
        {
            foreach (var (id, pending) in _pending)
            {
                if (pending.Connection == connection)
                {
                    failed.Add(pending);
                    _pending.Remove(id);
                }
            }
        }

        foreach (var pending in failed)
        {
            pending.Completion.TrySetException(error);
        }
    }

    private sealed class Pending(byte unitId, Connection connection)
    {
        public byte UnitId { get; } = unitId;

        public Connection Connection { get; } = connection;

        public TaskCompletionSource<byte[]> Completion { get; } = new();

        public byte[]? Result { get; set; }

        public Exception? Error { get; set; }

        public void Complete()
        {
            if (Error is not null)
            {
                Completion.TrySetException(Error);
            }
            else
            {
                Completion.TrySetResult(Result!);
            }
        }
    }

    private sealed class Connection
    {
        private readonly Socket _socket;
        private int _closed;

        public Connection(Socket socket)
        {
            _socket = socket;
            Stream = new NetworkStream(socket, ownsSocket: true);
            Reader = PipeReader.Create(Stream, new StreamPipeReaderOptions(leaveOpen: true));
        }

        public NetworkStream Stream { get; }

        public PipeReader Reader { get; }

        private readonly Lock _sendLock = new();
        private ArrayBufferWriter<byte> _queued = new(1024);
        private ArrayBufferWriter<byte> _inFlight = new(1024);
        private bool _sending;

        public Task ReadLoop { get; set; } = Task.CompletedTask;

        public bool IsAlive => Volatile.Read(ref _closed) == 0;

        /// <summary>
        /// Queues one frame. If no write is in progress the caller writes (now, and whatever others queue meanwhile);
        /// otherwise the frame rides along with the current writer. Pipelined requests thus share system calls, and a
        /// frame is never cut by a cancellation, which would desynchronise every later response.
        /// </summary>
        public ValueTask SendAsync(ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu)
        {
            lock (_sendLock)
            {
                ModbusMbapFramer.Write(_queued, transactionId, unitId, pdu);
                if (_sending)
                {
                    return ValueTask.CompletedTask;
                }

                _sending = true;
            }

            return DrainAsync();
        }

        private async ValueTask DrainAsync()
        {
            try
            {
                while (true)
                {
                    ArrayBufferWriter<byte> batch;
                    lock (_sendLock)
                    {
                        if (_queued.WrittenCount == 0)
                        {
                            _sending = false;
                            return;
                        }

                        batch = _queued;
                        _queued = _inFlight;
                        _inFlight = batch;
                    }

                    await Stream.WriteAsync(batch.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
                    batch.ResetWrittenCount();
                }
            }
            catch
            {
                // Frames queued behind the failed write are answered by the read loop failing every pending request.
                Close();
                throw;
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                try
                {
                    _socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // Already reset by the peer; disposing is all that is left to do.
                }

                Stream.Dispose();
            }
        }
    }
}
