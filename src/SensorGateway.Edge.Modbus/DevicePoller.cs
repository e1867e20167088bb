using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SensorGateway.Core.Readings;
using SensorGateway.Modbus;
using SensorGateway.Profiles.Registers;

namespace SensorGateway.Edge.Modbus;

/// <summary>
/// Polls one device on its interval. Every cycle yields a reading for every channel: decoded values when
/// the device answered, comm-failure readings when it did not (after the master's own timeout and retries) —
/// never silence and never an old value re-stamped as new. A device that keeps failing is retried with a
/// backoff that doubles up to a cap; it never holds up other devices, which poll on their own schedules.
/// </summary>
internal sealed class DevicePoller(DevicePollPlan plan, ModbusEndpoint endpoint, ModbusPollingOptions options, TimeProvider time, ILogger logger)
{
    private static readonly Meter s_meter = new("SensorGateway.Edge.Modbus");
    private static readonly Counter<long> s_polls = s_meter.CreateCounter<long>("sg.modbus.polls", description: "Device poll cycles, by outcome");
    private static readonly Counter<long> s_overruns = s_meter.CreateCounter<long>("sg.modbus.overruns", description: "Poll cycles longer than the device's interval");
    private static readonly Histogram<double> s_cycle = s_meter.CreateHistogram<double>("sg.modbus.cycle.duration", "ms", "Time to poll one device once");

    private long _sequence;
    private int _failures;
    private bool _identityChecked;
    private string? _identityMismatch;

    public async Task RunAsync(Action<Reading> emit, CancellationToken cancellationToken)
    {
        var interval = plan.Device.PollInterval;
        var firstDelay = TimeSpan.FromTicks((long)(interval.Ticks * options.Jitter * Random.Shared.NextDouble()));
        await Task.Delay(firstDelay, time, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            var ok = await PollOnceAsync(emit, cancellationToken).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(started);
            endpoint.AddBusy(elapsed);
            s_cycle.Record(elapsed.TotalMilliseconds);
            if (ok && elapsed > interval)
            {
                s_overruns.Add(1);
                ModbusPollLog.Overrun(logger, plan.Device.Id, elapsed.TotalMilliseconds, interval.TotalMilliseconds, endpoint.Key.ToString(), endpoint.PollsInProgress());
            }

            var wait = ok ? interval - elapsed : Backoff(interval);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One cycle: every planned read, then one reading per channel. Returns false when the device did not answer.</summary>
    public async Task<bool> PollOnceAsync(Action<Reading> emit, CancellationToken cancellationToken)
    {
        ushort[][] results;
        try
        {
            if (!_identityChecked)
            {
                _identityMismatch = await CheckIdentityAsync(cancellationToken).ConfigureAwait(false);
                _identityChecked = true;
            }

            results = new ushort[plan.Reads.Count][];
            for (var i = 0; i < plan.Reads.Count; i++)
            {
                results[i] = await ReadAsync(plan.Reads[i], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested &&
                                   ex is ModbusException or IOException or SocketException or TimeoutException or OperationCanceledException)
        {
            EmitFailure(emit, ex);
            return false;
        }

        if (_failures > 0)
        {
            ModbusPollLog.DeviceBack(logger, plan.Device.Id, endpoint.Key.ToString(), plan.UnitId, _failures);
            _failures = 0;
        }

        s_polls.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        var now = time.GetUtcNow();
        var sequence = ++_sequence;
        foreach (var channel in plan.Channels)
        {
            var registers = results[channel.Read].AsSpan(channel.Offset, channel.Profile.Register!.Count);
            ushort? status = channel.StatusRead >= 0 ? results[channel.StatusRead][channel.StatusOffset] : null;
            var (value, quality) = ChannelValueDecoder.Decode(channel.Profile, registers, status);
            if (_identityMismatch is not null)
            {
                // Registers of another model mean nothing under this profile: never pass them off as good.
                quality = Quality.Bad(QualityReason.DecodeError);
            }

            emit(new Reading(channel.Site.Id, channel.Site.Quantity, channel.Site.Unit, value, quality, now, now, sequence));
        }

        return true;
    }

    // FC 43/14: when the profile names the identification a matching device reports, compare it once, before the first
    // poll. A device that does not implement the function (an exception response) is taken on trust.
    private async Task<string?> CheckIdentityAsync(CancellationToken cancellationToken)
    {
        if (plan.Profile.DeviceId is not { } expected || (expected.VendorName is null && expected.ProductCode is null))
        {
            return null;
        }

        try
        {
            var identity = await endpoint.Master.ReadDeviceIdentificationAsync(plan.UnitId, cancellationToken: cancellationToken).ConfigureAwait(false);
            var vendor = identity.Objects.GetValueOrDefault(SensorGateway.Modbus.Pdu.ModbusDeviceIdentification.VendorNameId);
            var product = identity.Objects.GetValueOrDefault(SensorGateway.Modbus.Pdu.ModbusDeviceIdentification.ProductCodeId);
            // Objects the device does not report are taken on trust; only a reported, different identity is a mismatch.
            if ((expected.VendorName is null || vendor is null || vendor == expected.VendorName) &&
                (expected.ProductCode is null || product is null || product == expected.ProductCode))
            {
                return null;
            }

            var mismatch = $"device reports '{vendor}' '{product}', profile {plan.Profile.Id} expects '{expected.VendorName}' '{expected.ProductCode}'";
            ModbusPollLog.IdentityMismatch(logger, plan.Device.Id, mismatch);
            return mismatch;
        }
        catch (ModbusSlaveException)
        {
            return null;
        }
    }

    private async Task<ushort[]> ReadAsync(ReadRequestPlan read, CancellationToken cancellationToken)
    {
        var master = endpoint.Master;
        return read.Table switch
        {
            RegisterTable.Holding => await master.ReadHoldingRegistersAsync(plan.UnitId, read.Address, read.Count, cancellationToken).ConfigureAwait(false),
            RegisterTable.Input => await master.ReadInputRegistersAsync(plan.UnitId, read.Address, read.Count, cancellationToken).ConfigureAwait(false),
            RegisterTable.Coil => Bits(await master.ReadCoilsAsync(plan.UnitId, read.Address, read.Count, cancellationToken).ConfigureAwait(false)),
            _ => Bits(await master.ReadDiscreteInputsAsync(plan.UnitId, read.Address, read.Count, cancellationToken).ConfigureAwait(false)),
        };
    }

    private void EmitFailure(Action<Reading> emit, Exception cause)
    {
        s_polls.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        if (_failures++ == 0)
        {
            ModbusPollLog.DeviceLost(logger, plan.Device.Id, endpoint.Key.ToString(), plan.UnitId, cause.Message, Backoff(plan.Device.PollInterval));
        }

        var now = time.GetUtcNow();
        var sequence = ++_sequence;
        var bad = Quality.Bad(QualityReason.CommFailure);
        foreach (var channel in plan.Channels)
        {
            emit(new Reading(channel.Site.Id, channel.Site.Quantity, channel.Site.Unit, double.NaN, bad, now, now, sequence));
        }
    }

    private TimeSpan Backoff(TimeSpan interval)
    {
        var factor = Math.Pow(2, Math.Min(_failures - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(interval.Ticks * Math.Max(factor, 1), options.MaxBackoff.Ticks));
    }

    private static ushort[] Bits(bool[] bits) => Array.ConvertAll(bits, b => b ? (ushort)1 : (ushort)0);
}
