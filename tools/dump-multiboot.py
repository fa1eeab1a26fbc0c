#!/usr/bin/env python3
"""Capture the multiboot 2 information a real GRUB hands the kernel, as unit-test fixtures.

Boots build/smplab.iso (GRUB's multiboot2 entry) to the monitor prompt, reads where the
kernel's entry saved EBX (the symbol boot_mbi in build/smplab.elf) and saves the boot
information through QMP pmemsave. Nothing has been allocated over it by then: the kernel
copies what it needs at boot, and the prompt comes before any command.

  <out>/<name>.bin   the boot information, total_size bytes from its first byte

The machine has 128 MiB (MEM), which tests/unit/test_multiboot2.c checks the map against.

Usage: tools/dump-multiboot.py NAME bios|uefi [--out DIR]
"""
import argparse
import os
import subprocess
import sys
import tempfile

from smplab import ROOT
from smplab.machine import Machine

ELF = os.path.join(ROOT, "build", "smplab.elf")
MEM = "128M"            # FIXTURE_MEM in tests/unit/test_multiboot2.c


def symbol(name):
    out = subprocess.run(["nm", ELF], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == name:
            return int(fields[0], 16)
    raise LookupError("no symbol %s in %s" % (name, ELF))


def read_phys(machine, addr, size, workdir):
    path = os.path.join(workdir, "mem.bin")
    machine.qmp("pmemsave", val=addr, size=size, filename=path)
    with open(path, "rb") as f:
        return f.read()


def capture(firmware):
    boot = {"boot": "iso", "grub_entry": "multiboot2", "firmware": firmware,
            "machine": "q35" if firmware == "uefi" else "pc"}
    with tempfile.TemporaryDirectory(prefix="dump-mb2-") as workdir, \
            Machine(smp="2", accel="tcg", mem=MEM, boot_path=boot) as m:
        banner = m.wait_prompt(timeout=120)
        mbi = int.from_bytes(read_phys(m, symbol("boot_mbi"), 4, workdir), "little")
        total = int.from_bytes(read_phys(m, mbi, 4, workdir), "little")
        if not 16 <= total <= 1 << 20:
            raise ValueError("implausible total_size %d at %#x" % (total, mbi))
        return mbi, read_phys(m, mbi, total, workdir), banner


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("name")
    ap.add_argument("firmware", choices=("bios", "uefi"))
    ap.add_argument("--out", default="build/unit/fixtures")
    args = ap.parse_args()
    mbi, data, banner = capture(args.firmware)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, args.name + ".bin"), "wb") as f:
        f.write(data)
    print("%s: %d bytes of multiboot 2 information at %#x (%s)" % (
        args.name, len(data), mbi, args.firmware))
    for line in banner.splitlines():
        if line.startswith(("Boot", "ACPI")):
            print("  " + line.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
