namespace SensorGateway.Modbus.Client;

internal static class ModbusOptionChecks
{
    public static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than zero.");
        }
    }

    public static void Retries(int value, string name)
    {
        if (value is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0..10.");
        }
    }

    public static void Backoff(TimeSpan initial, TimeSpan max, string initialName, string maxName)
    {
        Positive(initial, initialName);
        if (max < initial)
        {
            throw new ArgumentOutOfRangeException(maxName, max, $"{maxName} must not be less than {initialName}.");
        }
    }

    /// <summary>Capped exponential backoff with jitter in [50 %, 100 %] so that many masters do not reconnect in step.</summary>
    public static TimeSpan BackoffDelay(int failures, TimeSpan initial, TimeSpan max)
    {
        var exponent = Math.Min(failures - 1, 30);
        var ticks = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * (0.5 + (0.5 * Random.Shared.NextDouble()))));
    }
}
