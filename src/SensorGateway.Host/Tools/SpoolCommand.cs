using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SensorGateway.Storage.Forwarding;
using SensorGateway.Storage.Influx;
using SensorGateway.Storage.Spool;

namespace SensorGateway.Host.Tools;

/// <summary>
/// The local store's two ways out, for a gateway that ran without a database (or a spool carried off site):
/// <c>spool export --dir DIR [--sector CODE] [--out FILE]</c> writes every pending reading as line protocol;
/// <c>spool forward --dir DIR --mode InfluxV1|InfluxV2 --url URL [--database DB | --org ORG --bucket BUCKET --token T]</c>
/// drains it into a database, removing only what the database confirmed. Run either while the gateway using that
/// spool is stopped (the spool refuses a second user).
/// </summary>
internal static class SpoolCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var directory = SiteCheck.Option(args, "--dir");
        if (args.Length == 0 || args[0] is not ("export" or "forward") || directory is null)
        {
            error.WriteLine("usage: spool export --dir DIR [--sector CODE] [--out FILE]");
            error.WriteLine("       spool forward --dir DIR --mode InfluxV1|InfluxV2 --url URL [--database DB] [--org ORG --bucket BUCKET --token TOKEN]");
            return 2;
        }

        if (!Directory.Exists(directory))
        {
            error.WriteLine($"spool: no spool folder at {directory}");
            return 2;
        }

        await using var spool = FileReadingSpool.Open(new FileSpoolOptions { Directory = directory });
        return args[0] == "export"
            ? await ExportAsync(spool, args, output, cancellationToken).ConfigureAwait(false)
            : await ForwardAsync(spool, args, output, error, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ExportAsync(IReadingSpool spool, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var lineProtocol = new LineProtocol(SiteCheck.Option(args, "--sector") ?? "unknown");
        var file = SiteCheck.Option(args, "--out");
        var writer = file is null ? output : new StreamWriter(file, append: false, new UTF8Encoding(false));
        var count = 0L;
        try
        {
            var line = new StringBuilder(200);
            await foreach (var reading in spool.ReadPendingAsync(cancellationToken).ConfigureAwait(false))
            {
                line.Clear();
                lineProtocol.Append(line, reading);
                await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
                count++;
            }
        }
        finally
        {
            if (file is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"spool: exported {count} readings to {file}").ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task<int> ForwardAsync(IReadingSpool spool, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = new StorageOptions
        {
            Mode = Enum.TryParse<StorageMode>(SiteCheck.Option(args, "--mode"), ignoreCase: true, out var mode) ? mode : StorageMode.Local,
            Url = Uri.TryCreate(SiteCheck.Option(args, "--url"), UriKind.Absolute, out var url) ? url : null,
            Database = SiteCheck.Option(args, "--database"),
            Org = SiteCheck.Option(args, "--org"),
            Bucket = SiteCheck.Option(args, "--bucket"),
            Token = SiteCheck.Option(args, "--token"),
            LocalDirectory = Path.GetDirectoryName(Path.GetFullPath(SiteCheck.Option(args, "--dir")!))!,
        };
        var problems = options.Mode == StorageMode.Local ? ["--mode must be InfluxV1 or InfluxV2"] : options.Validate().ToList();
        if (problems.Count > 0)
        {
            problems.ForEach(p => error.WriteLine($"spool forward: {p}"));
            return 2;
        }

        var lineProtocol = new LineProtocol(SiteCheck.Option(args, "--sector") ?? "unknown", options.Precision);
        using var http = new HttpClient();
        using var v2 = options.Mode == StorageMode.InfluxV2 ? new InfluxV2ReadingSink(Options.Create(options), lineProtocol) : null;
        Core.Pipeline.IReadingSink database = v2 is not null ? v2 : new InfluxV1ReadingSink(http, Options.Create(options), lineProtocol);
        var quarantine = new QuarantineFile(Path.Combine(options.LocalDirectory, "quarantine"), lineProtocol, TimeProvider.System);
        using var forwarder = new SpoolForwarder(spool, database, quarantine, options.BatchSize, TimeProvider.System, NullLogger<SpoolForwarder>.Instance, options.WritesInFlight);
        var pending = spool.Counters.PendingRecords;
        await forwarder.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (spool.Counters.PendingRecords + spool.Counters.InFlightRecords > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await forwarder.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        output.WriteLine($"spool: forwarded {forwarder.Written} of {pending} readings; {quarantine.Count} refused as invalid (in {quarantine.Directory})");
        return 0;
    }
}
