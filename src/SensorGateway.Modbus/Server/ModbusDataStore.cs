namespace SensorGateway.Modbus.Server;

/// <summary>
/// The four tables of one unit id (coils, discrete inputs, holding and input registers) plus its device
/// identification objects. Safe to read and set from test or simulator code while the server runs.
/// </summary>
public sealed class ModbusDataStore
{
    private readonly Lock _lock = new();
    private readonly bool[] _coils;
    private readonly bool[] _discreteInputs;
    private readonly ushort[] _holdingRegisters;
    private readonly ushort[] _inputRegisters;

    /// <param name="size">Addresses per table; requests beyond it get exception 02. Defaults to the full 65536.</param>
    public ModbusDataStore(int size = 65536)
    {
        if (size is < 1 or > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Table size must be 1..65536.");
        }

        Size = size;
        _coils = new bool[size];
        _discreteInputs = new bool[size];
        _holdingRegisters = new ushort[size];
        _inputRegisters = new ushort[size];
    }

    public int Size { get; }

    /// <summary>FC 43/14 objects by id: 0x00 vendor name, 0x01 product code, 0x02 revision, 0x03-0x06 regular, 0x80+ extended.</summary>
    public IDictionary<byte, string> DeviceIdentification { get; } = new SortedDictionary<byte, string>();

    public bool GetCoil(ushort address) => Get(_coils, address);

    public void SetCoil(ushort address, bool value) => Set(_coils, address, value);

    public bool[] GetCoils(ushort address, int count) => GetRange(_coils, address, count);

    public void SetCoils(ushort address, ReadOnlySpan<bool> values) => SetRange(_coils, address, values);

    public bool GetDiscreteInput(ushort address) => Get(_discreteInputs, address);

    public void SetDiscreteInput(ushort address, bool value) => Set(_discreteInputs, address, value);

    public bool[] GetDiscreteInputs(ushort address, int count) => GetRange(_discreteInputs, address, count);

    public void SetDiscreteInputs(ushort address, ReadOnlySpan<bool> values) => SetRange(_discreteInputs, address, values);

    public ushort GetHoldingRegister(ushort address) => Get(_holdingRegisters, address);

    public void SetHoldingRegister(ushort address, ushort value) => Set(_holdingRegisters, address, value);

    public ushort[] GetHoldingRegisters(ushort address, int count) => GetRange(_holdingRegisters, address, count);

    public void SetHoldingRegisters(ushort address, ReadOnlySpan<ushort> values) => SetRange(_holdingRegisters, address, values);

    public ushort GetInputRegister(ushort address) => Get(_inputRegisters, address);

    public void SetInputRegister(ushort address, ushort value) => Set(_inputRegisters, address, value);

    public ushort[] GetInputRegisters(ushort address, int count) => GetRange(_inputRegisters, address, count);

    public void SetInputRegisters(ushort address, ReadOnlySpan<ushort> values) => SetRange(_inputRegisters, address, values);

    internal bool InRange(int address, int count) => address + count <= Size;

    internal void ReadBits(bool discrete, ushort address, Span<bool> destination)
    {
        lock (_lock)
        {
            (discrete ? _discreteInputs : _coils).AsSpan(address, destination.Length).CopyTo(destination);
        }
    }

    internal void ReadRegisters(bool input, ushort address, Span<ushort> destination)
    {
        lock (_lock)
        {
            (input ? _inputRegisters : _holdingRegisters).AsSpan(address, destination.Length).CopyTo(destination);
        }
    }

    private T Get<T>(T[] table, ushort address)
    {
        CheckRange(address, 1);
        lock (_lock)
        {
            return table[address];
        }
    }

    private void Set<T>(T[] table, ushort address, T value)
    {
        CheckRange(address, 1);
        lock (_lock)
        {
            table[address] = value;
        }
    }

    private T[] GetRange<T>(T[] table, ushort address, int count)
    {
        CheckRange(address, count);
        lock (_lock)
        {
            return table.AsSpan(address, count).ToArray();
        }
    }

    private void SetRange<T>(T[] table, ushort address, ReadOnlySpan<T> values)
    {
        CheckRange(address, values.Length);
        lock (_lock)
        {
            values.CopyTo(table.AsSpan(address));
        }
    }

    private void CheckRange(int address, int count)
    {
        if (count < 0 || address + count > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, $"Address {address} + count {count} is outside the table of {Size}.");
        }
    }
}
