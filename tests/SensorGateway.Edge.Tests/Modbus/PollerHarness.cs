using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SensorGateway.Core.Readings;
using SensorGateway.Core.Sites;
using SensorGateway.Edge.Modbus;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;

namespace SensorGateway.Edge.Tests.Modbus;

/// <summary>Builds a site from YAML with the shipped profiles and runs the real poller, collecting its readings.</summary>
internal sealed class PollerHarness : IAsyncDisposable
{
    private static readonly Lazy<FirmwareProfileCatalog> s_profiles = new(() =>
        new FirmwareProfileCatalog(FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles"))));

    private readonly List<Reading> _readings = [];
    private readonly IDisposable _subscription;

    private PollerHarness(ModbusReadingSource source)
    {
        Source = source;
        _subscription = source.Readings.Subscribe(r =>
        {
            lock (_readings)
            {
                _readings.Add(r);
                Monitor.PulseAll(_readings);
            }
        });
    }

    public ModbusReadingSource Source { get; }

    public static PollerHarness Start(string siteYaml, ModbusPollingOptions? options = null, ILogger<ModbusReadingSource>? logger = null)
    {
        var site = SiteFileLoader.Parse("site.yaml", siteYaml, s_profiles.Value.Profiles);
        var source = new ModbusReadingSource(site.Devices, s_profiles.Value, Options.Create(options ?? new ModbusPollingOptions { Jitter = 0 }),
            TimeProvider.System, logger ?? NullLogger<ModbusReadingSource>.Instance);
        return new PollerHarness(source);
    }

    public static SiteDefinition Site(string siteYaml) => SiteFileLoader.Parse("site.yaml", siteYaml, s_profiles.Value.Profiles);

    /// <summary>Waits until a reading matches, or fails after the timeout.</summary>
    public async Task<Reading> WaitForAsync(Func<Reading, bool> match, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            lock (_readings)
            {
                foreach (var reading in _readings)
                {
                    if (match(reading))
                    {
                        return reading;
                    }
                }
            }

            try
            {
                await Task.Delay(25, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No reading matched {what} within {timeout.TotalSeconds} s; got {Count} readings.");
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_readings)
            {
                return _readings.Count;
            }
        }
    }

    public Reading[] Snapshot()
    {
        lock (_readings)
        {
            return [.. _readings];
        }
    }

    public ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        return ValueTask.CompletedTask;
    }
}
