using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using SensorGateway.Grpc.Hazards;
using SensorGateway.Grpc.Tests.Infrastructure;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Grpc.Tests;

/// <summary>
/// The store's cost per commit does not grow with the log: at the default retention the log holds a million events, and
/// a statement that scanned it would put tens of milliseconds into every alarm's path.
/// </summary>
public sealed partial class SqliteHazardStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    public static TheoryData<string, string> LogStatements => new()
    {
        { nameof(SqliteHazardStore.BoundsSql), SqliteHazardStore.BoundsSql },
        { nameof(SqliteHazardStore.LastSequenceSql), SqliteHazardStore.LastSequenceSql },
        { nameof(SqliteHazardStore.InsertEventSql), SqliteHazardStore.InsertEventSql },
        { nameof(SqliteHazardStore.UpsertRecordSql), SqliteHazardStore.UpsertRecordSql },
        { nameof(SqliteHazardStore.ReadEventsSql), SqliteHazardStore.ReadEventsSql },
        { nameof(SqliteHazardStore.FindByRequestIdSql), SqliteHazardStore.FindByRequestIdSql },
        { nameof(SqliteHazardStore.PruneSql), SqliteHazardStore.PruneSql },
        { nameof(SqliteHazardStore.FindRecordSql), SqliteHazardStore.FindRecordSql },
        { "PageEndedRecordsSql", SqliteHazardStore.PageEndedRecordsSql(bySite: false, bySector: false) },
        { "PageEndedRecordsSql by site", SqliteHazardStore.PageEndedRecordsSql(bySite: true, bySector: false) },
        { "PageEndedRecordsSql by sector", SqliteHazardStore.PageEndedRecordsSql(bySite: false, bySector: true) },
        { "PageEndedRecordsSql by both", SqliteHazardStore.PageEndedRecordsSql(bySite: true, bySector: true) },
    };

    [Theory]
    [MemberData(nameof(LogStatements))]
    public void Statement_RunPerCommitReadOrPrune_FindsItsRowsByKeyWithoutScanningATable(string name, string sql)
    {
        var plan = QueryPlan(sql);

        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN hazard_", StringComparison.Ordinal));
        Assert.All(plan, step => Assert.False(step.StartsWith("SCAN ", StringComparison.Ordinal) && step != "SCAN CONSTANT ROW", $"{name}: {step}"));
    }

    [Theory]
    [InlineData(true, false, "ix_hazard_records_site")]
    [InlineData(false, true, "ix_hazard_records_sector")]
    public void PageEndedRecords_BySiteOrSector_WalksThatIndex(bool bySite, bool bySector, string index)
    {
        var plan = QueryPlan(SqliteHazardStore.PageEndedRecordsSql(bySite, bySector));

        Assert.Contains(plan, step => step.Contains($"USING INDEX {index} ", StringComparison.Ordinal));
    }

    [Fact]
    public void QueryPlanCheck_MinAndMaxInOneSelect_IsSeenAsAScanOfTheLog()
    {
        // The form the bounds query had: the check above must be able to tell it apart.
        var plan = QueryPlan("SELECT COALESCE(MIN(sequence), 0), COALESCE(MAX(sequence), 0) FROM hazard_events");

        // A full pass, through the smallest index that holds the sequence.
        Assert.StartsWith("SCAN hazard_events", Assert.Single(plan), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AfterAppendsAndAPrune_GivesTheOldestAndNewestRetainedSequence()
    {
        using (var store = new SqliteHazardStore(_database.Path))
        {
            Assert.Equal((0ul, 0ul), (store.Load().OldestSequence, store.Load().LastSequence));
            store.Append([.. Enumerable.Range(1, 250).Select(i => Event((ulong)i))]);

            Assert.Equal(151ul, store.Prune(retain: 100));
        }

        using var reopened = new SqliteHazardStore(_database.Path);
        var state = reopened.Load();
        Assert.Equal((151ul, 250ul), (state.OldestSequence, state.LastSequence));
    }

    [Fact]
    public void Append_SequenceThatSkipsOne_IsRefusedAndLeavesTheLogAsItWas()
    {
        using var store = new SqliteHazardStore(_database.Path);
        store.Append([Event(1), Event(2)]);

        var refused = Assert.Throws<InvalidOperationException>(() => store.Append([Event(3), Event(5)]));

        Assert.Equal("Hazard event 5 would leave a gap or repeat: the log ends at 3.", refused.Message);
        Assert.Equal([1ul, 2ul], store.Read(0, 10, 10).Select(e => e.Sequence));
    }

    [Fact]
    public void Load_SomeRecordsEnded_GivesTheLiveOnesTheTotalAndTheNewestId()
    {
        using (var store = new SqliteHazardStore(_database.Path))
        {
            store.Append(ThreeRecordsTwoEnded());
        }

        using var reopened = new SqliteHazardStore(_database.Path);
        var state = reopened.Load();

        Assert.Equal(["YH-2"], state.Records.Select(r => r.Id));
        Assert.Equal((3, "YH-3", 2ul), (state.RecordCount, state.LastRecordId, state.RecordSequences["YH-2"]));
    }

    [Fact]
    public void FindRecord_StoredAndUnknownIds_GivesTheStateWithItsLastSequence_OrNull()
    {
        using var store = new SqliteHazardStore(_database.Path);
        store.Append(ThreeRecordsTwoEnded());

        var found = store.FindRecord("YH-3");

        Assert.Equal(("YH-3", Core.Hazards.HazardStatus.Withdrawn, 3ul), (found?.Record.Id, found?.Record.Status, found?.LastSequence));
        Assert.Null(store.FindRecord("YH-4"));
    }

    [Theory]
    [InlineData("", "", 0, new int[0], new[] { "YH-1", "YH-3" })]
    [InlineData("YH-1", "", 0, new int[0], new[] { "YH-3" })]
    [InlineData("", "", 0, new[] { (int)HazardStatus.Closed }, new[] { "YH-1" })]
    [InlineData("", "", 0, new[] { (int)HazardStatus.Withdrawn, (int)HazardStatus.Open }, new[] { "YH-3" })]
    [InlineData("", "site-b", 0, new int[0], new[] { "YH-3" })]
    [InlineData("YH-1", "site-a", 0, new int[0], new string[0])]
    [InlineData("", "", (int)AlarmLevel._2, new int[0], new[] { "YH-1" })]
    public void PageEndedRecords_Query_GivesTheMatchingEndedRecordsInIdOrder(string afterId, string site, int minLevel, int[] statuses, string[] expected)
    {
        using var store = new SqliteHazardStore(_database.Path);
        store.Append(ThreeRecordsTwoEnded());

        var page = store.PageEndedRecords(new HazardQuery(site, "", (AlarmLevel)minLevel, statuses.Select(s => (HazardStatus)s).ToHashSet(), afterId, 10), 10);

        Assert.Equal(expected, page.Select(r => r.Record.Id));
    }

    /// <summary>YH-1 closed (site-a, level 2), YH-2 open (site-a), YH-3 withdrawn (site-b, level 1); events 1–3.</summary>
    private static PendingHazardEvent[] ThreeRecordsTwoEnded() =>
    [
        Stored(1, "YH-1", "site-a", Core.Hazards.HazardStatus.Closed, Core.Alarms.AlarmLevel.Level2),
        Stored(2, "YH-2", "site-a", Core.Hazards.HazardStatus.Open, Core.Alarms.AlarmLevel.Level2),
        Stored(3, "YH-3", "site-b", Core.Hazards.HazardStatus.Withdrawn, Core.Alarms.AlarmLevel.Level1),
    ];

    private static PendingHazardEvent Stored(ulong sequence, string id, string site, Core.Hazards.HazardStatus status, Core.Alarms.AlarmLevel level)
    {
        var channel = new Core.Readings.ChannelId(site, "gd-01", "lel");
        var record = new Core.Hazards.HazardRecord
        {
            Id = id, Channel = channel, Sector = "fuel_stations", RuleId = "gas.combustible.level", Level = level, Limit = "L1", SetPoint = 25,
            Value = 30, Unit = "%LEL", FirstSeen = TestAlarms.T0, LastSeen = TestAlarms.T0, Peak = 30, Status = status,
        };
        return new(Event(sequence).Event, record);
    }

    private static PendingHazardEvent Event(ulong sequence) =>
        new(new HazardEvent { Sequence = sequence, Kind = HazardEventKind.Raised, Time = Timestamp.FromDateTimeOffset(TestAlarms.T0) }, null);

    /// <summary>The detail column of SQLite's query plan for <paramref name="sql"/>, against the store's schema.</summary>
    private List<string> QueryPlan(string sql)
    {
        using (new SqliteHazardStore(_database.Path))
        {
            // Opening creates the schema.
        }

        using var connection = new SqliteConnection($"Data Source={_database.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var parameter in Parameter().Matches(sql).Select(m => m.Value).Distinct())
        {
            command.Parameters.AddWithValue(parameter, 1);
        }

        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    [GeneratedRegex(@"\$\w+")]
    private static partial Regex Parameter();
}
