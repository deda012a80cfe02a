#!/usr/bin/env python3
"""Time to the TUI's first useful frame, in a real pseudo-terminal.

Starts `bin/connector-db` (or any command) under a pty of 80x24, reads its
output until the marker text appears, then kills it: the time measured is
launch to first frame, not the exit.
Run under hyperfine so the figure sits beside `node -e 0` from the same run:

    hyperfine -N -w 3 'node -e 0' 'python3 bench/first-frame.py'

Marker defaults to "Target" (Home's first line); CONNECTOR_DB_MARKER overrides.
"""
import os, pty, select, struct, fcntl, termios, sys, time

marker = os.environ.get("CONNECTOR_DB_MARKER", "Target").encode()
here = os.path.dirname(os.path.abspath(__file__))
argv = sys.argv[1:] or [os.path.join(here, "..", "bin", "connector-db")]

pid, fd = pty.fork()
if pid == 0:
    os.environ.pop("CI", None)
    os.environ["TERM"] = "xterm-256color"
    os.execvp(argv[0], argv)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
buf = b""
deadline = time.time() + 10
while marker not in buf:
    if time.time() > deadline:
        os.kill(pid, 9)
        sys.exit("no frame with %r within 10 s" % marker)
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            buf += os.read(fd, 65536)
        except OSError:
            break
os.kill(pid, 9)
os.waitpid(pid, 0)
