using System.IO.Ports;
using System.Reactive.Linq;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Pipeline;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Modbus.Client;
using SensorGateway.Modbus.Transport;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Modbus;

/// <summary>
/// Polls every Modbus device of the gateway's sites. Devices behind one endpoint share one connection (one master per
/// TCP endpoint, serial-device-server port or serial line); on TCP their requests are pipelined, on a serial
/// bus the master takes them one at a time in turn.
/// </summary>
public sealed class ModbusReadingSource : IReadingSource
{
    private readonly FirmwareProfileCatalog _profiles;
    private readonly ModbusPollingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModbusReadingSource> _logger;

    public ModbusReadingSource(IEnumerable<DeviceDefinition> devices, FirmwareProfileCatalog profiles, IOptions<ModbusPollingOptions> options, TimeProvider time, ILogger<ModbusReadingSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _profiles = profiles;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Plans = devices.Where(d => ModbusEndpointKey.Of(d.Address) is not null)
            .Select(d => DevicePollPlan.Create(d, _profiles.Get(d.Profile!), UnitOf(d.Address)))
            .ToList();
        Readings = Observable.Create<Reading>(RunAsync);
    }

    public string Name => "modbus";

    public IObservable<Reading> Readings { get; }

    /// <summary>The register plan of every polled device (the dry run prints it).</summary>
    internal IReadOnlyList<DevicePollPlan> Plans { get; }

    /// <summary>The requests the poller will send, device by device, for integrators to check before going live.</summary>
    public IEnumerable<string> DescribePlan() =>
        Plans.SelectMany(p => new[] { $"{p.Device.Id} [{ModbusEndpointKey.Of(p.Device.Address)}] every {p.Device.PollInterval.TotalMilliseconds} ms, profile {p.Profile.Id}:" }
            .Concat(p.Describe().Select(line => "  " + line)));

    private async Task RunAsync(IObserver<Reading> observer, CancellationToken cancellationToken)
    {
        if (Plans.Count == 0)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        var endpoints = new Dictionary<ModbusEndpointKey, ModbusEndpoint>();

        // Pollers run concurrently, and observers must see one call at a time. A lock around OnNext made every poller
        // wait while another ran the pipeline (and on a busy machine, while the holder was preempted): instead the
        // pollers queue their readings without blocking and one task hands them on. The queue is unbounded because
        // the pipeline behind it never waits on storage or the network; it holds at most the readings of the polls
        // that complete while one reading is being handed on.
        var pending = Channel.CreateUnbounded<Reading>(new UnboundedChannelOptions { SingleReader = true });
        var emitter = EmitAsync(pending.Reader, observer);
        void Emit(Reading reading) => pending.Writer.TryWrite(reading);

        try
        {
            var pollers = new List<Task>();
            foreach (var plan in Plans)
            {
                var key = ModbusEndpointKey.Of(plan.Device.Address)!;
                if (!endpoints.TryGetValue(key, out var endpoint))
                {
                    endpoint = new ModbusEndpoint(key, CreateMaster(plan, Plans.Where(p => ModbusEndpointKey.Of(p.Device.Address) == key)), _time);
                    endpoints.Add(key, endpoint);
                }

                pollers.Add(new DevicePoller(plan, endpoint, _options, _time, _logger).RunAsync(Emit, cancellationToken));
            }

            ModbusPollLog.Started(_logger, Plans.Count, endpoints.Count);
            await Task.WhenAll(pollers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unsubscribed: the gateway is stopping.
        }
        finally
        {
            foreach (var endpoint in endpoints.Values)
            {
                await endpoint.DisposeAsync().ConfigureAwait(false);
            }

            pending.Writer.TryComplete();
            await emitter.ConfigureAwait(false);
        }
    }

    private static async Task EmitAsync(ChannelReader<Reading> pending, IObserver<Reading> observer)
    {
        while (await pending.WaitToReadAsync().ConfigureAwait(false))
        {
            while (pending.TryRead(out var reading))
            {
                observer.OnNext(reading);
            }
        }
    }

    // Devices on one endpoint may come from different profiles: the most patient timeout and retries win.
    private IModbusMaster CreateMaster(DevicePollPlan first, IEnumerable<DevicePollPlan> sharing)
    {
        var profiles = sharing.Select(p => p.Profile.Modbus!).ToList();
        var timeout = profiles.Max(p => p.Timeout);
        var retries = profiles.Max(p => p.Retries);
        var delay = profiles.Max(p => p.RequestDelay);
        return first.Device.Address switch
        {
            ModbusTcpDeviceAddress tcp => new ModbusTcpMaster(new ModbusTcpMasterOptions
            {
                Host = tcp.Host, Port = tcp.Port, RequestTimeout = timeout, Retries = retries,
                MaxOutstandingRequests = _options.PipelineDepth, ConnectTimeout = _options.ConnectTimeout,
            }, _time),
            ModbusRtuOverTcpDeviceAddress rtu => new ModbusRtuMaster(new ModbusRtuMasterOptions
            {
                Host = rtu.Host, Port = rtu.Port, RequestTimeout = timeout, Retries = retries, InterRequestDelay = delay, ConnectTimeout = _options.ConnectTimeout,
            }, _time),
            ModbusRtuDeviceAddress serial => new ModbusRtuMaster(new ModbusRtuMasterOptions
            {
                SerialPort = new ModbusSerialPortOptions
                {
                    PortName = serial.SerialPort,
                    BaudRate = serial.BaudRate,
                    Parity = serial.Parity switch { "none" => Parity.None, "odd" => Parity.Odd, _ => Parity.Even },
                    StopBits = serial.StopBits == 2 ? StopBits.Two : StopBits.One,
                },
                RequestTimeout = timeout, Retries = retries, InterRequestDelay = delay,
            }, _time),
            _ => throw new InvalidOperationException($"Device {first.Device.Id} has no Modbus address."),
        };
    }

    private static byte UnitOf(DeviceAddress address) => address switch
    {
        ModbusTcpDeviceAddress t => t.UnitId,
        ModbusRtuOverTcpDeviceAddress r => r.UnitId,
        ModbusRtuDeviceAddress s => s.UnitId,
        _ => 0,
    };
}
