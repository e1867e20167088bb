using Microsoft.Extensions.Options;
using SensorGateway.Host;
using SensorGateway.Host.Cli;
using SensorGateway.Host.Tools;
using SensorGateway.Profiles;

var command = GatewayCommand.Parse(args);
switch (command.Verb)
{
    case GatewayCommand.Help:
        Console.WriteLine(command.ConfigurationArgs.Length > 0 ? command.ConfigurationArgs[0] + Environment.NewLine : "");
        Console.WriteLine(GatewayCommand.Usage);
        return command.ConfigurationArgs.Length > 0 ? 2 : 0;
    case GatewayCommand.Check:
        return SiteCheck.Run(command.ConfigurationArgs, Console.Out, Console.Error);
    case GatewayCommand.Registers when command.ConfigurationArgs is ["suggest", .. var suggestArgs]:
        return await RegisterSuggestCommand.RunAsync(suggestArgs, Console.Out, Console.Error, CancellationToken.None);
    case GatewayCommand.Spool:
        return await SpoolCommand.RunAsync(command.ConfigurationArgs, Console.Out, Console.Error, CancellationToken.None);
    case GatewayCommand.Registers:
        Console.Error.WriteLine("registers: the only subcommand is 'suggest'; see 'sensorgateway help'");
        return 2;
    case GatewayCommand.ApiKey:
        return ApiKeyCommand.Run(command.ConfigurationArgs, Console.Out, Console.Error);
    case GatewayCommand.Alarms or GatewayCommand.Hazards:
        using (var stop = new CancellationTokenSource())
        {
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            return command.Verb == GatewayCommand.Alarms
                ? await AlarmsWatchCommand.RunAsync(command.ConfigurationArgs, Console.Out, Console.Error, !Console.IsOutputRedirected, stop.Token)
                : await HazardsCommand.RunAsync(command.ConfigurationArgs, Console.Out, Console.Error, stop.Token);
        }
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
