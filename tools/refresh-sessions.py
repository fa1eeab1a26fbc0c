#!/usr/bin/env python3
"""Refresh the numbers in the ```smplab sessions of the READMEs given (they move whenever the
kernel changes): python3 tools/refresh-sessions.py labs/04-cpudata/README.md ...
Each is replayed on a TCG machine; a line that no longer fits is named and left as it was."""
import sys

from smplab.sessions import refresh

for path in sys.argv[1:]:
    refresh(path)
