using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using SensorGateway.Grpc.V1;
using HazardRecord = SensorGateway.Core.Hazards.HazardRecord;

namespace SensorGateway.Grpc.Hazards;

/// <summary>
/// The hazard log in one SQLite file: <c>hazard_events</c> (append-only, sequence = primary key, payload = the
/// contract's <see cref="HazardEvent"/> bytes) and <c>hazard_records</c> (current state, one row per record, the
/// domain record as JSON). WAL journal with <c>synchronous=FULL</c>: a batch is one transaction, fsynced before
/// <see cref="Append"/> returns, so a committed event survives a killed process and a power loss.
/// </summary>
public sealed class SqliteHazardStore : IHazardStore
{
    internal static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.General)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS hazard_events (
            sequence   INTEGER PRIMARY KEY,
            time       TEXT    NOT NULL,
            kind       INTEGER NOT NULL,
            record_id  TEXT,
            site       TEXT,
            sector     TEXT,
            level      INTEGER NOT NULL,
            status     INTEGER NOT NULL,
            actor      TEXT,
            note       TEXT,
            request_id TEXT,
            payload    BLOB    NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ix_hazard_events_request_id ON hazard_events(request_id) WHERE request_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_hazard_events_record_id ON hazard_events(record_id);
        CREATE TABLE IF NOT EXISTS hazard_records (
            id            TEXT    PRIMARY KEY,
            site          TEXT    NOT NULL,
            sector        TEXT    NOT NULL,
            level         INTEGER NOT NULL,
            status        INTEGER NOT NULL,
            last_sequence INTEGER NOT NULL,
            snapshot      TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_hazard_records_site ON hazard_records(site, id);
        CREATE INDEX IF NOT EXISTS ix_hazard_records_sector ON hazard_records(sector, id);
        """;

    // The statements that run on every commit, read and prune. Each finds its rows through a key, so its cost does not
    // grow with the log (a million events at the default retention) or the records; SqliteHazardStoreTests checks their
    // query plans.
    // One MIN and one MAX in the same SELECT would defeat SQLite's min/max optimisation and scan the whole table:
    // hence a sub-query each.
    internal const string BoundsSql =
        "SELECT COALESCE((SELECT MIN(sequence) FROM hazard_events), 0), COALESCE((SELECT MAX(sequence) FROM hazard_events), 0)";

    internal const string LastSequenceSql = "SELECT COALESCE(MAX(sequence), 0) FROM hazard_events";

    internal const string InsertEventSql = """
        INSERT INTO hazard_events (sequence, time, kind, record_id, site, sector, level, status, actor, note, request_id, payload)
        VALUES ($sequence, $time, $kind, $record, $site, $sector, $level, $status, $actor, $note, $request, $payload)
        """;

    internal const string UpsertRecordSql = """
        INSERT INTO hazard_records (id, site, sector, level, status, last_sequence, snapshot)
        VALUES ($id, $site, $sector, $level, $status, $sequence, $snapshot)
        ON CONFLICT(id) DO UPDATE SET level = excluded.level, status = excluded.status,
            last_sequence = excluded.last_sequence, snapshot = excluded.snapshot
        """;

    internal const string ReadEventsSql = "SELECT payload FROM hazard_events WHERE sequence > $after AND sequence <= $through ORDER BY sequence LIMIT $max";

    internal const string FindByRequestIdSql = "SELECT payload FROM hazard_events WHERE request_id = $request";

    internal const string FindRecordSql = "SELECT snapshot, last_sequence FROM hazard_records WHERE id = $id";

    /// <summary>
    /// A page of ended records (the others are held in memory). A site or sector filter is written into the statement
    /// only when given, so that SQLite walks that site's or sector's index instead of every ended record.
    /// </summary>
    internal static string PageEndedRecordsSql(bool bySite, bool bySector) => $"""
        SELECT snapshot, last_sequence FROM hazard_records
        WHERE {(bySite ? "site = $site AND " : "")}{(bySector ? "sector = $sector AND " : "")}id > $after
            AND status IN ({Closed}, {Withdrawn}) AND ($closed OR status <> {Closed}) AND ($withdrawn OR status <> {Withdrawn}) AND level >= $level
        ORDER BY id LIMIT $count
        """;

    internal const string PruneSql = "DELETE FROM hazard_events WHERE sequence <= (SELECT MAX(sequence) FROM hazard_events) - $retain";

    // Run once, at start-up: these may pass every record.
    private static readonly string LoadLiveRecordsSql =
        $"SELECT snapshot, last_sequence FROM hazard_records WHERE status NOT IN ({Closed}, {Withdrawn}) ORDER BY id";

    private const string CountRecordsSql = "SELECT COUNT(*) FROM hazard_records";

    // Records are inserted in the order their ids are issued and never deleted, so the newest row has the newest id.
    private const string LastRecordIdSql = "SELECT id FROM hazard_records ORDER BY rowid DESC LIMIT 1";

    private const int Closed = (int)Core.Hazards.HazardStatus.Closed;
    private const int Withdrawn = (int)Core.Hazards.HazardStatus.Withdrawn;

    private readonly Lock _gate = new();
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly Timer _checkpoints;
    private int _checkpointing;

    /// <param name="path">The database file; its folder is created when missing.</param>
    /// <param name="synchronous"><c>Full</c> (fsync per commit) or <c>Normal</c> (fsync at checkpoints; survives SIGKILL, not power loss).</param>
    public SqliteHazardStore(string path, string synchronous = "Full")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL;");
        Execute(_writer, string.Equals(synchronous, "Normal", StringComparison.OrdinalIgnoreCase) ? "PRAGMA synchronous=NORMAL;" : "PRAGMA synchronous=FULL;");
        Execute(_writer, Schema);

        // Checkpoints copy the WAL into the database file with fsyncs of their own. Run by the committing connection
        // (SQLite's default) they stall the commit that crosses the threshold, and with it the alarm behind it; a
        // timer runs them beside the writer instead, which WAL allows without blocking it.
        Execute(_writer, "PRAGMA wal_autocheckpoint=0;");
        _checkpoints = new Timer(_ => Checkpoint(), null, CheckpointInterval, CheckpointInterval);
        FilePath = full;
    }

    /// <summary>How often the WAL is checkpointed into the database file.</summary>
    public static TimeSpan CheckpointInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    public HazardStoreState Load()
    {
        lock (_gate)
        {
            var records = new List<HazardRecord>();
            var sequences = new Dictionary<string, ulong>(StringComparer.Ordinal);
            using (var command = _writer.CreateCommand())
            {
                command.CommandText = LoadLiveRecordsSql;
                foreach (var (record, sequence) in ReadRecords(command))
                {
                    records.Add(record);
                    sequences[record.Id] = sequence;
                }
            }

            int count;
            string? lastId;
            using (var command = _writer.CreateCommand())
            {
                command.CommandText = CountRecordsSql;
                count = (int)(long)command.ExecuteScalar()!;
                command.CommandText = LastRecordIdSql;
                lastId = command.ExecuteScalar() as string;
            }

            var (oldest, last) = Bounds(_writer);
            return new HazardStoreState(records, count, lastId, oldest, last, sequences);
        }
    }

    public StoredHazardRecord? FindRecord(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = FindRecordSql;
        command.Parameters.AddWithValue("$id", id);
        return ReadRecords(command).FirstOrDefault() is { Record: not null } found ? found : null;
    }

    public IReadOnlyList<StoredHazardRecord> PageEndedRecords(HazardQuery query, int count)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = PageEndedRecordsSql(query.Site.Length > 0, query.Sector.Length > 0);
        command.Parameters.AddWithValue("$after", query.AfterId);
        command.Parameters.AddWithValue("$closed", query.Statuses.Count == 0 || query.Statuses.Contains(V1.HazardStatus.Closed));
        command.Parameters.AddWithValue("$withdrawn", query.Statuses.Count == 0 || query.Statuses.Contains(V1.HazardStatus.Withdrawn));
        command.Parameters.AddWithValue("$site", query.Site);
        command.Parameters.AddWithValue("$sector", query.Sector);
        // The column holds the domain level, whose numbers are the contract's.
        command.Parameters.AddWithValue("$level", (int)query.MinLevel);
        command.Parameters.AddWithValue("$count", count);
        return [.. ReadRecords(command)];
    }

    private static IEnumerable<StoredHazardRecord> ReadRecords(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var record = JsonSerializer.Deserialize<HazardRecord>(reader.GetString(0), s_json)
                ?? throw new InvalidDataException("A hazard_records row holds an empty snapshot.");
            yield return new StoredHazardRecord(record, (ulong)reader.GetInt64(1));
        }
    }

    public void Append(IReadOnlyList<PendingHazardEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var transaction = _writer.BeginTransaction();
            ulong last;
            using (var bound = _writer.CreateCommand())
            {
                bound.Transaction = transaction;
                bound.CommandText = LastSequenceSql;
                last = (ulong)(long)bound.ExecuteScalar()!;
            }

            using var insert = _writer.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = InsertEventSql;
            using var upsert = _writer.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = UpsertRecordSql;
            foreach (var (hazardEvent, record) in events)
            {
                if (hazardEvent.Sequence != ++last)
                {
                    throw new InvalidOperationException(
                        $"Hazard event {hazardEvent.Sequence} would leave a gap or repeat: the log ends at {last - 1}.");
                }

                Insert(insert, hazardEvent);
                if (record is not null)
                {
                    Upsert(upsert, record, hazardEvent.Sequence);
                }
            }

            transaction.Commit();
        }
    }

    private static void Insert(SqliteCommand insert, HazardEvent hazardEvent)
    {
        insert.Parameters.Clear();
        insert.Parameters.AddWithValue("$sequence", (long)hazardEvent.Sequence);
        insert.Parameters.AddWithValue("$time", hazardEvent.Time.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$kind", (int)hazardEvent.Kind);
        insert.Parameters.AddWithValue("$record", (object?)hazardEvent.Record?.Id ?? DBNull.Value);
        insert.Parameters.AddWithValue("$site", HazardEventFilter.SiteOf(hazardEvent));
        insert.Parameters.AddWithValue("$sector", (object?)hazardEvent.Record?.Sector ?? DBNull.Value);
        insert.Parameters.AddWithValue("$level", (int)HazardEventFilter.LevelOf(hazardEvent));
        insert.Parameters.AddWithValue("$status", (int)(hazardEvent.Record?.Status ?? V1.HazardStatus.Unspecified));
        insert.Parameters.AddWithValue("$actor", hazardEvent.Actor.Length == 0 ? DBNull.Value : hazardEvent.Actor);
        insert.Parameters.AddWithValue("$note", hazardEvent.Note.Length == 0 ? DBNull.Value : hazardEvent.Note);
        insert.Parameters.AddWithValue("$request", hazardEvent.RequestId.Length == 0 ? DBNull.Value : hazardEvent.RequestId);
        insert.Parameters.AddWithValue("$payload", hazardEvent.ToByteArray());
        insert.ExecuteNonQuery();
    }

    private static void Upsert(SqliteCommand upsert, HazardRecord record, ulong sequence)
    {
        upsert.Parameters.Clear();
        upsert.Parameters.AddWithValue("$id", record.Id);
        upsert.Parameters.AddWithValue("$site", record.Channel.Site);
        upsert.Parameters.AddWithValue("$sector", record.Sector);
        upsert.Parameters.AddWithValue("$level", (int)record.Level);
        upsert.Parameters.AddWithValue("$status", (int)record.Status);
        upsert.Parameters.AddWithValue("$sequence", (long)sequence);
        upsert.Parameters.AddWithValue("$snapshot", JsonSerializer.Serialize(record, s_json));
        upsert.ExecuteNonQuery();
    }

    public IReadOnlyList<HazardEvent> Read(ulong afterSequence, ulong throughSequence, int max)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = ReadEventsSql;
        command.Parameters.AddWithValue("$after", (long)afterSequence);
        command.Parameters.AddWithValue("$through", (long)throughSequence);
        command.Parameters.AddWithValue("$max", max);
        using var reader = command.ExecuteReader();
        var events = new List<HazardEvent>();
        while (reader.Read())
        {
            events.Add(HazardEvent.Parser.ParseFrom((byte[])reader[0]));
        }

        return events;
    }

    public HazardEvent? FindByRequestId(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        lock (_gate)
        {
            using var command = _writer.CreateCommand();
            command.CommandText = FindByRequestIdSql;
            command.Parameters.AddWithValue("$request", requestId);
            return command.ExecuteScalar() is byte[] payload ? HazardEvent.Parser.ParseFrom(payload) : null;
        }
    }

    public ulong Prune(long retain)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retain, 1);
        lock (_gate)
        {
            using (var command = _writer.CreateCommand())
            {
                command.CommandText = PruneSql;
                command.Parameters.AddWithValue("$retain", retain);
                command.ExecuteNonQuery();
            }

            return Bounds(_writer).Oldest;
        }
    }

    public void Dispose()
    {
        // Wait for a checkpoint in progress, so none runs against a closed or deleted file.
        using (var stopped = new ManualResetEvent(false))
        {
            if (_checkpoints.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }

        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private void Checkpoint()
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }

        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            // PASSIVE: copies what no reader still needs and never waits for the writer.
            Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (SqliteException)
        {
            // Busy or closing: the next tick tries again; the WAL only grows meanwhile, nothing is lost.
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    private static (ulong Oldest, ulong Last) Bounds(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = BoundsSql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return ((ulong)reader.GetInt64(0), (ulong)reader.GetInt64(1));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
