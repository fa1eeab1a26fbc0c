"""smplab's GDB support: see gdb/smplab.py and docs/gdb.md."""
