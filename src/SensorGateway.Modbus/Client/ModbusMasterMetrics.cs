namespace SensorGateway.Modbus.Client;

/// <summary>Lock-free counters updated on the I/O path; <see cref="Snapshot"/> copies them out.</summary>
internal sealed class ModbusMasterMetrics
{
    private readonly long[] _exceptions = new long[256];
    private readonly long[] _protocolErrors = new long[Enum.GetValues<ModbusProtocolErrorKind>().Length];
    private long _requests;
    private long _responses;
    private long _retries;
    private long _timeouts;
    private long _stray;
    private long _late;
    private long _discarded;
    private long _reconnects;
    private long _connectFailures;
    private long _roundTrips;
    private long _roundTripTicks;
    private long _maxRoundTripTicks;

    public void Request() => Interlocked.Increment(ref _requests);

    public void Response() => Interlocked.Increment(ref _responses);

    public void Retry() => Interlocked.Increment(ref _retries);

    public void Timeout() => Interlocked.Increment(ref _timeouts);

    public void Stray() => Interlocked.Increment(ref _stray);

    public void Late() => Interlocked.Increment(ref _late);

    public void Discarded(int bytes) => Interlocked.Add(ref _discarded, bytes);

    public void Reconnect() => Interlocked.Increment(ref _reconnects);

    public void ConnectFailure() => Interlocked.Increment(ref _connectFailures);

    public void SlaveException(ModbusExceptionCode code) => Interlocked.Increment(ref _exceptions[(byte)code]);

    public void ProtocolError(ModbusProtocolErrorKind kind) => Interlocked.Increment(ref _protocolErrors[(int)kind]);

    public void RoundTrip(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Add(ref _roundTripTicks, elapsed.Ticks);
        var max = Volatile.Read(ref _maxRoundTripTicks);
        while (elapsed.Ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxRoundTripTicks, elapsed.Ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public ModbusMasterCounters Snapshot()
    {
        var exceptions = new Dictionary<ModbusExceptionCode, long>();
        for (var i = 0; i < _exceptions.Length; i++)
        {
            var value = Volatile.Read(ref _exceptions[i]);
            if (value != 0)
            {
                exceptions[(ModbusExceptionCode)i] = value;
            }
        }

        var protocol = new Dictionary<ModbusProtocolErrorKind, long>();
        for (var i = 0; i < _protocolErrors.Length; i++)
        {
            var value = Volatile.Read(ref _protocolErrors[i]);
            if (value != 0)
            {
                protocol[(ModbusProtocolErrorKind)i] = value;
            }
        }

        var roundTrips = Volatile.Read(ref _roundTrips);
        return new ModbusMasterCounters
        {
            Requests = Volatile.Read(ref _requests),
            Responses = Volatile.Read(ref _responses),
            Retries = Volatile.Read(ref _retries),
            Timeouts = Volatile.Read(ref _timeouts),
            SlaveExceptions = exceptions,
            ProtocolErrors = protocol,
            StrayResponses = Volatile.Read(ref _stray),
            LateResponses = Volatile.Read(ref _late),
            DiscardedBytes = Volatile.Read(ref _discarded),
            Reconnects = Volatile.Read(ref _reconnects),
            ConnectFailures = Volatile.Read(ref _connectFailures),
            RoundTrips = roundTrips,
            MeanRoundTrip = roundTrips == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Volatile.Read(ref _roundTripTicks) / roundTrips),
            MaxRoundTrip = TimeSpan.FromTicks(Volatile.Read(ref _maxRoundTripTicks)),
        };
    }
}
