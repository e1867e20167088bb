# Independent master: reads registers from a simulated slave with pymodbus (Debian python3-pymodbus 3.0)
# and prints them as one line of space-separated decimal words.
# usage: read_registers.py PORT UNIT TABLE(holding|input) ADDRESS COUNT
import sys
from pymodbus.client import ModbusTcpClient

port, unit, table, address, count = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
client = ModbusTcpClient("127.0.0.1", port=port, timeout=3)
if not client.connect():
    sys.exit("cannot connect")
read = client.read_holding_registers if table == "holding" else client.read_input_registers
response = read(address, count, slave=unit)
client.close()
if response.isError():
    sys.exit(f"error response: {response}")
print(" ".join(str(r) for r in response.registers))
