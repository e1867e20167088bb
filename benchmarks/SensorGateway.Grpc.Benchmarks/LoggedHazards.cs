using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.V1;

/// <summary>A hazard database that already holds past events: made once per benchmark process, copied into each run.</summary>
internal static class LoggedHazards
{
    private const int PerTransaction = 10_000;

    /// <summary>Writes <paramref name="count"/> level-1 alarm events (sequences 1..count) and returns the file.</summary>
    public static string CreateTemplate(int count)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("sg-bench-log-").FullName, "hazards.db");
        var time = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-30));
        using (var store = new SqliteHazardStore(path, "Normal"))
        {
            Fill(store, count, sequence => new PendingHazardEvent(new HazardEvent
            {
                Sequence = (ulong)sequence,
                Time = time,
                Kind = HazardEventKind.Raised,
                Alarm = new AlarmDetail
                {
                    Site = "bench", Device = $"gd-{sequence % 1000:0000}", Channel = "lel", Quantity = "gas.combustible", Unit = "%LEL",
                    RuleId = "bench.gas.level", Level = AlarmLevel._1, Limit = "L1", State = "Active",
                },
            }, null));
        }

        // Closing the last connection folds the WAL into the file, so the file alone is the whole log.
        SqliteConnection.ClearAllPools();
        return path;
    }

    /// <summary>Appends the events for sequences 1..<paramref name="count"/>, <see cref="PerTransaction"/> to a transaction.</summary>
    public static void Fill(SqliteHazardStore store, int count, Func<int, PendingHazardEvent> eventAt)
    {
        for (var first = 1; first <= count; first += PerTransaction)
        {
            store.Append([.. Enumerable.Range(first, Math.Min(PerTransaction, count - first + 1)).Select(eventAt)]);
        }
    }

    public static void Delete(string template) => Directory.Delete(Path.GetDirectoryName(template)!, recursive: true);
}
