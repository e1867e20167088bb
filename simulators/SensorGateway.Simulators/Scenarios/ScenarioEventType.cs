namespace SensorGateway.Simulators.Scenarios;

/// <summary>What a timed scenario event does. The YAML name is the kebab-case form, e.g. <c>gas-leak</c>.</summary>
public enum ScenarioEventType
{
    /// <summary>A channel ramps up to a peak; <c>spread</c> lists neighbours that follow later and weaker.</summary>
    GasLeak,
    /// <summary>A channel ramps by <c>rate</c> per second to <c>peak</c> (e.g. regulator outlet over-pressure).</summary>
    Ramp,
    /// <summary>A tank level rises by <c>rate</c> per second for <c>duration</c> (a tanker delivery; overfill if it goes on too long).</summary>
    Delivery,
    /// <summary>A sensor's reading drifts by <c>rate</c> per second from <c>at</c> on.</summary>
    Drift,
    /// <summary>A channel reads <c>value</c> from <c>at</c> until <c>until</c> (a switch trips, an interstitial sensor sees liquid).</summary>
    Set,
    /// <summary>A channel repeats the value it had at <c>at</c> until <c>until</c>.</summary>
    Stuck,
    /// <summary>Bit <c>bit</c> of the channel's status word is set (MQTT devices report status <c>fault</c>).</summary>
    FaultBit,
    /// <summary>The channel's raw register holds the profile's fault value <c>value</c> (e.g. 9 = probe out).</summary>
    FaultValue,
    /// <summary>The device stops answering (Modbus: no response; MQTT: no publication).</summary>
    Silent,
    /// <summary>The Modbus device answers with exception <c>code</c>.</summary>
    ModbusException,
    /// <summary>The Modbus device's responses are corrupted (RTU: bad CRC; TCP: truncated frames).</summary>
    CorruptFrames,
    /// <summary>The MQTT broker is unreachable (through the <c>broker</c> outage switch).</summary>
    BrokerOutage,
    /// <summary>The database is unreachable (through the <c>database</c> outage switch).</summary>
    DatabaseOutage,
}
