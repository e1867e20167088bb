"""pymodbus master for interop tests; prints one result line per step, then OK.

Usage: pymodbus_client.py tcp PORT | rtu DEVICE BAUD
Expects unit 1 with holding[i] = 7*i (i < 100) and input[i] = 2000+i.
"""
import sys

from pymodbus.client import ModbusSerialClient, ModbusTcpClient

if sys.argv[1] == "tcp":
    client = ModbusTcpClient("127.0.0.1", port=int(sys.argv[2]), timeout=3)
else:
    client = ModbusSerialClient(port=sys.argv[2], baudrate=int(sys.argv[3]), bytesize=8, parity="N", stopbits=1, timeout=3)
if not client.connect():
    sys.exit("connect failed")


def check(response):
    if response.isError():
        sys.exit(f"error response: {response}")
    return response


print("holding", *check(client.read_holding_registers(10, 5, slave=1)).registers)
print("input", *check(client.read_input_registers(3, 2, slave=1)).registers)
check(client.write_register(50, 4242, slave=1))
check(client.write_registers(60, [1, 2, 3], slave=1))
print("written", *check(client.read_holding_registers(50, 1, slave=1)).registers,
      *check(client.read_holding_registers(60, 3, slave=1)).registers)
check(client.write_coils(0, [True, False, True], slave=1))
check(client.write_coil(3, True, slave=1))
print("coils", *[int(b) for b in check(client.read_coils(0, 4, slave=1)).bits[:4]])
print("rw", *check(client.readwrite_registers(read_address=0, read_count=2, write_address=70, write_registers=[9], unit=1)).registers)
error = client.read_holding_registers(9000, 1, slave=1)
print("exception", error.exception_code if error.isError() else "none")
print("OK", flush=True)
client.close()
