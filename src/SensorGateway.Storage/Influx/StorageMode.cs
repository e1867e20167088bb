namespace SensorGateway.Storage.Influx;

public enum StorageMode
{
    /// <summary>No database: the durable spool is the local store (the embedded default); export or forward it later.</summary>
    Local = 0,

    /// <summary>InfluxDB 2.x API (<c>/api/v2/write</c>) through InfluxDB.Client; also VictoriaMetrics.</summary>
    InfluxV2,

    /// <summary>InfluxDB 1.x <c>/write</c> endpoint.</summary>
    InfluxV1,
}
