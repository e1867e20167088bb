using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SensorGateway.Testing;

/// <summary>
/// A database server process of the caller's own, on a free loopback port with a private data folder, so that a
/// test or a load tool can stop it and start it again (a real outage) without disturbing the servers that the
/// other tests share. Shared as source by the integration tests and the storage benchmarks.
/// </summary>
internal abstract class LocalDatabase : IAsyncDisposable
{
    private static readonly TimeSpan s_readyWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(50);
    private const int LogLines = 40;

    private readonly HttpClient _probe;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    protected LocalDatabase(string name)
    {
        Name = name;
        Folder = Directory.CreateTempSubdirectory($"sg-{name}-").FullName;
        Port = Testing.FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{Port}/");
        _probe = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
    }

    public string Name { get; }

    /// <summary>The private folder for data and configuration; deleted on dispose.</summary>
    public string Folder { get; }

    public int Port { get; }

    public Uri Url { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>CPU time the running server has used since it started (zero when stopped), for cost per reading.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            if (_process is not { HasExited: false } process)
            {
                return TimeSpan.Zero;
            }

            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The path that answers 2xx once the server takes writes.</summary>
    protected abstract string ReadyPath { get; }

    protected abstract ProcessStartInfo StartInfo();

    /// <summary>Starts the server and returns once it answers on <see cref="ReadyPath"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        var start = StartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start: run through scripts/test.sh, which installs it.");

        // Read its output, or a chatty server blocks on a full pipe; the tail explains a failed start.
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_readyWithin);
        try
        {
            while (!await IsReadyAsync(deadline.Token).ConfigureAwait(false))
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{string.Join('\n', _log)}");
                }

                await Task.Delay(s_probeInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} was not ready within {s_readyWithin.TotalSeconds} s:\n{string.Join('\n', _log)}");
        }
    }

    /// <summary>Stops the server the way an operator would (SIGTERM) and waits until it has exited.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            // .NET can only SIGKILL another process; an orderly stop needs the kill command.
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        _probe.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(ReadyPath, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > LogLines && _log.TryDequeue(out _))
        {
        }
    }
}
