"""An independent Modbus TCP slave (pymodbus) serving two simulated detectors, for the poller's tests.

Usage: pymodbus_device.py PORT
Unit 1: catalytic detector holding registers 0..2 = 333 (33.3 %LEL), 0 (status), 2000 (20.00 mA).
Unit 4: oxygen detector input registers 0..2 = 20.9 %VOL as float32 CDAB, status 0.
"""
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer


def block(values):
    return ModbusSequentialDataBlock(0, values + [0] * 16)


def main():
    port = int(sys.argv[1])
    detector = ModbusSlaveContext(hr=block([333, 0, 2000]), ir=block([0]), co=block([0]), di=block([0]), zero_mode=True)
    oxygen = ModbusSlaveContext(ir=block([0x3333, 0x41A7, 0]), hr=block([0]), co=block([0]), di=block([0]), zero_mode=True)
    context = ModbusServerContext(slaves={1: detector, 4: oxygen}, single=False)
    StartTcpServer(context=context, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
