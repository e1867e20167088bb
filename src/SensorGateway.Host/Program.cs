using Microsoft.Extensions.Options;
using SensorGateway.Edge.Mqtt;
using SensorGateway.Grpc;
using SensorGateway.Host.Cli;
using SensorGateway.Host.Configuration;
using SensorGateway.Host.Demo;
using SensorGateway.Host.Pipeline;
using SensorGateway.Host.Telemetry;
using SensorGateway.Profiles;
using SensorGateway.Storage;

var command = GatewayCommand.Parse(args);
switch (command.Verb)
{
    case GatewayCommand.Help:
        Console.WriteLine(command.ConfigurationArgs.Length > 0 ? command.ConfigurationArgs[0] + Environment.NewLine : "");
        Console.WriteLine(GatewayCommand.Usage);
        return command.ConfigurationArgs.Length > 0 ? 2 : 0;
    case GatewayCommand.Check:
        return CheckCommand.Run(command.ConfigurationArgs, Console.Out, Console.Error);
}

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = command.ConfigurationArgs,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.Configuration.AddEnvironmentVariables("SG_");
    builder.Configuration.AddCommandLine(command.ConfigurationArgs);

    builder.AddGatewaySite();
    builder.AddGatewayTelemetry();
    builder.AddGatewayEndpoints();
    builder.AddMqttIngest();
    builder.AddReadingStorage();
    builder.AddHazardService();
    builder.AddReadingPipeline();
    builder.AddDemoSimulator();

    var app = builder.Build();
    app.MapGatewayTelemetry();
    app.MapHazardService();
    await app.RunAsync();
    return 0;
}
catch (ConfigurationFileException ex)
{
    Console.Error.WriteLine($"Configuration error: {ex.Message}");
    return 2;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine($"Configuration error: {string.Join(Environment.NewLine + "  ", ex.Failures)}");
    return 2;
}
