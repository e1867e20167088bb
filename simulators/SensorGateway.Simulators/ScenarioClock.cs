namespace SensorGateway.Simulators;

/// <summary>
/// Scenario time: wall time since <see cref="Start"/> multiplied by the speed factor. Every simulator of a
/// run shares one clock, so Modbus registers and MQTT messages agree on "now".
/// </summary>
public sealed class ScenarioClock(TimeProvider time, double speed = 1)
{
    private readonly Lock _gate = new();
    private long _started = -1;

    public TimeProvider Time { get; } = time;

    /// <summary>Scenario seconds per wall-clock second.</summary>
    public double Speed { get; } = speed > 0 ? speed : throw new ArgumentOutOfRangeException(nameof(speed), speed, "The speed factor must be positive.");

    /// <summary>Wall-clock time at scenario time zero.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    public bool IsStarted => Interlocked.Read(ref _started) >= 0;

    /// <summary>Starts the clock; later calls keep the first start.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_started < 0)
            {
                StartedAt = Time.GetUtcNow();
                Interlocked.Exchange(ref _started, Time.GetTimestamp());
            }
        }
    }

    /// <summary>Scenario time now (zero before the start).</summary>
    public TimeSpan Elapsed => IsStarted ? Time.GetElapsedTime(Interlocked.Read(ref _started)) * Speed : TimeSpan.Zero;

    /// <summary>Waits until scenario time <paramref name="due"/>.</summary>
    public Task WaitUntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = (due - Elapsed) / Speed;
        return wait > TimeSpan.Zero ? Task.Delay(wait, Time, cancellationToken) : Task.CompletedTask;
    }
}
