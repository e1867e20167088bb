using Microsoft.Data.Sqlite;

namespace SensorGateway.Grpc.Tests.Infrastructure;

/// <summary>A hazard database file in a temporary folder, deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sg-hazards-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "hazards.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
