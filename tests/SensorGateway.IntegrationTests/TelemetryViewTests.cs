using System.Diagnostics.Metrics;
using SensorGateway.Host.Telemetry;

namespace SensorGateway.IntegrationTests;

public sealed class TelemetryViewTests
{
    [Fact]
    public void CardinalityOf_CountersAndGauges_KeepTheGatewaysLimit()
    {
        using var meter = new Meter("SensorGateway.Tests.Telemetry");

        Assert.Equal([TelemetryExtensions.SeriesPerMetric, TelemetryExtensions.SeriesPerMetric, TelemetryExtensions.SeriesPerMetric],
            new Instrument[]
            {
                meter.CreateCounter<long>("sg.pipeline.readings"),
                meter.CreateUpDownCounter<long>("sg.storage.queue_depth"),
                meter.CreateObservableGauge("sg.alarms.active", () => 0),
            }.Select(i => TelemetryExtensions.CardinalityOf(i)?.CardinalityLimit));
    }

    [Fact]
    public void CardinalityOf_PerDeviceRejectionsAndHistograms_KeepTheDefaults()
    {
        using var meter = new Meter("SensorGateway.Tests.Telemetry");

        Assert.Null(TelemetryExtensions.CardinalityOf(meter.CreateCounter<long>("sg.mqtt.rejected")));
        Assert.Null(TelemetryExtensions.CardinalityOf(meter.CreateHistogram<double>("http.server.request.duration")));
    }
}
