using SensorGateway.Modbus.Client;
using SensorGateway.Modbus.Server;

namespace SensorGateway.Modbus.Tests;

/// <summary>
/// Issue 3 acceptance: 10,000 injected faults on a pipelined connection; no value may reach the wrong request and
/// every fault must be counted by kind. Retries are off so that each fault maps to exactly one outcome.
/// </summary>
public class ModbusFaultInjectionTests
{
    private const int Units = 4;
    private const int TotalFaults = 10_000;

    private static readonly ModbusExceptionCode[] Codes =
    [
        ModbusExceptionCode.IllegalFunction, ModbusExceptionCode.IllegalDataAddress, ModbusExceptionCode.IllegalDataValue,
        ModbusExceptionCode.ServerDeviceFailure, ModbusExceptionCode.Acknowledge, ModbusExceptionCode.ServerDeviceBusy,
        ModbusExceptionCode.NegativeAcknowledge, ModbusExceptionCode.MemoryParityError, ModbusExceptionCode.GatewayPathUnavailable,
        ModbusExceptionCode.GatewayTargetDeviceFailedToRespond,
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PipelinedMbap_TenThousandFaults_NoValueMisdeliveredEveryFaultCounted()
    {
        var faults = Plan(
            seed: 20261129,
            (TotalFaults - 4_000) / Codes.Length,
            [
                (ModbusFault.WrongUnitId, 1_200), (ModbusFault.Truncate, 1_200), (ModbusFault.CorruptCrc, 1_000),
                (ModbusFault.Delayed(TimeSpan.FromMilliseconds(2)), 300), (ModbusFault.Drop, 150), (ModbusFault.WrongTransactionId, 150),
            ]);
        Assert.Equal(TotalFaults, faults.Count);
        await using var server = Server();
        var next = -1;
        server.FaultSelector = (_, _) =>
        {
            // Every other request is clean, so good answers interleave with bad ones on the wire.
            var n = Interlocked.Increment(ref next);
            return n % 2 == 1 && n / 2 < faults.Count ? faults[n / 2] : null;
        };
        await using var master = ModbusTcpMasterTests.Master(
            server.StartTcp(), o => (o.MaxOutstandingRequests, o.Retries, o.RequestTimeout) = (16, 0, TimeSpan.FromMilliseconds(500)));

        var outcome = await RunAsync(master, () => Volatile.Read(ref next) >= 2 * TotalFaults, workers: 16);

        var injected = server.GetCounters().InjectedFaults;
        var counters = master.GetCounters();
        Assert.Equal(0, outcome.Misdelivered);
        Assert.Equal(TotalFaults, injected.Values.Sum());
        foreach (var code in Codes)
        {
            Assert.Equal(faults.Count(f => f.Kind == ModbusFaultKind.ExceptionResponse && f.ExceptionCode == code), counters.SlaveExceptions[code]);
        }

        Assert.Equal(injected[ModbusFaultKind.ExceptionResponse], outcome.SlaveExceptions);
        Assert.Equal(injected[ModbusFaultKind.WrongUnitId], counters.ProtocolErrors[ModbusProtocolErrorKind.UnexpectedUnitId]);
        Assert.Equal(injected[ModbusFaultKind.TruncateFrame], counters.ProtocolErrors[ModbusProtocolErrorKind.InvalidLength]);
        Assert.Equal(injected[ModbusFaultKind.CorruptCrc], counters.ProtocolErrors[ModbusProtocolErrorKind.UnexpectedFunction]);
        Assert.Equal(injected[ModbusFaultKind.DropResponse] + injected[ModbusFaultKind.WrongTransactionId], counters.Timeouts);
        Assert.Equal(injected[ModbusFaultKind.WrongTransactionId], counters.StrayResponses + counters.LateResponses);
        Assert.Equal(counters.Requests - counters.Timeouts - injected[ModbusFaultKind.WrongUnitId], counters.Responses);
        Assert.Equal(outcome.Good, counters.Responses - injected[ModbusFaultKind.ExceptionResponse] - injected[ModbusFaultKind.TruncateFrame] - injected[ModbusFaultKind.CorruptCrc]);
        Assert.Equal(0, counters.Reconnects);
    }

    [Fact]
    public async Task RtuOverTcp_ThousandFaults_NoValueMisdeliveredEveryFaultCounted()
    {
        var faults = Plan(seed: 7, 60, [(ModbusFault.CorruptCrc, 300), (ModbusFault.WrongUnitId, 80), (ModbusFault.Truncate, 10), (ModbusFault.Drop, 10)]);
        Assert.Equal(1_000, faults.Count);
        await using var server = Server();
        var next = -1;
        server.FaultSelector = (_, _) =>
        {
            var n = Interlocked.Increment(ref next);
            return n % 2 == 1 && n / 2 < faults.Count ? faults[n / 2] : null;
        };
        await using var master = ModbusRtuMasterTests.Master(
            server.StartTcp(ModbusTcpFraming.Rtu), o => (o.Retries, o.RequestTimeout) = (0, TimeSpan.FromMilliseconds(200)));

        var outcome = await RunAsync(master, () => Volatile.Read(ref next) >= 2 * faults.Count, workers: 4);

        var injected = server.GetCounters().InjectedFaults;
        var counters = master.GetCounters();
        Assert.Equal(0, outcome.Misdelivered);
        Assert.Equal(1_000, injected.Values.Sum());
        Assert.Equal(injected[ModbusFaultKind.ExceptionResponse], counters.SlaveExceptions.Values.Sum());
        Assert.Equal(injected[ModbusFaultKind.CorruptCrc], counters.CrcErrors);
        Assert.Equal(injected[ModbusFaultKind.WrongUnitId], counters.ProtocolErrors[ModbusProtocolErrorKind.UnexpectedUnitId]);
        Assert.Equal(injected[ModbusFaultKind.TruncateFrame] + injected[ModbusFaultKind.DropResponse], counters.Timeouts);
        Assert.Equal(0, counters.StrayResponses);
    }

    private static List<ModbusFault> Plan(int seed, int perCode, (ModbusFault Fault, int Count)[] others)
    {
        var list = Codes.SelectMany(code => Enumerable.Repeat(ModbusFault.Exception(code), perCode)).ToList();
        foreach (var (fault, count) in others)
        {
            list.AddRange(Enumerable.Repeat(fault, count));
        }

        var random = new Random(seed);
        return [.. list.OrderBy(_ => random.Next())];
    }

    private static ModbusServer Server()
    {
        var server = new ModbusServer();
        for (byte unit = 1; unit <= Units; unit++)
        {
            var store = server.AddUnit(unit, new ModbusDataStore(1024));
            for (ushort a = 0; a < 1024; a++)
            {
                store.SetHoldingRegister(a, Expected(unit, a));
            }
        }

        return server;
    }

    // Distinct for every (unit, address) pair, so a value delivered to the wrong request cannot pass unnoticed.
    private static ushort Expected(byte unit, int address) => (ushort)((unit << 12) ^ (address * 7) ^ 0x5A5A);

    private static async Task<Outcome> RunAsync(IModbusMaster master, Func<bool> done, int workers)
    {
        var outcome = new Outcome();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(
            async () =>
            {
                var random = new Random(w);
                while (!done())
                {
                    var unit = (byte)random.Next(1, Units + 1);
                    var address = (ushort)random.Next(0, 1000);
                    var count = (ushort)random.Next(1, 21);
                    try
                    {
                        var values = await master.ReadHoldingRegistersAsync(unit, address, count, Token);
                        var ok = values.Length == count;
                        for (var i = 0; ok && i < count; i++)
                        {
                            ok = values[i] == Expected(unit, address + i);
                        }

                        Interlocked.Increment(ref ok ? ref outcome.Good : ref outcome.Misdelivered);
                    }
                    catch (ModbusSlaveException)
                    {
                        Interlocked.Increment(ref outcome.SlaveExceptions);
                    }
                    catch (ModbusException)
                    {
                        Interlocked.Increment(ref outcome.OtherErrors);
                    }
                }
            },
            Token));
        await Task.WhenAll(tasks);
        return outcome;
    }

    private sealed class Outcome
    {
#pragma warning disable CA1051 // Counted with Interlocked by reference.
        public long Good;
        public long Misdelivered;
        public long SlaveExceptions;
        public long OtherErrors;
#pragma warning restore CA1051
    }
}
