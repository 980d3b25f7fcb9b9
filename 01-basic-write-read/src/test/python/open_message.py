"""Opens the Java writer's mapping by its portable name and prints the UTF-16 string in it.

Usage: python3 open_message.py NAME
"""
import sys
from multiprocessing import shared_memory


def attach(name):
    """Opens an existing object without letting Python remove it when this script exits."""
    try:
        return shared_memory.SharedMemory(name=name, track=False)  # Python 3.13+
    except TypeError:
        shm = shared_memory.SharedMemory(name=name)
        # Before 3.13 the resource tracker unlinks every object a process *opened* when it exits,
        # which would delete the writer's mapping from under it.
        from multiprocessing import resource_tracker
        resource_tracker.unregister(shm._name, "shared_memory")
        return shm


shm = attach(sys.argv[1])
try:
    data = bytes(shm.buf[:2048])
    end = 0
    while end + 1 < len(data) and data[end:end + 2] != b"\0\0":
        end += 2
    print("python read: " + data[:end].decode("utf-16-le"))
finally:
    shm.close()
