using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using SensorGateway.Grpc.V1;
using SensorGateway.IntegrationTests.Infrastructure;
using HealthClient = global::Grpc.Health.V1.Health.HealthClient;
using HealthRequest = global::Grpc.Health.V1.HealthCheckRequest;
using ServingStatus = global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>The gateway as a child process (<c>dotnet sensorgateway.dll</c>) killed with SIGKILL mid-stream, restarted, resumed.</summary>
public sealed class HazardCrashTests
{
    [Fact]
    public async Task Subscribe_GatewayKilledWithSigkillAndRestarted_ResumesContiguousWithEveryCommittedCommand()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("sg-hz-kill-").FullName;
        var site = TestSites.UniqueId("it-kill");
        var topic = $"{site}/gd-01";
        var siteFile = Path.Combine(directory, "site.yaml");
        await File.WriteAllTextAsync(siteFile, TestSites.OneGasDetector(site, topic), ct);
        int httpPort = FreePort.Next(), grpcPort = FreePort.Next(), mqttPort = FreePort.Next();
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "sensorgateway.dll"), "run",
            $"--Gateway:SiteFile={siteFile}", $"--Gateway:HttpUrl=http://127.0.0.1:{httpPort}", $"--Gateway:GrpcUrl=http://127.0.0.1:{grpcPort}",
            "--Mqtt:Host=", $"--Mqtt:EmbeddedPort={mqttPort}", $"--Storage:LocalDirectory={Path.Combine(directory, "readings")}",
            $"--Hazards:DatabasePath={Path.Combine(directory, "hazards.db")}", "--Logging:LogLevel:Default=Warning",
        ];
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var client = new HazardService.HazardServiceClient(channel);
        var child = await StartChildAsync(args, channel, ct);
        try
        {
            // One real alarm through MQTT opens the record; the loop Submit ⇄ VerifyFail then makes as many events as wanted.
            await using (var device = await MqttTestPublisher.ConnectAsync("127.0.0.1", mqttPort, ct))
            {
                await device.PublishReadingAsync(topic, 1, 30, DateTimeOffset.UtcNow, ct);
            }

            var id = (await Eventually.ReturnsAsync(async t => (await client.ListHazardsAsync(new(), cancellationToken: t)).Records.FirstOrDefault(),
                "the hazard record opened by the alarm", ct)).Id;
            await client.AcknowledgeHazardAsync(new() { RecordId = id, RequestId = "ack" }, cancellationToken: ct);
            await client.GradeHazardAsync(new() { RecordId = id, RequestId = "grade", Grade = HazardGrade.General }, cancellationToken: ct);
            await client.StartRectificationAsync(new() { RecordId = id, RequestId = "start" }, cancellationToken: ct);

            var received = new List<HazardEvent>();
            var committed = new List<(string RequestId, ulong Sequence)>();
            var step = 0;
            var subscriber = ReadUntilFailureAsync(client, 0, received, ct);

            // Phase 1: commands while subscribed; SIGKILL once the subscriber has 150 events and commands are in flight.
            string? inFlight = null;
            while (true)
            {
                if (received.Count >= 150 && !child.HasExited)
                {
                    var pending = NextCommandAsync(client, id, step, ct);
                    inFlight = RequestId(step);
                    child.Kill();
                    try
                    {
                        committed.Add((inFlight, await pending));
                        inFlight = null;
                        step++;
                    }
                    catch (RpcException)
                    {
                        // Killed before the answer: committed or not, the retry below finds out.
                    }

                    break;
                }

                committed.Add((RequestId(step), await NextCommandAsync(client, id, step, ct)));
                step++;
            }

            await child.WaitForExitAsync(ct);
            await subscriber;
            var beforeKill = received.Count;

            // Phase 2: restart on the same database, retry the unanswered command with its request id, carry on, resume.
            child.Dispose();
            child = await StartChildAsync(args, channel, ct);
            if (inFlight is not null)
            {
                committed.Add((inFlight, await NextCommandAsync(client, id, step, ct)));
                step++;
            }

            for (var i = 0; i < 50; i++, step++)
            {
                committed.Add((RequestId(step), await NextCommandAsync(client, id, step, ct)));
            }

            var last = (await client.GetHazardAsync(new() { RecordId = id }, cancellationToken: ct)).LastSequence;
            using (var resume = client.Subscribe(new SubscribeRequest { AfterSequence = received[^1].Sequence }, cancellationToken: ct))
            {
                while (received[^1].Sequence < last && await resume.ResponseStream.MoveNext(ct))
                {
                    received.Add(resume.ResponseStream.Current.Event);
                }
            }

            var list = await client.ListHazardsAsync(new(), cancellationToken: ct);
            Assert.True(beforeKill >= 150, $"only {beforeKill} events before the kill");
            Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (ulong)i), received.Select(e => e.Sequence));
            var logged = received.Where(e => e.RequestId.Length > 0).ToDictionary(e => e.RequestId, e => e.Sequence);
            Assert.All(committed, c => Assert.Equal(c.Sequence, logged[c.RequestId]));
            Assert.Equal([id], list.Records.Select(r => r.Id));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
                await child.WaitForExitAsync(CancellationToken.None);
            }

            child.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string RequestId(int step) => $"step-{step}";

    // Rectifying → submit → awaiting verification → fail → rectifying → …
    private static async Task<ulong> NextCommandAsync(HazardService.HazardServiceClient client, string id, int step, CancellationToken ct) =>
        step % 2 == 0
            ? (await client.SubmitForVerificationAsync(new() { RecordId = id, RequestId = RequestId(step) }, cancellationToken: ct)).Sequence
            : (await client.VerifyHazardAsync(new() { RecordId = id, RequestId = RequestId(step), Passed = false, Note = "not yet" }, cancellationToken: ct)).Sequence;

    private static async Task ReadUntilFailureAsync(HazardService.HazardServiceClient client, ulong after, List<HazardEvent> received, CancellationToken ct)
    {
        try
        {
            using var call = client.Subscribe(new SubscribeRequest { AfterSequence = after }, cancellationToken: ct);
            while (await call.ResponseStream.MoveNext(ct))
            {
                received.Add(call.ResponseStream.Current.Event);
            }
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled)
        {
            // The gateway died under the stream.
        }
    }

    private static async Task<Process> StartChildAsync(string[] args, GrpcChannel channel, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var health = new HealthClient(channel);
        await Eventually.ReturnsValueAsync<bool>(async t =>
        {
            try
            {
                return (await health.CheckAsync(new HealthRequest(), cancellationToken: t)).Status == ServingStatus.Serving ? true : null;
            }
            catch (RpcException)
            {
                return null;
            }
        }, "the gateway child process serving gRPC", ct, timeoutSeconds: 60);
        return process;
    }
}
