using Grpc.Core;
using Grpc.Net.Client;
using SensorGateway.Grpc.Security;
using SensorGateway.Grpc.V1;

namespace SensorGateway.Host.Cli;

/// <summary>
/// The gRPC connection of the officer verbs: <c>--server</c> (or SG_SERVER; default http://127.0.0.1:5081) and
/// <c>--api-key</c> (or SG_API_KEY), sent as <c>x-api-key</c> on every call. For https servers with a private CA,
/// <c>--ca-file PEM</c> trusts that certificate authority.
/// </summary>
internal sealed class OfficerClient : IDisposable
{
    public const string DefaultServer = "http://127.0.0.1:5081";

    private readonly GrpcChannel _channel;

    public OfficerClient(CliArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Server = new Uri(args["server"] ?? Environment.GetEnvironmentVariable("SG_SERVER") ?? DefaultServer);
        var apiKey = args["api-key"] ?? Environment.GetEnvironmentVariable("SG_API_KEY");
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (args["ca-file"] is { } caFile)
        {
            var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (errors == System.Net.Security.SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || chain is null)
                {
                    return false;
                }

                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
            };
        }

        var options = new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true };
        if (apiKey is { Length: > 0 })
        {
            var secure = Server.Scheme == Uri.UriSchemeHttps;
            options.Credentials = ChannelCredentials.Create(secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
                CallCredentials.FromInterceptor((_, metadata) =>
                {
                    metadata.Add(HazardApiOptions.ApiKeyHeader, apiKey);
                    return Task.CompletedTask;
                }));

            // Plaintext only reaches a loopback gateway (the gateway refuses plaintext beyond loopback unless told otherwise).
            options.UnsafeUseInsecureChannelCallCredentials = !secure;
        }

        _channel = GrpcChannel.ForAddress(Server, options);
        Hazards = new HazardService.HazardServiceClient(_channel);
    }

    public Uri Server { get; }

    public HazardService.HazardServiceClient Hazards { get; }

    public void Dispose() => _channel.Dispose();
}
