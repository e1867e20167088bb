"""pymodbus slave for interop tests: unit 1, holding[i] = 3*i, input[i] = 1000+i, coils alternate.

Usage: pymodbus_server.py tcp            (binds 127.0.0.1 port 0, prints the port)
       pymodbus_server.py rtu DEVICE BAUD (prints READY once the port is open)
"""
import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.device import ModbusDeviceIdentification
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer


def context():
    unit = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [i % 3 == 0 for i in range(200)]),
        co=ModbusSequentialDataBlock(0, [i % 2 == 0 for i in range(200)]),
        hr=ModbusSequentialDataBlock(0, [3 * i for i in range(200)]),
        ir=ModbusSequentialDataBlock(0, [1000 + i for i in range(200)]),
        zero_mode=True,
    )
    return ModbusServerContext(slaves={1: unit}, single=False)


def identity():
    ident = ModbusDeviceIdentification()
    ident.VendorName = "pymodbus-interop"
    ident.ProductCode = "PM"
    ident.MajorMinorRevision = "3.0"
    return ident


async def main():
    if sys.argv[1] == "tcp":
        server = ModbusTcpServer(context(), identity=identity(), address=("127.0.0.1", 0))
        task = asyncio.create_task(server.serve_forever())
        await server.serving
        print(server.server.sockets[0].getsockname()[1], flush=True)
        await task
    else:
        server = ModbusSerialServer(
            context(), ModbusRtuFramer, identity=identity(), port=sys.argv[2], baudrate=int(sys.argv[3]),
            bytesize=8, parity="N", stopbits=1)
        await server.start()
        print("READY", flush=True)
        await asyncio.Event().wait()


asyncio.run(main())
