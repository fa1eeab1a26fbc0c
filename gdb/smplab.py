"""smplab's GDB commands: load with `source gdb/smplab.py` (make gdb does).

GDB's own view of an x86 CPU that climbs from real mode to long mode is
wrong in several ways (see docs/gdb.md); the `smplab` commands work out the
CPU's real mode from QEMU and act on it. `help smplab` lists them."""
import os
import sys

# GDB's Python has no project path of its own: the host package smplab (tools/smplab: the
# build's layout), first, so that `import smplab` is not this file, then smplab_gdb beside it.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(os.path.dirname(HERE), "tools"), HERE]

from smplab_gdb import commands  # noqa: E402

commands.register()
