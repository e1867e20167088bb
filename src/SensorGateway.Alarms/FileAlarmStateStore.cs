using System.Text.Json;
using System.Text.Json.Serialization;

namespace SensorGateway.Alarms;

/// <summary>
/// Keeps the alarm state in one JSON file. A save writes a temporary file beside it, flushes it to disk, then renames
/// it over the old one, so a crash leaves either the old or the new state, never half of one.
/// </summary>
public sealed class FileAlarmStateStore : IAlarmStateStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="path">The state file, e.g. <c>/var/lib/sensorgateway/alarm-state.json</c>; its folder is created when missing.</param>
    public FileAlarmStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    /// <summary>The full path of the state file.</summary>
    public string FilePath => _path;

    /// <exception cref="InvalidDataException">The file exists but is not a readable snapshot.</exception>
    public async ValueTask<AlarmSnapshot?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            return null;
        }

        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        try
        {
            return await JsonSerializer.DeserializeAsync<AlarmSnapshot>(stream, Json, cancellationToken)
                ?? throw new InvalidDataException($"Alarm state file {_path} holds no snapshot.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Alarm state file {_path} is not a readable snapshot: {ex.Message}", ex);
        }
    }

    public async ValueTask SaveAsync(AlarmSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + ".tmp";
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await JsonSerializer.SerializeAsync(stream, snapshot, Json, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }
}
