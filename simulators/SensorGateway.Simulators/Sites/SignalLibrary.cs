using SensorGateway.Core.Sites;
using SensorGateway.Simulators.Signals;

namespace SensorGateway.Simulators.Sites;

/// <summary>
/// The quiet behaviour of a healthy site, per quantity: values stay well inside the sector packs' limits
/// (domain brief §1, §3, §4, §7). Gas reads near zero with sensor noise; tank temperature follows the day;
/// fuel levels fall with sales; a closed tank's pressure follows its temperature.
/// </summary>
internal static class SignalLibrary
{
    /// <param name="stream">The channel's position in the site: separates the noise of channels sharing a seed.</param>
    /// <param name="siblings">Signals already built for the device, by channel id (for channels that follow another).</param>
    public static IChannelSignal For(ChannelDefinition channel, int seed, int stream, double startHour, IReadOnlyDictionary<string, IChannelSignal> siblings)
    {
        var name = channel.Id.Channel;
        var group = name.LastIndexOf('.') is var dot and > 0 ? name[..(dot + 1)] : "";
        var variation = SignalNoise.Uniform(seed, stream, -1L); // a per-channel constant in [-1, 1)
        return channel.Quantity switch
        {
            "gas.combustible" => new SteadySignal(1.5, 0.5, seed, stream),
            "gas.combustible.path" => new SteadySignal(0.1, 0.05, seed, stream),
            "gas.oxygen" => new SteadySignal(20.9, 0.05, seed, stream),
            "gas.h2s" or "gas.co" or "gas.nh3" or "gas.cl2" or "gas.so2" or "gas.no2" or "gas.benzene" or "gas.hcn" =>
                new SteadySignal(0.4, 0.3, seed, stream),
            "tank.product_level" => new TankLevelSignal(1400 + (100 * TankNumber(group)), 0.05, 200, 0.3, seed, stream),
            "tank.water_level" => new SteadySignal(8 + (3 * variation), 0.2, seed, stream),
            "tank.temperature" => new DiurnalSignal(18 + (2 * variation), 3, 15, startHour, 0.05, seed, stream),
            "tank.volume" or "tank.tc_volume" => Following(siblings, group + "product_level", 0, 0, 12, 3, seed, stream),
            "tank.ullage" => Following(siblings, group + "product_level", 0, 30_000, -12, 3, seed, stream),
            "tank.level" => new TankLevelSignal(9, 0.0005, 0.5, 0.002, seed, stream),
            "tank.pressure" => Following(siblings, group + "temperature", 18, 2.0, 0.35, 0.02, seed, stream),
            "tank.fill_percent" => new TankLevelSignal(62 + (10 * variation), 0.002, 5, 0.02, seed, stream),
            "pressure.inlet" => new SteadySignal(1.2, 0.01, seed, stream),
            "pressure.outlet" => new SteadySignal(0.35, 0.002, seed, stream),
            "valve.state" => new SteadySignal(name.Contains("closed", StringComparison.Ordinal) ? 0 : 1, 0, seed, stream),
            "device.running_hours" => new SteadySignal(12_000 + (1000 * variation), 0, seed, stream),
            _ => new SteadySignal(0, 0, seed, stream),
        };
    }

    // tank3. -> 3: tanks of one gauge start at different, predictable levels.
    private static int TankNumber(string group) =>
        int.TryParse(new string([.. group.Where(char.IsAsciiDigit)]), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;

    private static IChannelSignal Following(IReadOnlyDictionary<string, IChannelSignal> siblings, string leader, double reference,
        double baseline, double gain, double noise, int seed, int stream) =>
        siblings.ContainsKey(leader)
            ? new FollowingSignal(new LateBoundSignal(() => siblings[leader]), reference, baseline, gain, noise, seed, stream)
            : new SteadySignal(baseline, noise, seed, stream);
}
