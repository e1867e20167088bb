using System.Globalization;
using Grpc.Core;
using SensorGateway.Grpc.V1;
using Spectre.Console;

namespace SensorGateway.Host.Cli;

/// <summary>
/// <c>alarms watch</c>: the live hazard stream for a duty officer. Coloured by level on a terminal (plain lines when
/// redirected), a terminal bell on every new level-2 alarm, and exact resume across reconnects: the last sequence
/// is written to a local state file after each event and the next connection subscribes after it.
/// </summary>
internal static class AlarmsWatchCommand
{
    public const string Usage = """
          sensorgateway alarms watch [--site S] [--sector S] [--min-level 1|2|fault] [--state-file PATH] [--from-start]
            common: --server URL --api-key KEY [--ca-file PEM]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool colour, CancellationToken cancellationToken)
    {
        var cli = new CliArguments(args);
        if (cli.Positional is not ["watch"])
        {
            error.WriteLine("alarms: the verb is 'alarms watch'");
            return 2;
        }

        using var client = new OfficerClient(cli);
        var stateFile = cli["state-file"] ?? DefaultStateFile(client.Server);
        var last = cli.Flag("from-start") ? 0 : ReadState(stateFile);
        var request = new SubscribeRequest
        {
            Site = cli.Get("site", ""),
            Sector = cli.Get("sector", ""),
            MinLevel = cli.Get("min-level", "") switch { "2" => AlarmLevel._2, "1" => AlarmLevel._1, "fault" => AlarmLevel.Fault, _ => AlarmLevel.Unspecified },
        };
        var console = colour ? AnsiConsole.Console : null;
        error.WriteLine($"Watching {client.Server} after event #{last} (state in {stateFile}); Ctrl-C to stop.");
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                request.AfterSequence = last;
                using var call = client.Hazards.Subscribe(request, cancellationToken: cancellationToken);
                await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    Print(response.Event, output, console);
                    last = response.Event.Sequence;
                    WriteState(stateFile, last);
                    backoff = TimeSpan.FromMilliseconds(500);
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange)
            {
                // The gateway no longer holds our resume point (or is a new gateway): re-read the state, then follow from there.
                error.WriteLine($"Resume point #{last} is gone ({ex.Status.Detail}). Current open records:");
                var page = await client.Hazards.ListHazardsAsync(new ListHazardsRequest
                {
                    Statuses = { HazardStatus.Open, HazardStatus.Acknowledged, HazardStatus.Graded, HazardStatus.Rectifying, HazardStatus.AwaitingVerification },
                    PageSize = 500,
                }, cancellationToken: cancellationToken);
                foreach (var record in page.Records)
                {
                    output.WriteLine(HazardText.RecordLine(record));
                }

                last = page.LastSequence;
                WriteState(stateFile, last);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument)
            {
                error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
                return 1;
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                error.WriteLine($"Disconnected ({ex.StatusCode}: {ex.Status.Detail}); resuming after #{last} in {backoff.TotalSeconds:0.#} s");
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 10_000));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return 0;
    }

    /// <summary>A new level-2 alarm rings the terminal bell.</summary>
    public static bool RingsBell(HazardEvent e) =>
        e.Alarm?.Level == AlarmLevel._2 && e.Kind is HazardEventKind.Raised or HazardEventKind.Escalated;

    private static void Print(HazardEvent e, TextWriter output, IAnsiConsole? console)
    {
        var line = HazardText.Event(e);
        if (console is null)
        {
            output.WriteLine(line);
        }
        else
        {
            var style = HazardText.HazardEventLevel(e) switch
            {
                AlarmLevel._2 => "bold white on red",
                AlarmLevel._1 => "bold yellow",
                AlarmLevel.Fault => "cyan",
                _ => "grey",
            };
            console.MarkupLine($"[{style}]{Markup.Escape(line)}[/]");
        }

        if (RingsBell(e))
        {
            output.Write('\a');
            output.Flush();
        }
    }

    private static string DefaultStateFile(Uri server)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".sensorgateway", $"watch-{server.Host}-{server.Port}.seq");
    }

    private static ulong ReadState(string path) =>
        File.Exists(path) && ulong.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0;

    private static void WriteState(string path, ulong last)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, last.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, path, overwrite: true);
    }
}
