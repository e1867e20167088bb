using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Profiles.Tests;

/// <summary>Golden folders testcases/profiles-invalid/&lt;case&gt;/: profile.yaml and load.err (every error, exactly as printed).</summary>
public sealed class FirmwareProfileLoaderTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "testcases", "profiles-invalid");

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(s_root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_InvalidProfile_ReportsEveryProblemWithItsPlace(string name)
    {
        var yaml = File.ReadAllText(Path.Combine(s_root, name, "profile.yaml"));
        var ex = Assert.Throws<ConfigurationFileException>(() => FirmwareProfileLoader.Parse("profile.yaml", yaml, "x/y"));
        var expected = File.ReadAllLines(Path.Combine(s_root, name, "load.err")).Where(l => l.Length > 0);
        Assert.Equal(expected, ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void LoadDirectory_OneBrokenProfile_ReportsItByFileAndLoadsNothing()
    {
        var root = Directory.CreateTempSubdirectory("profiles-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "v"));
            File.WriteAllText(Path.Combine(root, "v", "good.yaml"), "identity: { vendor: V, model: G }\nmodbus: { addressing: zero-based }\nchannels:\n  - { name: a, quantity: q, unit: u, table: input, address: 0, type: uint16 }\n");
            File.WriteAllText(Path.Combine(root, "v", "bad.yaml"), "identity: { vendor: V, model: B }\nmodbus: { addressing: zero-based }\nchannels:\n  - { name: a, quantity: q, unit: u, table: input, address: 0, type: uint17 }\n");

            var ex = Assert.Throws<ConfigurationFileException>(() => FirmwareProfileLoader.LoadDirectory(root));

            var error = Assert.Single(ex.Errors);
            Assert.Equal(Path.Combine(root, "v", "bad.yaml"), error.File);
            Assert.Equal((4, 5, "channels[0].type"), (error.Line, error.Column, error.Field));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
