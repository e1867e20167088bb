using SensorGateway.Core.Sites;
using SensorGateway.Profiles.Firmware;

namespace SensorGateway.Edge.Modbus;

/// <summary>A site channel with its profile definition and where its value sits in the device's read results.</summary>
/// <param name="Read">Index of the read (in the device's plan) that carries the value.</param>
/// <param name="Offset">Offset of the value inside that read.</param>
/// <param name="StatusRead">Index of the read carrying the channel's status word, or -1.</param>
/// <param name="StatusOffset">Offset of the status word inside that read.</param>
internal sealed record PolledChannel(ChannelDefinition Site, ProfileChannel Profile, int Read, int Offset, int StatusRead, int StatusOffset);
