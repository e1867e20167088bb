namespace SensorGateway.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition that another component makes true, polling with a bound; never a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<CancellationToken, Task<T?>> probe, string what, CancellationToken cancellationToken, int timeoutSeconds = 30)
        where T : class =>
        await PollAsync(async token => await probe(token) is { } value ? (true, value) : (false, default!), what, cancellationToken, timeoutSeconds);

    public static async Task<T> ReturnsValueAsync<T>(Func<CancellationToken, Task<T?>> probe, string what, CancellationToken cancellationToken, int timeoutSeconds = 30)
        where T : struct =>
        await PollAsync(async token => await probe(token) is { } value ? (true, value) : (false, default), what, cancellationToken, timeoutSeconds);

    private static async Task<T> PollAsync<T>(Func<CancellationToken, Task<(bool Done, T Value)>> probe, string what, CancellationToken cancellationToken, int timeoutSeconds)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var delay = TimeSpan.FromMilliseconds(50);
        try
        {
            while (true)
            {
                var (done, value) = await probe(timeout.Token);
                if (done)
                {
                    return value;
                }

                await Task.Delay(delay, timeout.Token);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {timeoutSeconds} s for {what}.");
        }
    }
}
