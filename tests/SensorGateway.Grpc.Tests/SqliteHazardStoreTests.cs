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
    };

    [Theory]
    [MemberData(nameof(LogStatements))]
    public void Statement_RunPerCommitReadOrPrune_FindsItsRowsByKeyWithoutScanningATable(string name, string sql)
    {
        var plan = QueryPlan(sql);

        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN hazard_", StringComparison.Ordinal));
        Assert.All(plan, step => Assert.False(step.StartsWith("SCAN ", StringComparison.Ordinal) && step != "SCAN CONSTANT ROW", $"{name}: {step}"));
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
