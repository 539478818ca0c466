#!/usr/bin/python3
"""stalled.py KIND COMMAND...: runs COMMAND with its stdout and stderr on a
channel whose reader never reads, already full (or stopped) when COMMAND
starts. KIND: socket (a stream socket pair), pipe, or tty (a pty whose
output is stopped, as by ^S). The descriptor COMMAND gets is blocking, as
a container runtime's would be. A child holds the reading end open until
COMMAND (this process, after exec) ends."""
import os
import select
import socket
import sys
import termios


def fill(fd, send=None):
    """Writes until the channel is full, without blocking."""
    chunk = b"x" * 4096
    while True:
        try:
            if send:
                send(chunk, socket.MSG_DONTWAIT)
            else:
                os.write(fd, chunk)
        except BlockingIOError:
            return


kind, command = sys.argv[1], sys.argv[2:]
if kind == "socket":
    writer, reader = socket.socketpair()
    fill(writer.fileno(), writer.send)
    writer_fd, reader_fd = writer.detach(), reader.detach()
elif kind == "pipe":
    reader_fd, writer_fd = os.pipe()
    os.set_blocking(writer_fd, False)
    fill(writer_fd)
    os.set_blocking(writer_fd, True)
elif kind == "tty":
    reader_fd, writer_fd = os.openpty()
    attributes = termios.tcgetattr(writer_fd)
    attributes[1] &= ~termios.OPOST  # raw output: what is written is what is counted
    termios.tcsetattr(writer_fd, termios.TCSANOW, attributes)
    termios.tcflow(writer_fd, termios.TCOOFF)
else:
    sys.exit("stalled.py: KIND is socket, pipe or tty")

parent = os.getpid()
if os.fork() == 0:
    # The reader: holds its end, reads nothing, ends with COMMAND (a
    # pidfd, not the parent death signal: a setuid COMMAND clears that).
    os.close(writer_fd)
    command_end = os.pidfd_open(parent)
    if os.getppid() == parent:
        select.select([command_end], [], [])
    os._exit(0)
os.close(reader_fd)
os.dup2(writer_fd, 1)
os.dup2(writer_fd, 2)
os.close(writer_fd)
os.execvp(command[0], command)
