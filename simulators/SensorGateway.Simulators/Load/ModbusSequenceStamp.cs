using SensorGateway.Modbus;
using SensorGateway.Modbus.Server;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Simulators.Load;

/// <summary>
/// The Modbus side of (device, sequence): a load device's channel of quantity <see cref="Quantity"/> holds the
/// number of register reads its unit has served, incremented before each read is answered. Every poll therefore
/// carries a sequence one above the last, the gateway stores it like any channel, and a gap in the database is
/// a reading lost between slave and storage — the same count MQTT messages get from their <c>seq</c>.
/// </summary>
public sealed class ModbusSequenceStamp
{
    /// <summary>The quantity of the sequence channel in a load profile (<c>load/sequenced-lel-detector</c>).</summary>
    public const string Quantity = "device.sequence";

    // Busy rather than silent: the gateway records a failed poll at once instead of waiting out its timeout.
    private static readonly ModbusFault s_closed = ModbusFault.Exception(ModbusExceptionCode.ServerDeviceBusy);

    private readonly Dictionary<byte, Counter> _units = [];
    private volatile bool _closed;

    /// <summary>Stamps reads of <paramref name="unit"/> into <paramref name="layout"/> of its store.</summary>
    public void Add(byte unit, ModbusDataStore store, RegisterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Table is not (RegisterTable.Holding or RegisterTable.Input))
        {
            throw new ArgumentException($"A sequence needs registers, not the {layout.Table} table.", nameof(layout));
        }

        _units.Add(unit, new Counter(store, layout));
    }

    public bool IsEmpty => _units.Count == 0;

    /// <summary>Reads served so far by <paramref name="unit"/>: the last sequence it handed out.</summary>
    public long Served(byte unit) => _units.TryGetValue(unit, out var counter) ? Interlocked.Read(ref counter.Value) : 0;

    /// <summary>
    /// Ends the count: from now on the stamped units answer every request "busy", so the sequences <see cref="Served"/>
    /// gives are final while the gateway keeps running to drain its spool (a failed poll stores no value).
    /// </summary>
    public void Close() => _closed = true;

    /// <summary>Serves reads again (e.g. for a reference master once the gateway is gone), counting on.</summary>
    public void Reopen() => _closed = false;

    /// <summary>
    /// Called by the slave for every request before it is answered (<see cref="ModbusServer.FaultSelector"/>); injects
    /// no fault until <see cref="Close"/>, so the unit's own fault still applies.
    /// </summary>
    public ModbusFault? OnRequest(byte unit, ModbusFunctionCode function)
    {
        if (!_units.TryGetValue(unit, out var counter))
        {
            return null;
        }

        if (_closed)
        {
            return s_closed;
        }

        if (function is ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters)
        {
            counter.Next();
        }

        return null;
    }

    private sealed class Counter(ModbusDataStore store, RegisterLayout layout)
    {
        public long Value;

        public void Next()
        {
            var sequence = Interlocked.Increment(ref Value);
            Span<ushort> registers = stackalloc ushort[layout.Count];
            RegisterCodec.Encode(sequence, layout, registers);
            if (layout.Table == RegisterTable.Holding)
            {
                store.SetHoldingRegisters(layout.Address, registers);
            }
            else
            {
                store.SetInputRegisters(layout.Address, registers);
            }
        }
    }
}
