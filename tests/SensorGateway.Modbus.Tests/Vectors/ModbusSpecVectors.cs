namespace SensorGateway.Modbus.Tests.Vectors;

/// <summary>
/// Frames from the Modbus specifications, as hex in wire order. PDU examples: Modbus Application Protocol
/// Specification V1.1b3 (MBAP-P), section named per vector. RTU CRCs: Modbus over Serial Line V1.02 (SL) 6.2.2,
/// recomputed with an independent bitwise CRC-16/MODBUS.
/// </summary>
public static class ModbusSpecVectors
{
    // MBAP-P 6.1 Read Coils: coils 20-38 (address 19, 19 coils); status of 27-20 = CD, 35-28 = 6B, 38-36 = 05.
    public const string ReadCoilsRequest = "01 00 13 00 13";
    public const string ReadCoilsResponse = "01 03 CD 6B 05";

    // MBAP-P 6.2 Read Discrete Inputs: inputs 197-218 (address 196 = 0xC4, 22 inputs).
    public const string ReadDiscreteInputsRequest = "02 00 C4 00 16";
    public const string ReadDiscreteInputsResponse = "02 03 AC DB 35";

    // MBAP-P 6.3 Read Holding Registers: registers 108-110 (address 107 = 0x6B); values 555 (0x022B), 0, 100 (0x64).
    public const string ReadHoldingRegistersRequest = "03 00 6B 00 03";
    public const string ReadHoldingRegistersResponse = "03 06 02 2B 00 00 00 64";

    // MBAP-P 6.4 Read Input Registers: register 9 (address 8), value 10.
    public const string ReadInputRegistersRequest = "04 00 08 00 01";
    public const string ReadInputRegistersResponse = "04 02 00 0A";

    // MBAP-P 6.5 Write Single Coil: coil 173 (address 0xAC) ON; the response echoes the request.
    public const string WriteSingleCoilRequest = "05 00 AC FF 00";

    // MBAP-P 6.6 Write Single Register: register 2 (address 1) = 3; echoed.
    public const string WriteSingleRegisterRequest = "06 00 01 00 03";

    // MBAP-P 6.11 Write Multiple Coils: 10 coils from 20 (address 0x13); CD 01 = 1011 0011 / 0000 0001 LSB first.
    public const string WriteMultipleCoilsRequest = "0F 00 13 00 0A 02 CD 01";
    public const string WriteMultipleCoilsResponse = "0F 00 13 00 0A";

    // MBAP-P 6.12 Write Multiple Registers: registers 2-3 (address 1) = 0x000A, 0x0102.
    public const string WriteMultipleRegistersRequest = "10 00 01 00 02 04 00 0A 01 02";
    public const string WriteMultipleRegistersResponse = "10 00 01 00 02";

    // MBAP-P 6.17 Read/Write Multiple Registers: read 6 from address 3, write 3 x 0x00FF at address 14 (0x0E).
    public const string ReadWriteMultipleRegistersRequest = "17 00 03 00 06 00 0E 00 03 06 00 FF 00 FF 00 FF";
    public const string ReadWriteMultipleRegistersResponse = "17 0C 00 FE 0A CD 00 01 00 03 00 0D 00 FF";

    // MBAP-P 6.21 Read Device Identification, basic stream from object 0; the response carries the three basic
    // objects with lengths 0x16, 0x0F and 0x05 (the example's strings; lengths counted from the strings).
    public const string ReadDeviceIdentificationRequest = "2B 0E 01 00";
    public const string ReadDeviceIdentificationResponse =
        "2B 0E 01 01 00 00 03"
        + " 00 16 436F6D70616E79206964656E74696669636174696F6E"
        + " 01 0F 50726F6475637420636F6465205858"
        + " 02 05 56322E3131";

    // MBAP-P 7 exception example: Read Coils at 0x04A1 on a device without that output -> 81 02 (illegal data address).
    public const string ExceptionRequest = "01 04 A1 00 01";
    public const string ExceptionResponse = "81 02";

    // Modbus Messaging on TCP/IP Implementation Guide V1.0b 3.1.3: transaction 1, protocol 0, length 6, unit 0x11,
    // then the MBAP-P 6.3 request.
    public const string MbapReadHoldingRegistersRequest = "00 01 00 00 00 06 11 03 00 6B 00 03";

    // SL 6.2.2 + MBAP-P 6.3 as RTU for slave 0x11; CRC low byte first.
    public const string RtuReadHoldingRegistersRequest = "11 03 00 6B 00 03 76 87";
    public const string RtuReadHoldingRegistersResponse = "11 03 06 02 2B 00 00 00 64 C8 BA";

    // SL 6.2.2 classic example: read coils 20-56 of slave 17.
    public const string RtuReadCoilsRequest = "11 01 00 13 00 25 0E 84";

    // SL 6.2.2: Write Multiple Coils (MBAP-P 6.11) for slave 0x11.
    public const string RtuWriteMultipleCoilsRequest = "11 0F 00 13 00 0A 02 CD 01 BF 0B";

    // SL 6.2.2 exception response of slave 0x11 to function 01 with code 02.
    public const string RtuExceptionResponse = "11 81 02 C0 54";

    // SL 2.5.2 + MBAP-P 6.3 as ASCII for slave 0x11 (CR LF written as \r\n). LRC recomputed by hand (SL 6.2.1):
    // 0x11 + 0x03 + 0x00 + 0x6B + 0x00 + 0x03 = 0x82, two's complement 0x7E.
    public const string AsciiReadHoldingRegistersRequest = ":1103006B00037E\r\n";

    // 0x11 + 0x03 + 0x06 + 0x02 + 0x2B + 0x00 + 0x00 + 0x00 + 0x64 = 0xAB, two's complement 0x55.
    public const string AsciiReadHoldingRegistersResponse = ":110306022B0000006455\r\n";

    // Exception response of slave 0x11 to function 01 with code 02: 0x11 + 0x81 + 0x02 = 0x94, two's complement 0x6C.
    public const string AsciiExceptionResponse = ":1181026C\r\n";

    // Widely published check value of CRC-16/MODBUS over ASCII "123456789".
    public const ushort CrcCheckValue = 0x4B37;
}
