using System.Net;
using SensorGateway.Core.Sites;
using SensorGateway.Modbus.Server;
using SensorGateway.Profiles.Registers;
using SensorGateway.Simulators.Load;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.Simulators.Modbus;

/// <summary>
/// Serves a site's Modbus devices from their firmware profiles: one slave per TCP endpoint of the site file,
/// with every device at that endpoint as a unit id behind it (like a serial device server), registers encoded
/// with <see cref="RegisterCodec"/> exactly as the gateway decodes them. <see cref="Update"/> writes the values
/// of a scenario time and switches each unit's injected fault.
/// </summary>
public sealed class ModbusSiteSimulator : IAsyncDisposable
{
    private readonly SimulatedSite _site;
    private readonly Dictionary<string, ModbusServer> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<ModbusServer, ModbusSequenceStamp> _sequences = [];
    private readonly List<(SimulatedDevice Device, ModbusServer Server, byte Unit)> _units = [];
    private readonly List<SocatPtyPair> _ptys = [];
    private readonly List<Task> _serialLoops = [];
    private readonly CancellationTokenSource _stopping = new();

    public ModbusSiteSimulator(SimulatedSite site, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        _site = site;
        foreach (var device in site.Devices.Where(d => d.Profile is not null))
        {
            var key = device.Definition.Address switch
            {
                ModbusTcpDeviceAddress a => $"tcp|{a.Host}|{a.Port}",
                ModbusRtuOverTcpDeviceAddress a => $"rtu-over-tcp|{a.Host}|{a.Port}",
                ModbusRtuDeviceAddress a => $"serial|{a.SerialPort}",
                _ => null,
            };
            if (key is null)
            {
                continue;
            }

            if (!_servers.TryGetValue(key, out var server))
            {
                server = new ModbusServer(timeProvider);
                _servers[key] = server;
            }

            var unit = UnitOf(device.Definition.Address);
            var store = server.AddUnit(unit);
            _units.Add((device, server, unit));
            StampSequence(device, server, unit, store);
        }
    }

    /// <summary>The last sequence each load device's unit handed out (reads served), by device id; see <see cref="ModbusSequenceStamp"/>.</summary>
    public IReadOnlyDictionary<string, long> Sequences() =>
        _units.Where(u => _sequences.ContainsKey(u.Server)).ToDictionary(u => u.Device.Id, u => _sequences[u.Server].Served(u.Unit), StringComparer.Ordinal);

    /// <summary>The TCP endpoints bound by <see cref="Start"/>, by device id.</summary>
    public IReadOnlyDictionary<string, IPEndPoint> Endpoints { get; private set; } = new Dictionary<string, IPEndPoint>();

    /// <summary>Devices served.</summary>
    public int DeviceCount => _units.Count;

    /// <summary>Requests answered or faulted so far, over all slaves.</summary>
    public long Requests => _servers.Values.Sum(s => s.GetCounters().Requests);

    /// <summary>
    /// Binds every TCP endpoint on the port the site file names (0 there means any free port), and opens a
    /// socat pty pair for every serial device: the gateway opens the site file's path, the slave serves the other end.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoints = new Dictionary<string, IPEndPoint>(StringComparer.Ordinal);
        foreach (var (key, server) in _servers)
        {
            var parts = key.Split('|');
            if (parts[0] == "serial")
            {
                var pty = await SocatPtyPair.StartAsync(parts[1], cancellationToken).ConfigureAwait(false);
                _ptys.Add(pty);
                var stream = new FileStream(pty.SimulatorEnd, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
                _serialLoops.Add(Task.Run(async () =>
                {
                    await using (stream.ConfigureAwait(false))
                    {
                        await server.ServeRtuAsync(stream, null, _stopping.Token).ConfigureAwait(false);
                    }
                }, CancellationToken.None));
                continue;
            }

            var framing = parts[0] == "tcp" ? ModbusTcpFraming.Mbap : ModbusTcpFraming.Rtu;
            var bound = server.StartTcp(framing, int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (device, s, _) in _units.Where(u => u.Server == server))
            {
                endpoints[device.Id] = bound;
            }
        }

        Endpoints = endpoints;
        Update(TimeSpan.Zero);
    }

    /// <summary>Writes every device's registers for scenario time <paramref name="elapsed"/> and sets its fault.</summary>
    public void Update(TimeSpan elapsed)
    {
        foreach (var (device, server, unit) in _units)
        {
            var store = server.GetUnit(unit);
            WriteRegisters(device, store, elapsed);
            server.SetFault(unit, device.ModbusFaultAt(elapsed));
        }
    }

    /// <summary>Writes one device's registers into a data store, exactly as its profile lays them out.</summary>
    public static void WriteRegisters(SimulatedDevice device, ModbusDataStore store, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(store);
        var statusWords = new Dictionary<(RegisterTable, ushort), (RegisterLayout Layout, ushort Bits)>();
        Span<ushort> registers = stackalloc ushort[8];
        foreach (var channel in device.Channels)
        {
            if (channel.Profile is not { Register: { } layout } profile || layout.Type == RawType.String
                || channel.Definition.Quantity == ModbusSequenceStamp.Quantity)
            {
                // A load device's sequence registers belong to the slave's read counter, not to a signal.
                continue;
            }

            if (profile.Status is { } status)
            {
                var key = (status.Layout.Table, status.Layout.Address);
                var bits = statusWords.TryGetValue(key, out var existing) ? existing.Bits : (ushort)0;
                statusWords[key] = (status.Layout, (ushort)(bits | channel.StatusBitsAt(elapsed)));
            }

            var raw = channel.FaultValueAt(elapsed) ?? RawValue(profile, channel.ValueAt(elapsed));
            Write(store, layout, raw, registers);
        }

        foreach (var (layout, bits) in statusWords.Values)
        {
            Write(store, layout, bits, registers);
        }
    }

    /// <summary>The raw register value that decodes to <paramref name="value"/>: the inverse of the profile's scaling.</summary>
    public static double RawValue(Profiles.Firmware.ProfileChannel profile, double value)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.LoopCurrent is { } loop)
        {
            value = 4 + (16 * (value - loop.At4mA) / (loop.At20mA - loop.At4mA));
        }

        return (value - profile.Offset) / profile.Scale;
    }

    private static void Write(ModbusDataStore store, RegisterLayout layout, double raw, Span<ushort> scratch)
    {
        switch (layout.Table)
        {
            case RegisterTable.Coil:
                store.SetCoil(layout.Address, raw != 0);
                return;
            case RegisterTable.Discrete:
                store.SetDiscreteInput(layout.Address, raw != 0);
                return;
        }

        var span = scratch[..layout.Count];
        var holding = layout.Table == RegisterTable.Holding;
        if (layout.Type == RawType.Bit)
        {
            span[0] = holding ? store.GetHoldingRegister(layout.Address) : store.GetInputRegister(layout.Address);
        }

        RegisterCodec.Encode(raw, layout, span);
        if (holding)
        {
            store.SetHoldingRegisters(layout.Address, span);
        }
        else
        {
            store.SetInputRegisters(layout.Address, span);
        }
    }

    /// <summary>Final sequences: load devices answer "busy" from now on (see <see cref="ModbusSequenceStamp.Close"/>).</summary>
    public void CloseSequences() => ForEachStamp(s => s.Close());

    /// <summary>Load devices serve reads again, counting on from where they stopped.</summary>
    public void ReopenSequences() => ForEachStamp(s => s.Reopen());

    private void ForEachStamp(Action<ModbusSequenceStamp> action)
    {
        foreach (var stamp in _sequences.Values)
        {
            action(stamp);
        }
    }

    private void StampSequence(SimulatedDevice device, ModbusServer server, byte unit, ModbusDataStore store)
    {
        if (device.Channels.FirstOrDefault(c => c.Definition.Quantity == ModbusSequenceStamp.Quantity)?.Profile?.Register is not { } layout)
        {
            return;
        }

        if (!_sequences.TryGetValue(server, out var stamp))
        {
            stamp = new ModbusSequenceStamp();
            _sequences[server] = stamp;
            server.FaultSelector = stamp.OnRequest;
        }

        stamp.Add(unit, store, layout);
    }

    private static byte UnitOf(DeviceAddress address) => address switch
    {
        ModbusTcpDeviceAddress a => a.UnitId,
        ModbusRtuOverTcpDeviceAddress a => a.UnitId,
        ModbusRtuDeviceAddress a => a.UnitId,
        _ => 0,
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pty in _ptys)
        {
            await pty.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_serialLoops).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pty went away with socat.
        }

        _stopping.Dispose();
    }
}
