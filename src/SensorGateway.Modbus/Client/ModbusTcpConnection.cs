using System.Buffers;
using System.Net.Sockets;
using SensorGateway.Modbus.Framing;

namespace SensorGateway.Modbus.Client;

/// <summary>
/// One Modbus TCP connection served by a thread of its own that blocks in <c>recv</c>, the way libmodbus does.
/// An async receive in .NET on Linux costs a hop per response (epoll thread, then a thread-pool thread, then the
/// awaiting caller); here the bytes arrive on the thread that was woken and the caller can resume on it. For that
/// the socket must stay in blocking mode: .NET switches a socket to non-blocking for good on its first async
/// operation, after which synchronous calls are emulated through the epoll thread again. So everything on this
/// socket, connect and send included, is synchronous.
/// </summary>
internal sealed class ModbusTcpConnection
{
    // An MBAP frame is at most 260 bytes; room for many lets one recv take a whole pipelined batch.
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly string _host;
    private readonly int _port;
    private readonly IModbusTcpResponseSink _sink;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sendLock = new();
    private ArrayBufferWriter<byte> _queued = new(1024);
    private ArrayBufferWriter<byte> _inFlight = new(1024);
    private bool _sending;
    private int _closed;

    private ModbusTcpConnection(string host, int port, TimeSpan sendTimeout, IModbusTcpResponseSink sink)
    {
        _host = host;
        _port = port;
        _sink = sink;

        // The send timeout bounds a blocking send to a peer that stopped reading; requests are tiny, so in practice
        // a send only ever copies into the socket buffer.
        _socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendTimeout = (int)Math.Clamp(sendTimeout.TotalMilliseconds, 1, int.MaxValue),
        };
    }

    public bool IsAlive => Volatile.Read(ref _closed) == 0;

    /// <summary>Completes when the receive thread has ended and every pending request has been failed.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>
    /// Connects on the connection's own thread; on timeout or cancellation the socket is closed, which also ends a
    /// connect still in progress.
    /// </summary>
    public static async Task<ModbusTcpConnection> OpenAsync(
        string host, int port, TimeSpan connectTimeout, TimeSpan sendTimeout, IModbusTcpResponseSink sink, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = new ModbusTcpConnection(host, port, sendTimeout, sink);
        var thread = new Thread(static c => ((ModbusTcpConnection)c!).Run())
        {
            IsBackground = true,
            Name = $"Modbus TCP {host}:{port}",
        };
        thread.Start(connection);
        try
        {
            await connection._connected.Task.WaitAsync(connectTimeout, time, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Close();
            throw;
        }
    }

    /// <summary>
    /// Queues one frame. If no send is in progress the caller sends (now, and whatever others queue meanwhile);
    /// otherwise the frame rides along with the current sender, which may be the receive thread finishing a batch of
    /// responses. Pipelined requests thus share system calls, and a frame is never cut by a cancellation, which
    /// would desynchronise every later response.
    /// </summary>
    public void Send(ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu)
    {
        lock (_sendLock)
        {
            ModbusMbapFramer.Write(_queued, transactionId, unitId, pdu);
            if (_sending)
            {
                return;
            }

            _sending = true;
        }

        Drain();
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                // Wakes the receive thread out of recv (or connect) with end of stream.
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Not connected yet, or already reset by the peer; disposing is all that is left to do.
            }

            _socket.Dispose();
        }
    }

    private void Run()
    {
        try
        {
            _socket.Connect(_host, _port);
            _connected.TrySetResult();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _connected.TrySetException(ex);
            _stopped.TrySetResult();
            return;
        }

        Exception? error = null;
        try
        {
            ReceiveLoop();
        }
#pragma warning disable CA1031 // The thread must end cleanly whatever happened; the error goes to every pending request.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }
        finally
        {
            Close();
            _sink.OnClosed(this, error);
            _stopped.TrySetResult();
        }
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[ReceiveBufferSize];
        var filled = 0;
        while (true)
        {
            var received = _socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (received == 0)
            {
                return;
            }

            filled += received;
            var consumed = DispatchCorked(buffer.AsMemory(0, filled));
            filled -= consumed;
            if (filled > 0 && consumed > 0)
            {
                // At most one partial frame (< 260 bytes) is left: moving it is cheaper than a ring buffer.
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled);
            }
        }
    }

    /// <summary>
    /// Hands the received bytes to the master with sending held back: callers resumed on this thread queue their next
    /// request, and one send after the batch carries them all.
    /// </summary>
    private int DispatchCorked(ReadOnlyMemory<byte> received)
    {
        bool corked;
        lock (_sendLock)
        {
            corked = !_sending;
            _sending = true;
        }

        try
        {
            return _sink.OnReceived(this, received);
        }
        finally
        {
            if (corked)
            {
                DrainAfterBatch();
            }
        }
    }

    private void DrainAfterBatch()
    {
        try
        {
            Drain();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Drain has closed the connection: the next receive fails and ends the loop, which fails every pending request.
        }
    }

    private void Drain()
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

                var unsent = batch.WrittenSpan;
                while (!unsent.IsEmpty)
                {
                    unsent = unsent[_socket.Send(unsent, SocketFlags.None)..];
                }

                batch.ResetWrittenCount();
            }
        }
        catch
        {
            // Frames queued behind the failed send are answered by the receive thread failing every pending request.
            Close();
            throw;
        }
    }
}
