"""smplab's GDB commands: load with `source gdb/smplab.py` (make gdb does).

GDB's own view of an x86 CPU that climbs from real mode to long mode is
wrong in several ways (see docs/gdb.md); the `smplab` commands work out the
CPU's real mode from QEMU and act on it. `help smplab` lists them."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from smplab_gdb import commands  # noqa: E402

commands.register()
