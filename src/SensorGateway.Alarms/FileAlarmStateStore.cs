using System.Text.Json;
using System.Text.Json.Serialization;

namespace SensorGateway.Alarms;

/// <summary>
/// Keeps the alarm state in two JSON files: the alarms (indented, for people) and, beside them with the extension
/// <c>.channels.json</c>, the channel marks (compact; written only when a snapshot carries them, which the pipeline
/// does far less often). Each save writes a temporary file, flushes it to disk, then renames it over the old one, so
/// a crash leaves either the old or the new state of each file, never half of one. A file of the earlier one-file
/// layout (marks inside) still loads.
/// </summary>
public sealed class FileAlarmStateStore : IAlarmStateStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonSerializerOptions CompactJson = new(Json) { WriteIndented = false };

    private readonly string _path;
    private readonly string _marksPath;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="path">The state file, e.g. <c>/var/lib/sensorgateway/alarm-state.json</c>; its folder is created when missing.</param>
    public FileAlarmStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _marksPath = Path.ChangeExtension(_path, ".channels.json");
    }

    /// <summary>The full path of the state file.</summary>
    public string FilePath => _path;

    /// <summary>The full path of the channel marks' file.</summary>
    public string ChannelMarksPath => _marksPath;

    /// <exception cref="InvalidDataException">The file exists but is not a readable snapshot.</exception>
    public async ValueTask<AlarmSnapshot?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            return null;
        }

        var snapshot = await ReadAsync<AlarmSnapshot>(_path, "snapshot", cancellationToken);
        return File.Exists(_marksPath)
            ? snapshot with { Channels = (await ReadAsync<ChannelMarks>(_marksPath, "set of channel marks", cancellationToken)).Channels }
            : snapshot;
    }

    public async ValueTask SaveAsync(AlarmSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            if (snapshot.Channels is { } channels)
            {
                await WriteAsync(_marksPath, new ChannelMarks(snapshot.SavedAt, channels), CompactJson, cancellationToken);
            }

            await WriteAsync(_path, snapshot with { Channels = null }, Json, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<T> ReadAsync<T>(string path, string what, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken)
                ?? throw new InvalidDataException($"Alarm state file {path} holds no {what}.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Alarm state file {path} is not a readable {what}: {ex.Message}", ex);
        }
    }

    private static async Task WriteAsync<T>(string path, T value, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 65536, useAsync: true))
        {
            await JsonSerializer.SerializeAsync(stream, value, options, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The channel marks' file.</summary>
    private sealed record ChannelMarks(DateTimeOffset SavedAt, IReadOnlyList<ChannelMark> Channels);
}
