namespace SensorGateway.Profiles.Registers;

/// <summary>
/// Where the bytes of a multi-register value sit, named by the letters of the value's big-endian bytes
/// (A = most significant) in the order they arrive in the registers. ABCD is Modbus's own big-endian order;
/// CDAB ("word swap") is the common float layout of many PLCs and transmitters.
/// For 64-bit values the pattern extends: ABCD → ABCDEFGH, BADC → BADCFEHG, CDAB → GHEFCDAB, DCBA → HGFEDCBA.
/// </summary>
public enum ByteOrder
{
    ABCD = 0,
    BADC,
    CDAB,
    DCBA,
}
