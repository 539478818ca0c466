#!/usr/bin/python3
"""login.py UTMP OUT: a login as utmp records one, for shutdown's broadcast.
Opens a pty, writes a USER_PROCESS record for its terminal (glibc's
384-byte layout) into the file UTMP, and a record for a terminal that
no longer exists (a stale login), then copies what arrives at the
terminal into the file OUT until it holds a whole line, or 30 s pass."""
import os
import pty
import select
import struct
import sys
import time

utmp, out = sys.argv[1], sys.argv[2]
master, slave = pty.openpty()
line = os.ttyname(slave)[len("/dev/"):]


def record(kind, pid, terminal, user):
    # type, pid, line[32], id[4], user[32], host[256], exit, session, tv, addr, unused
    return struct.pack("<hxxi32s4s32s256s4si2i16s20s", kind, pid, terminal.encode(),
                       terminal[-4:].encode(), user.encode(), b"", b"", 0, int(time.time()), 0,
                       b"", b"")


with open(utmp, "wb") as f:
    f.write(record(7, 1, "pts/999999", "gone"))
    f.write(record(7, os.getpid(), line, "root"))
# The slave stays open: without it, reading the master fails (EIO).
received = b""
deadline = time.monotonic() + 30
with open(out, "wb") as f:
    while time.monotonic() < deadline and b"minutes" not in received:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            chunk = os.read(master, 4096)
            received += chunk
            f.write(chunk)
            f.flush()
