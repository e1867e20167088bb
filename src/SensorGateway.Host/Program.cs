using Microsoft.Extensions.Options;
using SensorGateway.Host;
using SensorGateway.Host.Cli;
using SensorGateway.Profiles;

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
    await using var app = GatewayApplication.Build(command.ConfigurationArgs);
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
