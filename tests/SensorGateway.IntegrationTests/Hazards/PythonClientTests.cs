using System.Diagnostics;
using SensorGateway.Grpc.Security;
using SensorGateway.Grpc.V1;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>
/// The contract is language-neutral: Debian's python3-grpcio, with stubs generated from the same proto by grpc_tools,
/// subscribes, drives a record from open to closed, and meets FAILED_PRECONDITION on an illegal step.
/// </summary>
public sealed class PythonClientTests
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys
        import grpc
        sys.path.insert(0, sys.argv[1])
        from sensorgateway.v1 import hazards_pb2 as pb, hazards_pb2_grpc as rpc

        target, key = sys.argv[2], sys.argv[3]
        stub = rpc.HazardServiceStub(grpc.insecure_channel(target))
        md = [("x-api-key", key)]

        stream = stub.Subscribe(pb.SubscribeRequest(after_sequence=0, min_level=pb.ALARM_LEVEL_1), metadata=md, timeout=30)
        opened = None
        for response in stream:
            if response.event.kind == pb.HAZARD_EVENT_KIND_RECORD_OPENED:
                opened = response.event
                break
        stream.cancel()
        rid = opened.record.id

        def step(name, **fields):
            request = getattr(pb, name + "Request")(record_id=rid, request_id="py-" + name, operator="python", **fields)
            return getattr(stub, name)(request, metadata=md, timeout=10)

        step("AcknowledgeHazard")
        step("GradeHazard", grade=pb.HAZARD_GRADE_GENERAL)
        step("StartRectification")
        step("SubmitForVerification")
        step("VerifyHazard", passed=True)
        closed = step("CloseHazard", note="closed from python")
        try:
            stub.AcknowledgeHazard(pb.AcknowledgeHazardRequest(record_id=rid, request_id="py-again"), metadata=md, timeout=10)
            print("unexpected success")
        except grpc.RpcError as error:
            print(error.code().name, error.details())
        print(opened.sequence, rid, pb.HazardStatus.Name(closed.record.status), closed.sequence)
        """;

    [Fact]
    public async Task PythonClient_SubscribeAcknowledgeAndClose_ClosesRecordAndSeesFailedPrecondition()
    {
        var ct = TestContext.Current.CancellationToken;
        var (key, salt, hash) = ApiKeyHasher.Create();
        await using var gateway = await HazardTestGateway.StartAsync(ct, "http",
            "--HazardApi:Keys:0:Name=python", "--HazardApi:Keys:0:Role=supervisor", $"--HazardApi:Keys:0:Salt={salt}", $"--HazardApi:Keys:0:Hash={hash}");
        var id = await gateway.OpenRecordAsync("lel", ct);
        var work = Directory.CreateTempSubdirectory("sg-py-").FullName;
        try
        {
            var protos = Path.Combine(RepositoryRoot(), "src", "SensorGateway.Grpc", "Protos");
            var (genCode, _, genError) = await RunAsync(Python, ["-m", "grpc_tools.protoc", $"-I{protos}", $"--python_out={work}", $"--grpc_python_out={work}",
                "sensorgateway/v1/hazards.proto"], ct);
            Assert.True(genCode == 0, genError);
            var script = Path.Combine(work, "client.py");
            await File.WriteAllTextAsync(script, Script, ct);

            var (code, output, error) = await RunAsync(Python, [script, work, $"127.0.0.1:{gateway.GrpcUrl.Port}", key], ct);

            Assert.True(code == 0, error);
            Assert.Equal(
                [$"FAILED_PRECONDITION Hazard {id} is Closed: cannot Acknowledge. Allowed from: Open.", $"2 {id} HAZARD_STATUS_CLOSED 8"],
                output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var (client, channel) = gateway.Connect(key);
            using var _ = channel;
            var record = (await client.GetHazardAsync(new GetHazardRequest { RecordId = id }, cancellationToken: ct)).Record;
            Assert.Equal(HazardStatus.Closed, record.Status);
            Assert.Equal("python (python)", record.History[^1].Actor);
            Assert.Equal("closed from python", record.History[^1].Note);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SensorGateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SensorGateway.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
