using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using SensorGateway.Modbus.Framing;

namespace SensorGateway.Modbus.Client;

/// <summary>
/// RTU master on a serial line or over TCP through a serial device server. RTU has no transaction id, so the
/// bus is strictly one request at a time: the next request waits for the answer (or timeout) of the previous one,
/// then for the 3.5-character silence and the optional extra delay. Bytes still buffered when a request starts
/// belong to an earlier exchange and are discarded, so a late answer can never be taken for the current one.
/// </summary>
public sealed class ModbusRtuMaster : ModbusMaster
{
    private readonly ModbusRtuMasterOptions _options;
    private readonly SemaphoreSlim _bus = new(1, 1);
    private readonly Lock _bufferLock = new();
    private readonly byte[] _buffer = new byte[ModbusLimits.MaxRtuFrameLength * 2];
    private readonly CancellationTokenSource _disposed = new();
    private readonly TimeSpan _quietTime;
    private int _count;
    private Pending? _current;
    private Channel? _channel;
    private long _lastExchangeEnd;
    private int _consecutiveFailures;
    private bool _everConnected;

    public ModbusRtuMaster(ModbusRtuMasterOptions options, TimeProvider? timeProvider = null)
        : base(timeProvider ?? TimeProvider.System, Checked(options).RequestTimeout, options.Retries)
    {
        _options = options;
        var silence = options.SerialPort?.FrameSilence ?? TimeSpan.Zero;
        _quietTime = silence > options.InterRequestDelay ? silence : options.InterRequestDelay;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        var channel = _channel;
        if (channel is not null)
        {
            channel.Close();
            await channel.ReadLoop.ConfigureAwait(false);
        }

        _disposed.Dispose();
    }

    private protected override void ThrowIfBroadcastRead(byte unitId)
    {
        if (unitId == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, "Unit 0 is the RTU broadcast address; it can only be written to.");
        }
    }

    private protected override async Task<byte[]> ExchangeAsync(
        byte unitId, ModbusFunctionCode functionCode, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        await _bus.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var channel = await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
            var quiet = _quietTime - TimeProvider.GetElapsedTime(Volatile.Read(ref _lastExchangeEnd));
            if (quiet > TimeSpan.Zero)
            {
                await Task.Delay(quiet, TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            var pending = new Pending(unitId);
            lock (_bufferLock)
            {
                if (_count > 0)
                {
                    Metrics.Discarded(_count);
                    _count = 0;
                }

                _current = unitId == 0 ? null : pending;
            }

            var frame = ArrayPool<byte>.Shared.Rent(request.Length + 3);
            try
            {
                var length = ModbusRtuFramer.Write(frame, unitId, request.Span);
                await channel.Stream.WriteAsync(frame.AsMemory(0, length), CancellationToken.None).ConfigureAwait(false);
                await channel.Stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                channel.Close();
                throw new ModbusConnectionException("Sending the RTU request failed.", ex);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }

            Metrics.Request();
            if (unitId == 0)
            {
                return [];
            }

            try
            {
                return await pending.Completion.Task.WaitAsync(RequestTimeout, TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                lock (_bufferLock)
                {
                    if (_current == pending)
                    {
                        _current = null;
                    }
                }

                if (ex is TimeoutException)
                {
                    throw new ModbusTimeoutException(unitId, functionCode, RequestTimeout);
                }

                throw;
            }
        }
        finally
        {
            Volatile.Write(ref _lastExchangeEnd, TimeProvider.GetTimestamp());
            _bus.Release();
        }
    }

    private static ModbusRtuMasterOptions Checked(ModbusRtuMasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static string Invariant(byte value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task<Channel> EnsureOpenAsync(CancellationToken cancellationToken)
    {
        var channel = _channel;
        if (channel is { IsAlive: true })
        {
            return channel;
        }

        if (_consecutiveFailures > 0)
        {
            var delay = ModbusOptionChecks.BackoffDelay(_consecutiveFailures, _options.ReconnectInitialDelay, _options.ReconnectMaxDelay);
            await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            channel = _options.SerialPort is { } serial
                ? Channel.FromSerial(serial.Open())
                : await Channel.ConnectAsync(_options.Host!, _options.Port, _options.ConnectTimeout, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or InvalidOperationException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _consecutiveFailures++;
            Metrics.ConnectFailure();
            throw new ModbusConnectionException($"Could not open {_options.SerialPort?.PortName ?? _options.Host + ":" + _options.Port}.", ex);
        }

        if (_everConnected)
        {
            Metrics.Reconnect();
        }

        _everConnected = true;
        _consecutiveFailures = 0;
        lock (_bufferLock)
        {
            _count = 0;
        }

        var opened = channel;
        opened.ReadLoop = Task.Run(() => ReadLoopAsync(opened), CancellationToken.None);
        _channel = opened;
        return opened;
    }

    private async Task ReadLoopAsync(Channel channel)
    {
        var chunk = new byte[ModbusLimits.MaxRtuFrameLength];
        Exception error = new ModbusConnectionException("The RTU link closed.");
        try
        {
            while (true)
            {
                var read = await channel.Stream.ReadAsync(chunk, _disposed.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                lock (_bufferLock)
                {
                    Append(chunk.AsSpan(0, read));
                    ParseLocked();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            error = new ModbusConnectionException("The RTU link failed.", ex);
        }
        finally
        {
            channel.Close();
            Pending? pending;
            lock (_bufferLock)
            {
                pending = _current;
                _current = null;
            }

            pending?.Completion.TrySetException(error);
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_count + data.Length > _buffer.Length)
        {
            // More than a frame of noise: keep only the newest bytes, a frame can only start there.
            Metrics.Discarded(_count);
            _count = 0;
        }

        data.CopyTo(_buffer.AsSpan(_count));
        _count += data.Length;
    }

    private void ParseLocked()
    {
        while (_count > 0)
        {
            var input = new ReadOnlySequence<byte>(_buffer, 0, _count);
            bool complete;
            ModbusRtuFrame frame;
            SequencePosition consumed;
            try
            {
                complete = ModbusRtuFramer.TryParse(input, ModbusRtuDirection.Response, out consumed, out _, out frame);
            }
            catch (ModbusProtocolException ex)
            {
                // No length field to trust: drop everything buffered and let the silence before the next frame resynchronise.
                Metrics.Discarded(_count);
                _count = 0;
                var failed = _current;
                _current = null;
                if (failed is null)
                {
                    Metrics.ProtocolError(ex.Kind);
                }
                else
                {
                    failed.Completion.TrySetException(ex);
                }

                return;
            }

            if (!complete)
            {
                return;
            }

            var pending = _current;
            _current = null;
            if (pending is null)
            {
                Metrics.Stray();
            }
            else if (frame.UnitId != pending.UnitId)
            {
                pending.Completion.TrySetException(new ModbusProtocolException(
                    ModbusProtocolErrorKind.UnexpectedUnitId, "Response unit id", Invariant(pending.UnitId), Invariant(frame.UnitId)));
            }
            else
            {
                Metrics.Response();
                pending.Completion.TrySetResult(frame.Pdu.ToArray());
            }

            var used = consumed.GetInteger();
            _buffer.AsSpan(used, _count - used).CopyTo(_buffer);
            _count -= used;
        }
    }

    private sealed class Pending(byte unitId)
    {
        public byte UnitId { get; } = unitId;

        public TaskCompletionSource<byte[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Channel
    {
        private readonly IDisposable _owner;
        private int _closed;

        private Channel(Stream stream, IDisposable owner)
        {
            Stream = stream;
            _owner = owner;
        }

        public Stream Stream { get; }

        public Task ReadLoop { get; set; } = Task.CompletedTask;

        public bool IsAlive => Volatile.Read(ref _closed) == 0;

        public static Channel FromSerial(System.IO.Ports.SerialPort port) => new(port.BaseStream, port);

        public static async Task<Channel> ConnectAsync(string host, int port, TimeSpan connectTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var timeout = new CancellationTokenSource(connectTimeout, timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return new Channel(new NetworkStream(socket, ownsSocket: true), socket);
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Stream.Dispose();
                _owner.Dispose();
            }
        }
    }
}
