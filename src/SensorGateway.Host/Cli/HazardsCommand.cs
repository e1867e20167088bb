using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Host.Cli;

/// <summary><c>hazards list|show|ack|grade|start|submit|verify|close|withdraw|shelve|unshelve</c>: the duty officer's steps.</summary>
internal static class HazardsCommand
{
    public const string Usage = """
          sensorgateway hazards list [--status open,acknowledged,...] [--site S] [--sector S] [--min-level 1|2]
          sensorgateway hazards show ID
          sensorgateway hazards ack ID                               签收
          sensorgateway hazards grade ID --grade general|major [--measures .. --funds .. --responsible .. --deadline 2026-12-31 --interim ..]
          sensorgateway hazards start ID                             整改
          sensorgateway hazards submit ID                            申请验收
          sensorgateway hazards verify ID --passed | --failed        验收
          sensorgateway hazards close ID                             销号
          sensorgateway hazards withdraw ID --reason .. --approver ..  误报撤销
          sensorgateway hazards shelve ID --for 00:30:00  |  hazards unshelve ID
            common: --server URL --api-key KEY [--ca-file PEM] [--operator NAME] [--note TEXT] [--request-id ID]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var cli = new CliArguments(args);
        if (cli.Positional.Count == 0)
        {
            error.WriteLine("hazards: give a step: list, show, ack, grade, start, submit, verify, close, withdraw, shelve, unshelve");
            return 2;
        }

        var step = cli.Positional[0].ToLowerInvariant();
        var id = cli.Positional.Count > 1 ? cli.Positional[1] : "";
        if (step != "list" && id.Length == 0)
        {
            error.WriteLine($"hazards {step}: give the record id, e.g. hazards {step} YH-20261129-0001");
            return 2;
        }

        using var client = new OfficerClient(cli);
        var hazards = client.Hazards;
        var requestId = cli["request-id"] ?? Guid.NewGuid().ToString("N");
        var who = cli.Get("operator", "");
        var note = cli.Get("note", "");
        try
        {
            HazardRecord record;
            ulong sequence = 0;
            switch (step)
            {
                case "list":
                    return await ListAsync(hazards, cli, output, cancellationToken).ConfigureAwait(false);
                case "show":
                    foreach (var line in HazardText.RecordDetail((await hazards.GetHazardAsync(new() { RecordId = id }, cancellationToken: cancellationToken)).Record))
                    {
                        output.WriteLine(line);
                    }

                    return 0;
                case "ack" or "acknowledge":
                    {
                        var reply = await hazards.AcknowledgeHazardAsync(new() { RecordId = id, RequestId = requestId, Operator = who, Note = note }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "grade":
                    var grade = cli.Get("grade", "") switch
                    {
                        "general" or "一般" => HazardGrade.General,
                        "major" or "重大" => HazardGrade.Major,
                        _ => HazardGrade.Unspecified,
                    };
                    var request = new GradeHazardRequest { RecordId = id, RequestId = requestId, Operator = who, Note = note, Grade = grade };
                    if (cli["measures"] is not null || cli["deadline"] is not null)
                    {
                        request.Plan = new RectificationPlan
                        {
                            Measures = cli.Get("measures", ""),
                            Funds = cli.Get("funds", ""),
                            ResponsiblePerson = cli.Get("responsible", ""),
                            InterimMeasures = cli.Get("interim", ""),
                            Deadline = cli["deadline"] is { } d ? Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(d, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)) : null,
                        };
                    }

                    {
                        var reply = await hazards.GradeHazardAsync(request, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "start":
                    {
                        var reply = await hazards.StartRectificationAsync(new() { RecordId = id, RequestId = requestId, Operator = who, Note = note }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "submit":
                    {
                        var reply = await hazards.SubmitForVerificationAsync(new() { RecordId = id, RequestId = requestId, Operator = who, Note = note }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "verify":
                    if (cli.Flag("passed") == cli.Flag("failed"))
                    {
                        error.WriteLine("hazards verify: give exactly one of --passed or --failed");
                        return 2;
                    }

                    {
                        var reply = await hazards.VerifyHazardAsync(new() { RecordId = id, RequestId = requestId, Operator = who, Note = note, Passed = cli.Flag("passed") }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "close":
                    {
                        var reply = await hazards.CloseHazardAsync(new() { RecordId = id, RequestId = requestId, Operator = who, Note = note }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "withdraw":
                    {
                        var reply = await hazards.WithdrawHazardAsync(new()
                    {
                        RecordId = id, RequestId = requestId, Operator = who, Note = note, Reason = cli.Get("reason", ""), Approver = cli.Get("approver", ""),
                    }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "shelve":
                    if (!TimeSpan.TryParse(cli.Get("for", ""), CultureInfo.InvariantCulture, out var duration))
                    {
                        error.WriteLine("hazards shelve: give the duration with --for hh:mm:ss");
                        return 2;
                    }

                    {
                        var reply = await hazards.ShelveAlarmAsync(new() { RecordId = id, RequestId = requestId, Operator = who, Note = note, Duration = Duration.FromTimeSpan(duration) }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                case "unshelve":
                    {
                        var reply = await hazards.UnshelveAlarmAsync(new() { RecordId = id, RequestId = requestId, Operator = who, Note = note }, cancellationToken: cancellationToken);
                        (record, sequence) = (reply.Record, reply.Sequence);
                    }
                    break;
                default:
                    error.WriteLine($"hazards: unknown step '{step}'");
                    return 2;
            }

            output.WriteLine($"{record.Id} {HazardText.Status(record.Status)} (event #{sequence}, request {requestId})");
            return 0;
        }
        catch (RpcException ex)
        {
            error.WriteLine($"{ex.StatusCode}: {ex.Status.Detail}");
            return 1;
        }
    }

    private static async Task<int> ListAsync(HazardService.HazardServiceClient hazards, CliArguments cli, TextWriter output, CancellationToken cancellationToken)
    {
        var request = new ListHazardsRequest
        {
            Site = cli.Get("site", ""),
            Sector = cli.Get("sector", ""),
            MinLevel = cli.Get("min-level", "") switch { "2" => AlarmLevel._2, "1" => AlarmLevel._1, "fault" => AlarmLevel.Fault, _ => AlarmLevel.Unspecified },
            PageSize = 200,
        };
        foreach (var status in cli.Get("status", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            request.Statuses.Add(System.Enum.GetValues<HazardStatus>().FirstOrDefault(s => HazardText.Status(s) == status.ToLowerInvariant()));
        }

        var count = 0;
        do
        {
            var page = await hazards.ListHazardsAsync(request, cancellationToken: cancellationToken);
            foreach (var record in page.Records)
            {
                output.WriteLine(HazardText.RecordLine(record));
                count++;
            }

            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        output.WriteLine($"{count} record(s)");
        return 0;
    }
}
