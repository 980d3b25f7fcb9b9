"""Creates a 2048-byte mapping like the Java writer, writes a UTF-16 string, waits for a line.

Usage: python3 create_message.py NAME TEXT
"""
import sys
from multiprocessing import shared_memory

name, text = sys.argv[1], sys.argv[2]
shm = shared_memory.SharedMemory(name=name, create=True, size=2048)
try:
    units = text.encode("utf-16-le")
    shm.buf[:len(units)] = units
    print("ready", flush=True)
    sys.stdin.readline()  # the test sends a line once the Java reader has finished
finally:
    shm.close()
    shm.unlink()
    print("removed", flush=True)
