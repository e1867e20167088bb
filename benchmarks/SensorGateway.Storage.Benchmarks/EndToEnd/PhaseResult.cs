using System.Diagnostics;
using System.Globalization;
using SensorGateway.Testing;

namespace SensorGateway.Storage.Benchmarks.EndToEnd;

/// <summary>
/// One row of the report: readings over wall time, and the CPU time our process and the database used per reading —
/// on a shared 2-core machine the CPU cost says more about where the time goes than the rate alone.
/// </summary>
internal sealed record PhaseResult(string Phase, long Readings, TimeSpan Elapsed, TimeSpan OurCpu, TimeSpan DatabaseCpu, string Note)
{
    public double PerSecond => Readings / Elapsed.TotalSeconds;

    public static string Header =>
        "| phase | readings | seconds | readings/s | our CPU µs/reading | VictoriaMetrics CPU µs/reading | note |\n|---|---|---|---|---|---|---|";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Phase} | {Readings:N0} | {Elapsed.TotalSeconds:F1} | {PerSecond:N0} | {Micros(OurCpu):F2} | {Micros(DatabaseCpu):F2} | {Note} |");

    private double Micros(TimeSpan cpu) => Readings == 0 ? 0 : cpu.TotalMicroseconds / Readings;
}

/// <summary>Wall time and the CPU time of this process and of the database process since it started.</summary>
internal sealed class PhaseClock(LocalDatabase database)
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _ourStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan _databaseStart = database.ProcessorTime;

    public TimeSpan Elapsed => _wall.Elapsed;

    public PhaseResult Result(string phase, long readings, string note = "") =>
        new(phase, readings, _wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - _ourStart, database.ProcessorTime - _databaseStart, note);
}
