using System.Diagnostics;
using System.Globalization;
using SensorGateway.LoadHarness.Measurement;
using SensorGateway.LoadHarness.Peers;
using SensorGateway.LoadHarness.Report;
using SensorGateway.LoadHarness.Servers;
using SensorGateway.Profiles.Firmware;
using SensorGateway.Profiles.Sites;
using SensorGateway.Simulators;
using SensorGateway.Simulators.Load;
using SensorGateway.Simulators.Modbus;
using SensorGateway.Simulators.Sites;

namespace SensorGateway.LoadHarness;

/// <summary>
/// One end-to-end run at one size: broker, database, simulators and the gateway process start in a temporary folder;
/// the load runs for the set time with alarm probes and <c>mosquitto_sub</c> alongside; the database is given time to
/// catch up; loss is counted by sequence; then, with the gateway stopped so they have the machine to themselves, the
/// reference peers run against the same simulated devices and database.
/// </summary>
internal sealed class LoadRun(HarnessOptions options, int sensors)
{
    /// <summary>Register values move slowly; rewriting thousands of units ten times a second would load the simulators, not the gateway.</summary>
    private static readonly TimeSpan s_signalUpdate = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs in a temporary folder, removed once every server has stopped (kept, with the logs, if the run fails or
    /// <c>--keep</c> names a place for it).
    /// </summary>
    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        if (options.KeepDirectory is { } keep)
        {
            var kept = Directory.CreateDirectory(Path.Combine(keep, $"run-{sensors}-{DateTime.UtcNow:yyyyMMdd-HHmmss}")).FullName;
            Console.WriteLine($"Run folder (kept): {kept}");
            return await MeasureAsync(kept, cancellationToken).ConfigureAwait(false);
        }

        var folder = Directory.CreateTempSubdirectory("sg-load-").FullName;
        var result = await MeasureAsync(folder, cancellationToken).ConfigureAwait(false);
        Directory.Delete(folder, recursive: true);
        return result;
    }

    private async Task<RunResult> MeasureAsync(string folder, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var siteId = string.Create(CultureInfo.InvariantCulture, $"load-{sensors}");
        var probes = AlarmProbe.ProbesFor(options.ProbeRate);
        var modbusDevices = (int)Math.Round(sensors * options.ModbusShare);
        var endpoints = Math.Max(1, (modbusDevices + LoadSiteGenerator.UnitsPerPort - 1) / LoadSiteGenerator.UnitsPerPort);
        var yaml = LoadSiteGenerator.Generate(siteId, sensors, options.Rate, options.ModbusShare, Loopback.FreePortRange(endpoints), probes, options.Points);
        var siteFile = Path.Combine(folder, "load-site.yaml");
        await File.WriteAllTextAsync(siteFile, yaml, cancellationToken).ConfigureAwait(false);
        var profiles = FirmwareProfileLoader.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "firmware-profiles"));
        var site = SimulatedSite.Build(SiteFileLoader.Parse(siteFile, yaml, profiles), profiles);

        await using var broker = await MosquittoBroker.StartAsync(folder, cancellationToken).ConfigureAwait(false);
        await using var database = await ReadingDatabase.StartAsync(options.Database, folder, cancellationToken).ConfigureAwait(false);
        await using var modbus = new ModbusSiteSimulator(site);
        await modbus.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var gateway = await GatewayProcess.StartAsync(folder, siteFile, broker.Port, database, options.GatewayExecutable, cancellationToken).ConfigureAwait(false);
        await using var subscriber = MosquittoSubscriber.Start(folder, broker.Port, $"load/{siteId}/#");

        var clock = new ScenarioClock(TimeProvider.System);
        var mqtt = new MqttLoadPublisher(site, clock, connections: 4, inFlight: 1024, options.Aligned);
        var probe = new AlarmProbe(siteId, probes, options.ProbeRate, options.StartUp, TimeProvider.System);
        var fanOut = new FanOutPhases(gateway.GrpcUrl, siteId, options.FanOut, options.FanOutPhase, options.FanOutNiced);
        await using var witness = ProbeWitness.Start(folder, broker.Port, probe.Topics());
        var watch = new GatewayWatch(gateway);
        var processes = new Dictionary<string, int>
        {
            ["gateway"] = gateway.Process.Id, ["broker"] = broker.Process.Id, ["database"] = database.Process.Id,
            ["mosquitto_sub"] = subscriber.Process.Id, ["simulators"] = Environment.ProcessId,
        };
        await probe.WarmUpAsync("127.0.0.1", broker.Port, cancellationToken).ConfigureAwait(false);
        if (options.HoldBeforeLoad > TimeSpan.Zero)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gateway pid {gateway.Process.Id} holds the site ({site.Devices.Sum(d => d.Channels.Count):N0} channels, RSS {gateway.Usage().RssBytes / 1048576.0:0} MiB); load in {options.HoldBeforeLoad.TotalSeconds:0} s"));
            await Task.Delay(options.HoldBeforeLoad, cancellationToken).ConfigureAwait(false);
        }

        var before = processes.ToDictionary(p => p.Key, p => ProcessUsage.Read(p.Value));
        var metricsBefore = await gateway.ScrapeAsync(cancellationToken).ConfigureAwait(false);

        using var loadOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var listenOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watchOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loadClock = Stopwatch.StartNew();
        var load = Task.WhenAll(mqtt.RunAsync("127.0.0.1", broker.Port, options.Duration, cancellationToken), UpdateSignalsAsync(modbus, clock, options.Duration, cancellationToken));
        var probing = probe.RunAsync("127.0.0.1", broker.Port, gateway.GrpcUrl, loadOver.Token, listenOver.Token);
        var watching = watch.RunAsync(watchOver.Token);
        var fanningOut = options.FanOut.Count > 0 ? fanOut.RunAsync(options.StartUp, loadOver.Token) : Task.CompletedTask;
        await ProgressView.ShowAsync($"{sensors:N0} sensors", options.Duration, () => loadClock.Elapsed,
            () => Status(loadClock.Elapsed, mqtt, metricsBefore, watch, probe), load).ConfigureAwait(false);

        // The load is over: final sequences first, then the counters of the load window.
        await loadOver.CancelAsync().ConfigureAwait(false);
        await fanningOut.ConfigureAwait(false);
        modbus.CloseSequences();
        var loadSeconds = loadClock.Elapsed.TotalSeconds;
        var after = processes.ToDictionary(p => p.Key, p => ProcessUsage.Read(p.Value));
        var notes = new List<string>();
        var metricsAfter = await gateway.TryScrapeAsync(cancellationToken).ConfigureAwait(false) ?? watch.Latest ?? metricsBefore;
        if (loadSeconds > options.Duration.TotalSeconds * 1.1)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the simulators needed {loadSeconds:0} s to offer {options.Duration.TotalSeconds:0} s of load: they, not the gateway, set the offered rate"));
        }

        var subscriberReceived = subscriber.Received();
        var mqttSent = mqtt.Sequences();
        var modbusSent = modbus.Sequences();

        var (landed, drainSeconds) = await DrainAsync(gateway, database, siteId, cancellationToken).ConfigureAwait(false);
        listenOver.CancelAfter(TimeSpan.FromSeconds(2));
        await probing.ConfigureAwait(false);
        var mqttLedger = await LedgerAsync(database, siteId, SequenceSource.MqttMessage, mqttSent, cancellationToken).ConfigureAwait(false);
        var modbusLedger = await LedgerAsync(database, siteId, SequenceSource.ModbusRegister, modbusSent, cancellationToken).ConfigureAwait(false);

        await watchOver.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);
        var peak = gateway.Usage().PeakRssBytes;
        await gateway.Process.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);

        // Reference peers, each alone on the machine with the same devices and database.
        modbus.ReopenSequences();
        var libModbus = modbusDevices > 0
            ? await LibModbusPoller.RunAsync(folder, modbus.Endpoints[LoadSiteGenerator.DeviceId(0)].Port, Math.Min(modbusDevices, LoadSiteGenerator.UnitsPerPort), options.PeerDuration, cancellationToken).ConfigureAwait(false)
            : null;
        var ceiling = await IngestCeiling.MeasureAsync(database, options.PeerDuration, cancellationToken).ConfigureAwait(false);

        var channels = site.Devices.Sum(d => d.Channels.Count);
        var channelsOf = site.Devices.ToDictionary(d => d.Id, d => d.Channels.Count, StringComparer.Ordinal);
        // Modbus polls before the load began (while the gateway started) count: their sequences are in the ledger too.
        var offered = mqtt.PublishedReadings + probe.Published + modbusSent.Sum(d => d.Value * channelsOf[d.Key]);
        var accepted = (long)(GatewayWatch.Accepted(metricsAfter) - GatewayWatch.Accepted(metricsBefore));
        var cpu = processes.Keys.ToDictionary(k => k, k => ProcessUsage.CpuPercent(before[k], after[k], TimeSpan.FromSeconds(loadSeconds)));
        var gcPause = Delta(metricsBefore, metricsAfter, "dotnet_gc_pause_time", "process_runtime_dotnet_gc_pause_time");
        var latency = probe.Latency();
        var startUpLatency = probe.StartUpLatency();
        var toGateway = probe.ToGateway();
        var inGateway = probe.InGateway();
        var witnessed = witness.Arrivals(AlarmProbe.Alarming);
        var (toBroker, brokerToGateway) = probe.SplitAt(witnessed);
        probe.WriteTimeline(Path.Combine(folder, "alarm-timeline.csv"), witnessed);
        fanOut.WriteTimeline(Path.Combine(folder, "fan-out-timeline.csv"));
        if (probe.PublishTimeouts > 0)
        {
            notes.Add($"the broker did not confirm {probe.PublishTimeouts} probe message(s) within 10 s");
        }

        if (probe.Resumes > 0)
        {
            notes.Add($"the gateway ended the alarm subscription {probe.Resumes} time(s) as too slow; it was resumed after its last event each time");
        }

        if (watch.MissedScrapes > 0)
        {
            notes.Add($"the gateway left {watch.MissedScrapes} /metrics scrapes unanswered for 30 s");
        }

        if (drainSeconds > options.DrainTimeout.TotalSeconds)
        {
            notes.Add($"the database had not caught up {options.DrainTimeout.TotalSeconds:0} s after the load");
        }

        return new RunResult
        {
            Started = started,
            Database = database.Name,
            Sensors = sensors,
            RatePerSensor = options.Rate,
            PointsPerMqttDevice = options.Points,
            PhasesAligned = options.Aligned,
            ModbusDevices = modbusDevices,
            MqttDevices = mqtt.DeviceCount,
            Channels = channels,
            LoadSeconds = loadSeconds,
            OfferedPerSecond = offered / loadSeconds,
            AcceptedPerSecond = accepted / loadSeconds,
            Offered = offered,
            Accepted = accepted,
            Landed = landed,
            LandedPerSecond = landed / loadSeconds,
            DrainSeconds = drainSeconds,
            SequencesSent = mqttLedger.Expected + modbusLedger.Expected,
            Lost = mqttLedger.Lost + modbusLedger.Lost,
            LostMqtt = mqttLedger.Lost,
            LostModbus = modbusLedger.Lost,
            Duplicates = mqttLedger.Duplicates + modbusLedger.Duplicates,
            Unexplained = mqttLedger.Unexplained + modbusLedger.Unexplained,
            MqttPublishFailures = mqtt.Failed,
            ProbesSent = probe.Sent,
            AlarmsReceived = probe.Received,
            AlarmP50Ms = latency.P50,
            AlarmP99Ms = latency.P99,
            AlarmMaxMs = latency.Max,
            StartUpSeconds = options.StartUp.TotalSeconds,
            StartUpAlarms = startUpLatency.Count,
            StartUpAlarmP99Ms = startUpLatency.P99,
            StartUpAlarmMaxMs = startUpLatency.Max,
            AlarmToGatewayP50Ms = toGateway.P50,
            AlarmToGatewayP99Ms = toGateway.P99,
            AlarmToBrokerP50Ms = toBroker.P50,
            AlarmToBrokerP99Ms = toBroker.P99,
            AlarmBrokerToGatewayP50Ms = brokerToGateway.P50,
            AlarmBrokerToGatewayP99Ms = brokerToGateway.P99,
            AlarmInGatewayP50Ms = inGateway.P50,
            AlarmInGatewayP99Ms = inGateway.P99,
            HazardCommitP50Ms = PrometheusText.Quantile(metricsBefore, metricsAfter, "sg_hazards_commit_duration", 0.50) ?? double.NaN,
            HazardCommitP99Ms = PrometheusText.Quantile(metricsBefore, metricsAfter, "sg_hazards_commit_duration", 0.99) ?? double.NaN,
            GatewayCpuPercent = cpu["gateway"],
            GatewayPeakRssMiB = peak / 1048576.0,
            GatewayRssAtQuarterMiB = watch.RssAt(0.25) / 1048576.0,
            GatewayRssAtEndMiB = watch.RssAt(1) / 1048576.0,
            BytesPerChannel = (double)peak / channels,
            GatewayRssBeforeLoadMiB = before["gateway"].RssBytes / 1048576.0,
            LoadBytesPerChannel = (double)(peak - before["gateway"].RssBytes) / channels,
            GcPauseMs = gcPause * 1000,
            GcPausePercent = 100 * gcPause / loadSeconds,
            GcCollections = Delta(metricsBefore, metricsAfter, "dotnet_gc_collections", "process_runtime_dotnet_gc_collections_count"),
            MaxStorageQueue = watch.MaxStorageQueue,
            MaxSpoolPending = watch.MaxSpoolPending,
            BrokerCpuPercent = cpu["broker"],
            DatabaseCpuPercent = cpu["database"],
            SimulatorsCpuPercent = cpu["simulators"],
            MosquittoSubCpuPercent = cpu["mosquitto_sub"],
            GatewayModbusPollsPerSecond = Delta(metricsBefore, metricsAfter, "sg_modbus_polls") / loadSeconds,
            LibModbusRequestsPerSecond = libModbus?.RequestsPerSecond ?? double.NaN,
            LibModbusP99Microseconds = libModbus?.P99Microseconds ?? double.NaN,
            GatewayMqttMessagesPerSecond = Delta(metricsBefore, metricsAfter, "sg_mqtt_messages") / loadSeconds,
            MosquittoSubMessagesPerSecond = subscriberReceived / loadSeconds,
            DatabaseCeilingPerSecond = ceiling,
            FanOut = fanOut.Results(probe.Timed()),
            Notes = notes,
        };
    }

    private static async Task<SequenceLedger> LedgerAsync(IReadingDatabase database, string siteId, SequenceSource source,
        IReadOnlyDictionary<string, long> sent, CancellationToken cancellationToken)
    {
        var ledger = new SequenceLedger();
        ledger.Sent(sent);
        foreach (var (device, (distinct, stored)) in await database.SequencesAsync(siteId, source, cancellationToken).ConfigureAwait(false))
        {
            // Only this source's devices: Modbus readings carry the poller's own seq field too, and probes are timed, not counted.
            if (sent.ContainsKey(device))
            {
                ledger.Landed(device, distinct, stored);
            }
        }

        return ledger;
    }

    /// <summary>Waits until the spool is empty and the database count has stopped moving (or the drain timeout).</summary>
    private async Task<(long Landed, double Seconds)> DrainAsync(GatewayProcess gateway, IReadingDatabase database, string siteId, CancellationToken cancellationToken)
    {
        var drain = Stopwatch.StartNew();
        long landed = -1;
        while (true)
        {
            var metrics = await gateway.TryScrapeAsync(cancellationToken).ConfigureAwait(false);
            var count = await database.CountAsync(siteId, cancellationToken).ConfigureAwait(false);
            if ((metrics is not null && GatewayWatch.SpoolPending(metrics) == 0 && count == landed) || drain.Elapsed > options.DrainTimeout)
            {
                return (count, drain.Elapsed.TotalSeconds);
            }

            landed = count;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task UpdateSignalsAsync(ModbusSiteSimulator modbus, ScenarioClock clock, TimeSpan duration, CancellationToken cancellationToken)
    {
        clock.Start();
        for (var next = TimeSpan.Zero; next < duration && !cancellationToken.IsCancellationRequested; next += s_signalUpdate)
        {
            await clock.WaitUntilAsync(next, cancellationToken).ConfigureAwait(false);
            modbus.Update(clock.Elapsed);
        }
    }

    private static double Delta(PrometheusText before, PrometheusText after, params string[] names) => after.Sum(names) - before.Sum(names);

    private static string Status(TimeSpan elapsed, MqttLoadPublisher mqtt, PrometheusText before, GatewayWatch watch, AlarmProbe probe)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var accepted = watch.Latest is { } now ? GatewayWatch.Accepted(now) - GatewayWatch.Accepted(before) : 0;
        var received = watch.Latest is { } last ? Delta(before, last, "sg_mqtt_messages_total") : 0;
        // Rates are averages since the load began; awaiting-ack is the gateway's unacknowledged MQTT messages now.
        return string.Create(CultureInfo.InvariantCulture,
            $"t={elapsed.TotalSeconds:0}s mqtt sent/received={mqtt.Published / seconds:0}/{received / seconds:0} msgs/s, readings sent {mqtt.PublishedReadings / seconds:0}/s, awaiting-ack={watch.Latest?.Sum("sg_mqtt_awaiting_ack") ?? 0:0} accepted={accepted / seconds:0}/s queue={watch.Latest?.Sum("sg_storage_queue_depth") ?? 0:0} spool={(watch.Latest is { } m ? GatewayWatch.SpoolPending(m) : 0):0} rss={watch.RssNow / 1048576.0:0}MiB alarms={probe.Received}/{probe.Sent}");
    }
}
