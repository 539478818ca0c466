#!/usr/bin/python3
"""seize.py PID: attaches to PID with PTRACE_SEIZE and never waits for it.

The process then cannot be reaped by its parent once it dies: its exit is
reported to this tracer first, which never collects it. A stand-in for a
process that will not go away after SIGKILL (frozen, in D state)."""
import ctypes
import signal
import sys

PTRACE_SEIZE = 0x4206
libc = ctypes.CDLL(None, use_errno=True)
if libc.ptrace(PTRACE_SEIZE, int(sys.argv[1]), None, None) != 0:
    sys.exit("seize.py: PTRACE_SEIZE: " + ctypes.get_errno().__str__())
while True:
    signal.pause()
