using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SensorGateway.Modbus.Framing;
using SensorGateway.Modbus.Transport;

namespace SensorGateway.Modbus.Server;

/// <summary>
/// A Modbus slave hosting many unit ids, each with its own <see cref="ModbusDataStore"/>. It listens on loopback TCP
/// (MBAP or RTU framing) and serves RTU on any stream or serial port. Faults can be injected per unit id, or per
/// request through <see cref="FaultSelector"/>, for simulators and robustness tests.
/// </summary>
public sealed class ModbusServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<byte, ModbusDataStore> _units = new();
    private readonly ConcurrentDictionary<byte, ModbusFault> _faults = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _timeProvider;
    private readonly long[] _injected = new long[Enum.GetValues<ModbusFaultKind>().Length];
    private readonly long[] _exceptions = new long[256];
    private long _requests;
    private long _responses;
    private long _unknownUnits;
    private long _framingErrors;

    public ModbusServer(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Consulted for every request before the per-unit fault: return a fault to inject, or null for none.
    /// Called concurrently from every connection.
    /// </summary>
    public Func<byte, ModbusFunctionCode, ModbusFault?>? FaultSelector { get; set; }

    public IReadOnlyCollection<byte> UnitIds => _units.Keys.ToArray();

    /// <summary>Hosts <paramref name="unitId"/>; returns its store (the one given, or a new full-size one).</summary>
    public ModbusDataStore AddUnit(byte unitId, ModbusDataStore? store = null) => _units.GetOrAdd(unitId, store ?? new ModbusDataStore());

    public bool RemoveUnit(byte unitId) => _units.TryRemove(unitId, out _);

    public ModbusDataStore GetUnit(byte unitId) =>
        _units.TryGetValue(unitId, out var store) ? store : throw new KeyNotFoundException($"Unit {unitId} is not hosted.");

    /// <summary>Injects <paramref name="fault"/> into every response of <paramref name="unitId"/> until cleared with null.</summary>
    public void SetFault(byte unitId, ModbusFault? fault)
    {
        if (fault is null || fault.Kind == ModbusFaultKind.None)
        {
            _faults.TryRemove(unitId, out _);
        }
        else
        {
            _faults[unitId] = fault;
        }
    }

    public ModbusServerCounters GetCounters()
    {
        var injected = new Dictionary<ModbusFaultKind, long>();
        for (var i = 1; i < _injected.Length; i++)
        {
            var value = Volatile.Read(ref _injected[i]);
            if (value != 0)
            {
                injected[(ModbusFaultKind)i] = value;
            }
        }

        var exceptions = new Dictionary<ModbusExceptionCode, long>();
        for (var i = 0; i < _exceptions.Length; i++)
        {
            var value = Volatile.Read(ref _exceptions[i]);
            if (value != 0)
            {
                exceptions[(ModbusExceptionCode)i] = value;
            }
        }

        return new ModbusServerCounters
        {
            Requests = Volatile.Read(ref _requests),
            Responses = Volatile.Read(ref _responses),
            UnknownUnitRequests = Volatile.Read(ref _unknownUnits),
            FramingErrors = Volatile.Read(ref _framingErrors),
            InjectedFaults = injected,
            ExceptionResponses = exceptions,
        };
    }

    /// <summary>Listens on 127.0.0.1; port 0 lets the OS choose. Returns the bound end point.</summary>
    public IPEndPoint StartTcp(ModbusTcpFraming framing = ModbusTcpFraming.Mbap, int port = 0)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        Track(AcceptLoopAsync(listener, framing));
        return (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>
    /// Serves RTU requests read from <paramref name="stream"/> until it ends or <paramref name="cancellationToken"/> fires.
    /// With <paramref name="line"/> set, a fragment followed by a gap longer than the 3.5-character silence is discarded,
    /// as a serial slave must.
    /// </summary>
    public async Task ServeRtuAsync(Stream stream, ModbusSerialPortOptions? line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var buffer = new byte[ModbusLimits.MaxRtuFrameLength * 2];
        var output = new ArrayBufferWriter<byte>(ModbusLimits.MaxRtuFrameLength);
        var writeLock = new SemaphoreSlim(1, 1);
        var count = 0;
        var lastRead = _timeProvider.GetTimestamp();
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(count, buffer.Length - count), token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                var now = _timeProvider.GetTimestamp();
                if (line is not null && count > 0 && _timeProvider.GetElapsedTime(lastRead, now) > line.FrameSilence)
                {
                    // The fragment ended in silence: it can never become a frame (section 2.5.1.1).
                    Interlocked.Increment(ref _framingErrors);
                    buffer.AsSpan(count, read).CopyTo(buffer);
                    count = 0;
                }

                lastRead = now;
                count += read;
                var consumed = ProcessRtu(buffer, count, output, out var delayed);
                buffer.AsSpan(consumed, count - consumed).CopyTo(buffer);
                count -= consumed;
                if (count == buffer.Length)
                {
                    Interlocked.Increment(ref _framingErrors);
                    count = 0;
                }

                await FlushAsync(stream, output, writeLock, delayed, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping is not an error.
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The peer went away; a slave simply stops serving that link.
        }
    }

    /// <summary>Opens a serial port and serves RTU on it until cancelled.</summary>
    public async Task ServeSerialPortAsync(ModbusSerialPortOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var port = options.Open();
        using var registration = cancellationToken.Register(port.Close);
        await ServeRtuAsync(port.BaseStream, options, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_listeners)
        {
            foreach (var listener in _listeners)
            {
                listener.Dispose();
            }
        }

        await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Track(Task task)
    {
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task AcceptLoopAsync(Socket listener, ModbusTcpFraming framing)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
                socket.NoDelay = true;
                Track(ServeConnectionAsync(socket, framing));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Listener closed.
        }
    }

    private async Task ServeConnectionAsync(Socket socket, ModbusTcpFraming framing)
    {
        await Task.Yield();
        var stream = new NetworkStream(socket, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            if (framing == ModbusTcpFraming.Rtu)
            {
                await ServeRtuAsync(stream, null, _stopping.Token).ConfigureAwait(false);
                return;
            }

            var reader = PipeReader.Create(stream);
            var output = new ArrayBufferWriter<byte>(1024);
            var writeLock = new SemaphoreSlim(1, 1);
            var token = _stopping.Token;
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(token).ConfigureAwait(false);
                    var buffer = result.Buffer;
                    List<(TimeSpan Delay, byte[] Frame)>? delayed = null;
                    try
                    {
                        while (ModbusMbapFramer.TryParse(buffer, out var consumed, out _, out var frame))
                        {
                            HandleMbap(frame, output, ref delayed);
                            buffer = buffer.Slice(consumed);
                        }

                        await FlushAsync(stream, output, writeLock, delayed, token).ConfigureAwait(false);
                        if (result.IsCompleted)
                        {
                            break;
                        }
                    }
                    finally
                    {
                        reader.AdvanceTo(buffer.Start, buffer.End);
                    }
                }
            }
            catch (ModbusProtocolException)
            {
                // A broken MBAP header leaves no way to find the next frame: close, the master reconnects.
                Interlocked.Increment(ref _framingErrors);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // Peer gone or server stopping.
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task FlushAsync(
        Stream stream, ArrayBufferWriter<byte> output, SemaphoreSlim writeLock, List<(TimeSpan Delay, byte[] Frame)>? delayed, CancellationToken token)
    {
        // Start the delay clocks before the prompt answers go out, so that anyone who has seen a prompt answer
        // can rely on the delayed ones being scheduled (tests drive them with a fake clock).
        if (delayed is not null)
        {
            foreach (var (delay, frame) in delayed)
            {
                Track(SendLaterAsync(stream, writeLock, delay, frame, token));
            }
        }

        if (output.WrittenCount > 0)
        {
            await writeLock.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(output.WrittenMemory, token).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }

            output.ResetWrittenCount();
        }
    }

    private async Task SendLaterAsync(Stream stream, SemaphoreSlim writeLock, TimeSpan delay, byte[] frame, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, token).ConfigureAwait(false);
            await writeLock.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(frame, token).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection went away while the delayed answer was pending.
        }
    }

    private void HandleMbap(in ModbusMbapFrame frame, ArrayBufferWriter<byte> output, ref List<(TimeSpan Delay, byte[] Frame)>? delayed)
    {
        Span<byte> request = stackalloc byte[ModbusLimits.MaxPduLength];
        Span<byte> response = stackalloc byte[ModbusLimits.MaxPduLength];
        var pduLength = (int)frame.Pdu.Length;
        frame.Pdu.CopyTo(request);
        var length = Execute(frame.UnitId, request[..pduLength], response, rtu: false, out var fault);
        if (length == 0)
        {
            return;
        }

        var unitId = frame.UnitId;
        var transactionId = frame.TransactionId;
        switch (fault?.Kind)
        {
            case ModbusFaultKind.CorruptCrc:
                response[0] = 0x55;
                break;
            case ModbusFaultKind.TruncateFrame:
                length = Math.Max(1, length / 2);
                break;
            case ModbusFaultKind.WrongTransactionId:
                transactionId ^= 0x8000;
                break;
            case ModbusFaultKind.WrongUnitId:
                unitId ^= 0x80;
                break;
            default:
                break;
        }

        if (fault?.Kind == ModbusFaultKind.Delay)
        {
            var bytes = new byte[ModbusMbapFramer.HeaderLength + length];
            ModbusMbapFramer.Write(bytes, transactionId, unitId, response[..length]);
            (delayed ??= []).Add((fault.Delay, bytes));
            return;
        }

        ModbusMbapFramer.Write(output, transactionId, unitId, response[..length]);
    }

    private int ProcessRtu(byte[] buffer, int count, ArrayBufferWriter<byte> output, out List<(TimeSpan Delay, byte[] Frame)>? delayed)
    {
        delayed = null;
        var offset = 0;
        Span<byte> request = stackalloc byte[ModbusLimits.MaxPduLength];
        Span<byte> response = stackalloc byte[ModbusLimits.MaxPduLength];
        Span<byte> frameBytes = stackalloc byte[ModbusLimits.MaxRtuFrameLength];
        while (offset < count)
        {
            var input = new ReadOnlySequence<byte>(buffer, offset, count - offset);
            ModbusRtuFrame frame;
            SequencePosition consumed;
            try
            {
                if (!ModbusRtuFramer.TryParse(input, ModbusRtuDirection.Request, out consumed, out _, out frame))
                {
                    return offset;
                }
            }
            catch (ModbusProtocolException)
            {
                // Resynchronise on the next burst: everything buffered is noise or a damaged frame.
                Interlocked.Increment(ref _framingErrors);
                return count;
            }

            offset = consumed.GetInteger();
            var pduLength = (int)frame.Pdu.Length;
            frame.Pdu.CopyTo(request);
            var length = Execute(frame.UnitId, request[..pduLength], response, rtu: true, out var fault);

            // Broadcast writes are executed but never answered (Modbus over Serial Line, section 2.1).
            if (length == 0 || frame.UnitId == 0)
            {
                continue;
            }

            var unitId = fault?.Kind == ModbusFaultKind.WrongUnitId ? (byte)(frame.UnitId ^ 0x80) : frame.UnitId;
            var frameLength = ModbusRtuFramer.Write(frameBytes, unitId, response[..length]);
            switch (fault?.Kind)
            {
                case ModbusFaultKind.CorruptCrc:
                    frameBytes[frameLength - 1] ^= 0xFF;
                    break;
                case ModbusFaultKind.TruncateFrame:
                    frameLength /= 2;
                    break;
                default:
                    break;
            }

            if (fault?.Kind == ModbusFaultKind.Delay)
            {
                (delayed ??= []).Add((fault.Delay, frameBytes[..frameLength].ToArray()));
            }
            else
            {
                output.Write(frameBytes[..frameLength]);
            }
        }

        return offset;
    }

    /// <summary>Runs the request against the unit's store; returns the response PDU length, 0 for "send nothing".</summary>
    private int Execute(byte unitId, ReadOnlySpan<byte> request, Span<byte> response, bool rtu, out ModbusFault? fault)
    {
        Interlocked.Increment(ref _requests);
        fault = null;
        if (rtu && unitId == 0)
        {
            // RTU broadcast: every hosted unit executes the write, none answers (Modbus over Serial Line, section 2.1).
            foreach (var unit in _units.Values)
            {
                ModbusRequestHandler.Handle(unit, request, response);
            }

            return 0;
        }

        if (!_units.TryGetValue(unitId, out var store))
        {
            Interlocked.Increment(ref _unknownUnits);
            if (rtu || request.IsEmpty)
            {
                // On a bus, a unit that is not there stays silent.
                return 0;
            }

            // A TCP gateway reports the missing device (section 7, code 0B).
            return CountException(Pdu.ModbusPduWriter.WriteExceptionResponse(
                response, (ModbusFunctionCode)(request[0] & 0x7F), ModbusExceptionCode.GatewayTargetDeviceFailedToRespond), response);
        }

        fault = FaultSelector?.Invoke(unitId, request.IsEmpty ? default : (ModbusFunctionCode)request[0]) ?? _faults.GetValueOrDefault(unitId);
        if (fault is { Kind: ModbusFaultKind.None } || (rtu && fault?.Kind == ModbusFaultKind.WrongTransactionId))
        {
            fault = null;
        }

        if (fault is not null)
        {
            Interlocked.Increment(ref _injected[(int)fault.Kind]);
        }

        if (fault?.Kind == ModbusFaultKind.DropResponse)
        {
            return 0;
        }

        var length = fault?.Kind == ModbusFaultKind.ExceptionResponse
            ? Pdu.ModbusPduWriter.WriteExceptionResponse(response, (ModbusFunctionCode)(request[0] & 0x7F), fault.ExceptionCode)
            : ModbusRequestHandler.Handle(store, request, response);
        return CountException(length, response);
    }

    private int CountException(int length, ReadOnlySpan<byte> response)
    {
        Interlocked.Increment(ref _responses);
        if ((response[0] & 0x80) != 0)
        {
            Interlocked.Increment(ref _exceptions[response[1]]);
        }

        return length;
    }
}
