using System.Diagnostics.Metrics;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using SensorGateway.Core.Alarms;
using SensorGateway.Core.Readings;
using static SensorGateway.Alarms.Tests.TickTable;

namespace SensorGateway.Alarms.Tests;

public sealed class AlarmDetectionTests
{
    [Fact]
    public void DetectAlarms_ArgumentChecking_ThrowsEagerly()
    {
        var book = Rules.Book(Rules.Test(), Gas1);
        var scheduler = new TestScheduler();

        Assert.Throws<ArgumentNullException>(() => AlarmDetection.DetectAlarms(null!, book, scheduler));
        Assert.Throws<ArgumentNullException>(() => Observable.Never<Reading>().DetectAlarms(null!, scheduler));
        Assert.Throws<ArgumentNullException>(() => Observable.Never<Reading>().DetectAlarms(book, null!));
        Assert.Throws<ArgumentException>(() => Observable.Never<Reading>().DetectAlarms(book, scheduler, new AlarmEngineOptions { FloodThreshold = 0 }));
    }

    [Fact]
    public void DetectAlarms_SourceCompletes_CompletesAtSameTickAndUnsubscribes()
    {
        var scheduler = new TestScheduler();
        var source = scheduler.CreateHotObservable(
            ReactiveTest.OnNext(T(1.5), Read(Gas1, 30, 1.5)),
            ReactiveTest.OnCompleted<Reading>(T(2.5)));

        var result = scheduler.Start(() => source.DetectAlarms(Rules.Book(Rules.Test(), Gas1), scheduler), 0, 0, T(10));

        Assert.Equal([T(1.5), T(2.5)], result.Messages.Select(m => m.Time));
        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, result.Messages[1].Value.Kind);
        Assert.Equal([new Subscription(1, T(2.5))], source.Subscriptions); // TestScheduler runs work due "now" one tick later
    }

    [Fact]
    public void DetectAlarms_SourceFails_PropagatesError()
    {
        var scheduler = new TestScheduler();
        var failure = new InvalidOperationException("adapter gone");
        var source = scheduler.CreateHotObservable(ReactiveTest.OnError<Reading>(T(1.5), failure));

        var result = scheduler.Start(() => source.DetectAlarms(Rules.Book(Rules.Test(), Gas1), scheduler), 0, 0, T(10));

        Assert.Equal([ReactiveTest.OnError<AlarmEvent>(T(1.5), failure)], result.Messages);
    }

    [Fact]
    public void Detect_SecondConcurrentSubscription_Fails()
    {
        var scheduler = new TestScheduler();
        using var engine = new AlarmEngine(Rules.Book(Rules.Test(), Gas1), scheduler);
        using var first = engine.Detect(Observable.Never<Reading>()).Subscribe(_ => { }, _ => { });
        Exception? error = null;

        using var second = engine.Detect(Observable.Never<Reading>()).Subscribe(_ => { }, e => error = e);

        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void DetectAlarms_UnlistedChannel_JudgedByPackOfItsQuantity()
    {
        using var h = new EngineHarness(AlarmRuleBook.FromPacks(RulePacks.Default));
        h.Feed(Read(Tank, 91, 1.5, "tank.fill_percent", "%"), Read(Tank, 95, 2.5, "tank.fill_percent", "%"), Read(Tank, 94.4, 3.5, "tank.fill_percent", "%"),
            Read(Tank, 89.4, 4.5, "tank.fill_percent", "%"));

        Assert.Equal(
        [
            "1.5s Raised atg-01/tank.fill_percent.level H Level1 UnacknowledgedActive",
            "2.5s Escalated atg-01/tank.fill_percent.level HH Level2 UnacknowledgedActive",
            "3.5s Deescalated atg-01/tank.fill_percent.level H Level1 UnacknowledgedActive",
            "4.5s Cleared atg-01/tank.fill_percent.level H None UnacknowledgedReturnToNormal",
        ], h.Run(6));
    }

    [Fact]
    public void AlarmEvent_CarriesTriggerReadingSetPointAndMessage()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5));

        var alarm = h.RunRecorded(3).Messages.Single().Value.Value;

        Assert.Equal((25.0, 30.0, At(1.5)), (alarm.SetPoint, alarm.Trigger.Value, alarm.Time));
        Assert.Equal("site-a/gd-01/ch1 gas.test.level L1: raised (30 %LEL set-point 25, quality good, priority 2)", alarm.Message);
        Assert.Equal("site-a/gd-01/ch1#gas.test.level", alarm.AlarmKey);
    }

    [Fact]
    public void Meter_PublishesRaisedCounterAndKpiGauges()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1));
        h.Feed(Read(Gas1, 30, 1.5), Read(Gas1, 60, 2.5));
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, h.Engine.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measured[i.Name] = measured.GetValueOrDefault(i.Name) + v);
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => measured[i.Name] = measured.GetValueOrDefault(i.Name) + v);
        listener.Start();

        h.Run(4);
        listener.RecordObservableInstruments();

        Assert.Equal(AlarmEngine.MeterName, h.Engine.Meter.Name);
        Assert.Equal(1, measured["sensorgateway.alarms.raised"]);
        Assert.Equal(2, measured["sensorgateway.alarms.readings"]);
        Assert.Equal(1, measured["sensorgateway.alarms.active"]);
        Assert.Equal(1, measured["sensorgateway.alarms.raised_last_10_min"]);
        Assert.Equal(0, measured["sensorgateway.alarms.standing"]);
    }

    [Fact]
    public void GetKpis_AlarmActiveLongerThanStandingThreshold_CountsStanding()
    {
        using var h = new EngineHarness(Rules.Book(Rules.Test(), Gas1), new AlarmEngineOptions { StandingAfter = TimeSpan.FromSeconds(30) });
        h.Feed(Read(Gas1, 30, 1.5));

        h.Run(40);

        Assert.Equal((1, 1), (h.Engine.GetKpis().Active, h.Engine.GetKpis().Standing));
    }
}
