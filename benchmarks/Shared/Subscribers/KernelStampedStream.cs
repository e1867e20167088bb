using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SensorGateway.Benchmarks.Subscribers;

/// <summary>
/// A subscriber's TCP connection that reads with <c>recvmsg</c> and keeps the kernel's receive time of the newest
/// bytes (SO_TIMESTAMPNS; on loopback the kernel stamps a packet when the gateway's send puts it on the interface).
/// A console on another machine sees an event when it reaches its socket; on this two-core machine 100 subscribers'
/// clients also take the gateway's cores, and a timestamp taken in the subscriber's code would add the time its
/// client waited for a core. The stamp of a read is that of the last packet in it, so it is never early.
/// </summary>
/// <remarks>Linux x86-64 only (the layouts below); everything else about the connection is the socket's own.</remarks>
internal sealed class KernelStampedStream(Socket socket) : Stream
{
    private const int SolSocket = 1;
    private const int SoTimestampNs = 35; // SO_TIMESTAMPNS_OLD, also its SCM type
    private const int MsgDontWait = 0x40;
    private const int EAgain = 11;
    private const int EIntr = 4;

    // CLOCK_REALTIME (the kernel's stamp) minus CLOCK_MONOTONIC (Stopwatch), both in nanoseconds, so that a stamp can
    // be compared with Stopwatch timestamps taken in any process.
    private static readonly long s_realtimeMinusMonotonicNs = MeasureClockOffset();

    private readonly NetworkStream _writes = new(socket, ownsSocket: true);
    private readonly byte[] _control = new byte[64];
    private long _lastArrival;

    /// <summary>The kernel's receive time of the newest bytes read, as a Stopwatch timestamp; 0 before the first read.</summary>
    public long LastArrival => Volatile.Read(ref _lastArrival);

    /// <summary>A Stopwatch timestamp (of any process on this machine) as wall-clock time, to compare with a time the gateway stamped.</summary>
    public static DateTimeOffset ToUtc(long stopwatchTimestamp) =>
        DateTimeOffset.UnixEpoch.AddTicks(((long)(stopwatchTimestamp * (1e9 / Stopwatch.Frequency)) + s_realtimeMinusMonotonicNs) / 100);

    public static void EnableStamps(Socket socket) => socket.SetRawSocketOption(SolSocket, SoTimestampNs, BitConverter.GetBytes(1));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var read = TryReceive(buffer);
            if (read >= 0)
            {
                return read;
            }

            // Nothing queued: wait until the socket is readable without taking any bytes, then read them with recvmsg.
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _writes.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _writes.WriteAsync(buffer, offset, count, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => _writes.Write(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writes.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Bytes read, 0 at the end of the stream, or -1 when none are queued.</summary>
    private unsafe int TryReceive(Memory<byte> buffer)
    {
        using var data = buffer.Pin();
        fixed (byte* control = _control)
        {
            var vector = new IoVector { Base = (nint)data.Pointer, Length = (nuint)buffer.Length };
            var header = new MessageHeader { Vectors = (nint)(&vector), VectorCount = 1, Control = (nint)control, ControlLength = (nuint)_control.Length };
            var fd = (int)socket.SafeHandle.DangerousGetHandle();
            while (true)
            {
                var read = RecvMsg(fd, ref header, MsgDontWait);
                if (read >= 0)
                {
                    if (read > 0)
                    {
                        NoteStamp(control, (int)header.ControlLength);
                    }

                    return (int)read;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EAgain)
                {
                    return -1;
                }

                if (errno != EIntr)
                {
                    throw new IOException($"recvmsg failed with errno {errno}", new SocketException(errno));
                }
            }
        }
    }

    private unsafe void NoteStamp(byte* control, int length)
    {
        // struct cmsghdr { size_t len; int level; int type; } then struct timespec { long sec; long nsec; }, 8-aligned.
        for (var offset = 0; offset + 32 <= length;)
        {
            var cmsgLength = (int)*(ulong*)(control + offset);
            if (cmsgLength < 16)
            {
                return;
            }

            if (*(int*)(control + offset + 8) == SolSocket && *(int*)(control + offset + 12) == SoTimestampNs)
            {
                var realtimeNs = (*(long*)(control + offset + 16) * 1_000_000_000) + *(long*)(control + offset + 24);
                var monotonicNs = realtimeNs - s_realtimeMinusMonotonicNs;
                Volatile.Write(ref _lastArrival, (long)(monotonicNs * (Stopwatch.Frequency / 1e9)));
                return;
            }

            offset += (cmsgLength + 7) & ~7;
        }
    }

    private static long MeasureClockOffset()
    {
        // The tightest of several readings: a reading that was preempted between the two clocks is off by the preemption.
        var best = long.MaxValue;
        var offset = 0L;
        for (var i = 0; i < 200; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var realtime = DateTime.UtcNow;
            var after = Stopwatch.GetTimestamp();
            if (after - before < best)
            {
                best = after - before;
                var monotonicNs = (long)((before + after) / 2.0 * (1e9 / Stopwatch.Frequency));
                offset = ((realtime - DateTime.UnixEpoch).Ticks * 100) - monotonicNs;
            }
        }

        return offset;
    }

    [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static extern nint RecvMsg(int socket, ref MessageHeader message, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public nint Name;
        public uint NameLength;
        public nint Vectors;
        public nuint VectorCount;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
    }
}
