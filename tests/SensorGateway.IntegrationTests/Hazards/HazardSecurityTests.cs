using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.Extensions.Options;
using SensorGateway.Grpc.Security;
using SensorGateway.Grpc.V1;
using SensorGateway.Host;
using SensorGateway.IntegrationTests.Infrastructure;
using HealthClient = global::Grpc.Health.V1.Health.HealthClient;
using HealthRequest = global::Grpc.Health.V1.HealthCheckRequest;
using ServingStatus = global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SensorGateway.IntegrationTests.Hazards;

/// <summary>API keys, roles and TLS over real Kestrel.</summary>
public sealed class HazardSecurityTests
{
    private static readonly string[] s_roles = ["viewer", "officer", "supervisor", "admin"];

    /// <summary>Every RPC, called so that it gets past authorisation quickly (unknown record, resume point beyond the log).</summary>
    private static readonly Dictionary<string, Func<HazardService.HazardServiceClient, CancellationToken, Task>> s_calls = new()
    {
        ["Subscribe"] = async (c, ct) =>
        {
            using var call = c.Subscribe(new SubscribeRequest { AfterSequence = 1_000 }, cancellationToken: ct);
            await call.ResponseStream.MoveNext(ct);
        },
        ["ListHazards"] = async (c, ct) => await c.ListHazardsAsync(new ListHazardsRequest(), cancellationToken: ct),
        ["GetHazard"] = async (c, ct) => await c.GetHazardAsync(new GetHazardRequest { RecordId = "YH-none" }, cancellationToken: ct),
        ["AcknowledgeHazard"] = async (c, ct) => await c.AcknowledgeHazardAsync(new() { RecordId = "YH-none", RequestId = "r" }, cancellationToken: ct),
        ["GradeHazard"] = async (c, ct) => await c.GradeHazardAsync(new() { RecordId = "YH-none", RequestId = "r", Grade = HazardGrade.General }, cancellationToken: ct),
        ["StartRectification"] = async (c, ct) => await c.StartRectificationAsync(new() { RecordId = "YH-none", RequestId = "r" }, cancellationToken: ct),
        ["SubmitForVerification"] = async (c, ct) => await c.SubmitForVerificationAsync(new() { RecordId = "YH-none", RequestId = "r" }, cancellationToken: ct),
        ["VerifyHazard"] = async (c, ct) => await c.VerifyHazardAsync(new() { RecordId = "YH-none", RequestId = "r", Passed = true }, cancellationToken: ct),
        ["CloseHazard"] = async (c, ct) => await c.CloseHazardAsync(new() { RecordId = "YH-none", RequestId = "r" }, cancellationToken: ct),
        ["WithdrawHazard"] = async (c, ct) => await c.WithdrawHazardAsync(new() { RecordId = "YH-none", RequestId = "r", Reason = "x", Approver = "y" }, cancellationToken: ct),
        ["ShelveAlarm"] = async (c, ct) => await c.ShelveAlarmAsync(new() { RecordId = "YH-none", RequestId = "r", Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) }, cancellationToken: ct),
        ["UnshelveAlarm"] = async (c, ct) => await c.UnshelveAlarmAsync(new() { RecordId = "YH-none", RequestId = "r" }, cancellationToken: ct),
    };

    private static (string[] Settings, Dictionary<string, string> Keys) KeySettings()
    {
        var settings = new List<string>();
        var keys = new Dictionary<string, string>();
        for (var i = 0; i < s_roles.Length; i++)
        {
            var (key, salt, hash) = ApiKeyHasher.Create();
            keys[s_roles[i]] = key;
            settings.AddRange([$"--HazardApi:Keys:{i}:Name={s_roles[i]}-key", $"--HazardApi:Keys:{i}:Role={s_roles[i]}",
                $"--HazardApi:Keys:{i}:Salt={salt}", $"--HazardApi:Keys:{i}:Hash={hash}"]);
        }

        return ([.. settings], keys);
    }

    [Fact]
    public async Task EveryRpc_EachCaller_MatchesPermissionMatrix()
    {
        var ct = TestContext.Current.CancellationToken;
        var (settings, keys) = KeySettings();
        await using var gateway = await HazardTestGateway.StartAsync(ct, "http", settings);
        var callers = new Dictionary<string, string?> { ["none"] = null, ["unknown"] = "not-a-key" };
        foreach (var role in s_roles)
        {
            callers[role] = keys[role];
        }

        var expected = new List<string>();
        var actual = new List<string>();
        foreach (var (caller, key) in callers)
        {
            var (client, channel) = gateway.Connect(key);
            using var _ = channel;
            foreach (var (method, call) in s_calls)
            {
                var required = HazardPermissions.Required($"/sensorgateway.v1.HazardService/{method}");
                var outcome = key is null or "not-a-key" ? "Unauthenticated"
                    : Enum.Parse<HazardRole>(caller, ignoreCase: true) < required ? "PermissionDenied" : "allowed";
                expected.Add($"{caller} {method}: {outcome}");
                actual.Add($"{caller} {method}: {await OutcomeAsync(call, client, ct)}");
            }
        }

        Assert.Equal(expected, actual);
        Assert.Equal(72, actual.Count);
        Assert.Contains("viewer CloseHazard: PermissionDenied", actual);
        Assert.Contains("officer AcknowledgeHazard: allowed", actual);
        Assert.Contains("officer CloseHazard: PermissionDenied", actual);
        Assert.Contains("supervisor WithdrawHazard: allowed", actual);
    }

    [Fact]
    public async Task HealthAndReflection_KeysConfiguredNoKeyGiven_StayAnonymous()
    {
        var ct = TestContext.Current.CancellationToken;
        var (settings, _) = KeySettings();
        await using var gateway = await HazardTestGateway.StartAsync(ct, "http", settings);
        var (_, channel) = gateway.Connect();
        using var __ = channel;

        var health = await new HealthClient(channel).CheckAsync(new HealthRequest(), cancellationToken: ct);
        using var reflection = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: ct);
        await reflection.RequestStream.WriteAsync(new() { ListServices = "" }, ct);
        Assert.True(await reflection.ResponseStream.MoveNext(ct));
        await reflection.RequestStream.CompleteAsync();

        Assert.Equal(ServingStatus.Serving, health.Status);
        Assert.Contains("sensorgateway.v1.HazardService", reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task StartAsync_NoKeysOnNonLoopbackBinding_RefusesToStartNamingTheFix()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("sg-hz-anon-").FullName;
        try
        {
            var siteFile = Path.Combine(directory, "site.yaml");
            await File.WriteAllTextAsync(siteFile, TestSites.OneGasDetector("it-anon", "it-anon/gd-01"), ct);
            await using var app = GatewayApplication.Build([
                $"--Gateway:SiteFile={siteFile}", $"--Gateway:GrpcUrl=http://0.0.0.0:{FreePort.Next()}", $"--Gateway:HttpUrl=http://127.0.0.1:{FreePort.Next()}",
                "--Gateway:AllowPlaintextOnNetwork=true", $"--Hazards:DatabasePath={Path.Combine(directory, "h.db")}",
                $"--Storage:LocalDirectory={Path.Combine(directory, "readings")}", "--Mqtt:Host=", "--Mqtt:EmbeddedPort=0"]);

            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(ct));

            Assert.Contains("HazardApi:Keys is empty; add API keys (sensorgateway apikey new) or bind 127.0.0.1.", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ListHazards_TlsWithConfiguredSelfSignedCertificate_ServesThatCertificate()
    {
        var ct = TestContext.Current.CancellationToken;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var folder = Directory.CreateTempSubdirectory("sg-tls-").FullName;
        var certFile = Path.Combine(folder, "grpc.pem");
        var keyFile = Path.Combine(folder, "grpc.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem(), ct);
        await File.WriteAllTextAsync(keyFile, rsa.ExportPkcs8PrivateKeyPem(), ct);
        var (settings, keys) = KeySettings();
        try
        {
            await using var gateway = await HazardTestGateway.StartAsync(ct, "https",
                [.. settings, $"--HazardApi:CertificateFile={certFile}", $"--HazardApi:CertificateKeyFile={keyFile}"]);
            string? seen = null;
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                {
                    seen = presented?.Thumbprint;
                    return presented?.Thumbprint == certificate.Thumbprint;
                },
            };
            var (client, channel) = gateway.Connect(keys["viewer"], handler);
            using var _ = channel;

            var reply = await client.ListHazardsAsync(new ListHazardsRequest(), cancellationToken: ct);

            Assert.Empty(reply.Records);
            Assert.Equal(certificate.Thumbprint, seen);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> OutcomeAsync(Func<HazardService.HazardServiceClient, CancellationToken, Task> call, HazardService.HazardServiceClient client, CancellationToken ct)
    {
        try
        {
            await call(client, ct);
            return "allowed";
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            return ex.StatusCode.ToString();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.OutOfRange or StatusCode.FailedPrecondition)
        {
            return "allowed";
        }
    }
}
