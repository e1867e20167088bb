using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SensorGateway.Alarms.Hazards;
using SensorGateway.Core.Hazards;
using SensorGateway.Core.Readings;
using SensorGateway.Grpc.Hazards;
using V1 = SensorGateway.Grpc.V1;

/// <summary>
/// A gateway with a long history: <c>count</c> ended (closed) hazard records in its store, ten live ones. Measures the
/// start-up (load time and the heap it keeps) and what ListHazards and GetHazard cost over that history. Records are
/// never deleted, so a site's count only grows.
/// </summary>
internal static class RecordHistory
{
    private const int Live = 10;

    public static void Run(int count)
    {
        var folder = Directory.CreateTempSubdirectory("sg-bench-records-").FullName;
        try
        {
            var path = Path.Combine(folder, "hazards.db");
            Write(path, count);
            Measure(path, count);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Write(string path, int count)
    {
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using (var store = new SqliteHazardStore(path, "Normal"))
        {
            LoggedHazards.Fill(store, count + Live, i =>
            {
                var channel = new ChannelId(i % 2 == 0 ? "site-a" : "site-b", $"gd-{i % 500:000}", "lel");
                var record = new HazardRecord
                {
                    Id = Id(i), Channel = channel, Sector = "fuel_stations", RuleId = "gas.combustible.level", Level = SensorGateway.Core.Alarms.AlarmLevel.Level2,
                    Limit = "L2", SetPoint = 50, Value = 60, Unit = "%LEL", FirstSeen = time, LastSeen = time, Peak = 61,
                    Evidence = [new Reading(channel, "gas.combustible", "%LEL", 60, Quality.Good, time, time, i)],
                    Status = i > count ? HazardStatus.Open : HazardStatus.Closed, AlarmActive = false,
                    History =
                    [
                        new HazardTransition(HazardAction.Open, HazardStatus.Open, HazardStatus.Open, "engine", time, "level 2"),
                        new HazardTransition(HazardAction.Close, HazardStatus.Verified, HazardStatus.Closed, "Li Na", time, "rectified"),
                    ],
                };
                return new PendingHazardEvent(new V1.HazardEvent { Sequence = (ulong)i, Time = Timestamp.FromDateTimeOffset(time), Kind = V1.HazardEventKind.RecordOpened }, record);
            });
        }

        // Closing the last connection folds the WAL into the file, whose size then is the whole history's.
        SqliteConnection.ClearAllPools();
        Console.WriteLine($"{count:N0} closed and {Live} open records written: {new FileInfo(path).Length / 1024.0 / 1024:F0} MiB");
    }

    private static void Measure(string path, int count)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        using var store = new SqliteHazardStore(path);
        using var log = new HazardEventLog(store, Options.Create(new HazardStoreOptions()));
        var tracker = new HazardTracker(null, null, log.State.Records, log.State.LastRecordId);
        var desk = new HazardDesk(log, tracker, TimeProvider.System, null, NullLogger<HazardDesk>.Instance);
        var startUp = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up: {startUp.TotalMilliseconds:F0} ms; heap kept: {(GC.GetTotalMemory(forceFullCollection: true) - heap) / 1024.0 / 1024:F1} MiB; records held: {tracker.Records.Count}"));

        HashSet<V1.HazardStatus> all = [], closed = [V1.HazardStatus.Closed], open = [V1.HazardStatus.Open];
        foreach (var (name, query) in new (string, HazardQuery)[]
        {
            ("list, first page of 50", new("", "", V1.AlarmLevel.Unspecified, all, "", 50)),
            ("list, page near the end", new("", "", V1.AlarmLevel.Unspecified, all, Id(count - 60), 50)),
            ("list, closed records", new("", "", V1.AlarmLevel.Unspecified, closed, "", 50)),
            ("list, open records", new("", "", V1.AlarmLevel.Unspecified, open, "", 50)),
            ("list, one site", new("site-b", "", V1.AlarmLevel.Unspecified, all, "", 50)),
            ("list, a site with none", new("site-c", "", V1.AlarmLevel.Unspecified, all, "", 50)),
        })
        {
            var records = desk.List(query).Records.Count;
            clock.Restart();
            const int Rounds = 50;
            for (var round = 0; round < Rounds; round++)
            {
                desk.List(query);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {records} records, {clock.Elapsed.TotalMilliseconds / Rounds:F3} ms"));
        }

        clock.Restart();
        for (var i = 1; i <= 100; i++)
        {
            _ = desk.Get(Id(i * (count / 100))) ?? throw new InvalidOperationException($"record {Id(i * (count / 100))} not found");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"get, a closed record: {clock.Elapsed.TotalMilliseconds / 100:F3} ms"));
    }

    private static string Id(int number) => string.Create(CultureInfo.InvariantCulture, $"YH-20260101-{number:000000}");
}
