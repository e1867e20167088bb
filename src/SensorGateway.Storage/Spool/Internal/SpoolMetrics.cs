using System.Diagnostics.Metrics;

namespace SensorGateway.Storage.Spool.Internal;

/// <summary>
/// The spool's instruments on the <c>SensorGateway.Spool</c> meter. All are observable: they read the
/// spool's counters when a listener collects, so the append path pays nothing for them.
/// </summary>
internal static class SpoolMetrics
{
    public const string MeterName = "SensorGateway.Spool";

    public static void Register(Meter meter, string kind, Func<SpoolCounters> counters)
    {
        var tag = new KeyValuePair<string, object?>("spool", kind);
        meter.CreateObservableGauge("sensorgateway.spool.pending", () => new Measurement<long>(counters().PendingRecords, tag),
            "{record}", "Records stored and not yet accepted by the database.");
        meter.CreateObservableGauge("sensorgateway.spool.in_flight", () => new Measurement<long>(counters().InFlightRecords, tag),
            "{record}", "Records taken and not yet accepted or rejected.");
        meter.CreateObservableGauge("sensorgateway.spool.stored", () => new Measurement<long>(counters().StoredBytes, tag),
            "By", "Bytes the spool occupies (segment files for the file spool).");
        meter.CreateObservableGauge("sensorgateway.spool.usage", () =>
            {
                var c = counters();
                return new Measurement<double>(c.MaxBytes <= 0 ? 0 : (double)c.StoredBytes / c.MaxBytes, tag);
            },
            "1", "Fraction of the quota in use.");
        meter.CreateObservableGauge("sensorgateway.spool.oldest_age", () => new Measurement<double>(counters().OldestRecordAge.TotalSeconds, tag),
            "s", "Age of the oldest pending record.");
        meter.CreateObservableCounter("sensorgateway.spool.appended", () => new Measurement<long>(counters().Appended, tag),
            "{record}", "Records appended (acknowledged); its rate is the append rate.");
        meter.CreateObservableCounter("sensorgateway.spool.accepted", () => new Measurement<long>(counters().Accepted, tag),
            "{record}", "Records accepted by the database and removed.");
        meter.CreateObservableCounter("sensorgateway.spool.rejected", () => new Measurement<long>(counters().Rejected, tag),
            "{record}", "Records returned for a retry.");
        meter.CreateObservableCounter<long>("sensorgateway.spool.dropped", () =>
            {
                var c = counters();
                return (IEnumerable<Measurement<long>>)
                [
                    new Measurement<long>(c.DroppedOldest, tag, new("reason", "quota_drop_oldest")),
                    new Measurement<long>(c.DroppedNew, tag, new("reason", "quota_reject_new")),
                    new Measurement<long>(c.CorruptSkipped, tag, new("reason", "corrupt")),
                ];
            },
            "{record}", "Records lost, by reason.");
    }
}
