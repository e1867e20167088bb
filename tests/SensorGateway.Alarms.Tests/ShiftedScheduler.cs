using System.Reactive.Concurrency;

namespace SensorGateway.Alarms.Tests;

/// <summary>
/// A scheduler whose clock (<see cref="Now"/>) can be jumped while its timers keep running on the inner virtual
/// scheduler: a wall-clock jump as an NTP step or an operator's date change would cause.
/// </summary>
internal sealed class ShiftedScheduler(IScheduler inner, TimeSpan offset) : IScheduler, IServiceProvider
{
    public TimeSpan Offset { get; set; } = offset;

    public DateTimeOffset Now => inner.Now + Offset;

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
        inner.Schedule(state, (_, s) => action(this, s));

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        inner.Schedule(state, dueTime, (_, s) => action(this, s));

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        inner.Schedule(state, dueTime - Offset, (_, s) => action(this, s));

    public object? GetService(Type serviceType) => (inner as IServiceProvider)?.GetService(serviceType);
}
