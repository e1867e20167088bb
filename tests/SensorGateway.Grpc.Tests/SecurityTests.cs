using SensorGateway.Grpc.Security;

namespace SensorGateway.Grpc.Tests;

public sealed class ApiKeyHasherTests
{
    [Fact]
    public void Matches_KeyFromCreate_TrueForItFalseForAnother()
    {
        var (key, salt, hash) = ApiKeyHasher.Create();

        Assert.True(ApiKeyHasher.Matches(salt, hash, key));
        Assert.False(ApiKeyHasher.Matches(salt, hash, key + "x"));
        Assert.Equal(43, key.Length);
        Assert.Equal(64, hash.Length);
    }

    [Fact]
    public void Hash_KnownSaltAndKey_IsSha256OfSaltThenKey()
    {
        // SHA-256 of the bytes 00 01 02 03 followed by ASCII "abc", computed independently with Python's hashlib.
        var hash = ApiKeyHasher.Hash(Convert.ToBase64String([0, 1, 2, 3]), "abc");

        Assert.Equal("928fddea3549b2f54bfcf81d0a08d48eaeae3fa1d5570da9d4fa51c53c0b0e90", hash);
    }
}

public sealed class HazardPermissionsTests
{
    [Theory]
    [InlineData("Subscribe", HazardRole.Viewer)]
    [InlineData("ListHazards", HazardRole.Viewer)]
    [InlineData("GetHazard", HazardRole.Viewer)]
    [InlineData("AcknowledgeHazard", HazardRole.Officer)]
    [InlineData("GradeHazard", HazardRole.Officer)]
    [InlineData("StartRectification", HazardRole.Officer)]
    [InlineData("SubmitForVerification", HazardRole.Officer)]
    [InlineData("ShelveAlarm", HazardRole.Officer)]
    [InlineData("UnshelveAlarm", HazardRole.Officer)]
    [InlineData("VerifyHazard", HazardRole.Supervisor)]
    [InlineData("CloseHazard", HazardRole.Supervisor)]
    [InlineData("WithdrawHazard", HazardRole.Supervisor)]
    [InlineData("SomethingNew", HazardRole.Admin)]
    public void Required_EachMethod_IsTheDocumentedRole(string method, HazardRole role) =>
        Assert.Equal(role, HazardPermissions.Required($"/sensorgateway.v1.HazardService/{method}"));

    [Fact]
    public void Matrix_EveryRpcOfTheContract_IsListed()
    {
        var rpcs = V1.HazardService.Descriptor.Methods.Select(m => m.Name).Order(StringComparer.Ordinal);

        Assert.Equal(rpcs, HazardPermissions.Matrix.Keys.Order(StringComparer.Ordinal));
    }
}

public sealed class HazardApiOptionsTests
{
    [Fact]
    public void Validate_BrokenKeyEntries_NamesEachField()
    {
        var options = new HazardApiOptions
        {
            Keys = [new ApiKeyEntry { Name = "", Role = "boss", Salt = "not base64!", Hash = "abc" }],
        };

        Assert.Equal(
        [
            "HazardApi:Keys:0:Name is required (it is recorded as who took each step).",
            "HazardApi:Keys:0:Role 'boss' is not one of viewer, officer, supervisor, admin.",
            "HazardApi:Keys:0:Salt must be base64 (as printed by 'sensorgateway apikey new').",
            "HazardApi:Keys:0:Hash must be 64 hex digits (SHA-256, as printed by 'sensorgateway apikey new').",
        ], options.Validate());
    }

    [Fact]
    public void Validate_KeyFromCreate_NoFailures()
    {
        var (_, salt, hash) = ApiKeyHasher.Create();
        var options = new HazardApiOptions { Keys = [new ApiKeyEntry { Name = "desk", Role = "Officer", Salt = salt, Hash = hash }] };

        Assert.Empty(options.Validate());
        Assert.False(options.Anonymous);
    }
}
