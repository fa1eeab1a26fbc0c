#!/usr/bin/env python3
"""Start smplab in QEMU (`make run` calls this): see tools/smplab/launch.py or --help."""
import sys

from smplab.launch import main

sys.exit(main())
