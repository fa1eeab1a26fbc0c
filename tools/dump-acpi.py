#!/usr/bin/env python3
"""Capture the ACPI tables that QEMU + SeaBIOS build, as unit-test fixtures.

Boots QEMU with no kernel and no boot device, lets SeaBIOS install the ACPI
tables, saves guest RAM through QMP `pmemsave`, finds the RSDP and writes:

  <out>/<name>.bin       memory chunks for acpi_find_madt() (format below)
  <out>/<name>-madt.bin  the raw MADT, header included, for madt_parse()

Chunk file format (all little-endian):
  8 bytes  magic "SMPLMEM1"
  u32      number of chunks
  u32      zero
  per chunk: u64 physical address, u64 length
  then the bytes of every chunk, in the same order.
The chunks hold what a firmware-table search reads: the BIOS data area
(EBDA segment at 0x40E), the first KiB of the EBDA, 0xE0000-0xFFFFF, and
the range spanning the RSDT/XSDT and every table they list.

Usage: tools/dump-acpi.py NAME SMP_ARGS [--out DIR] [--mem 128M]
  e.g. tools/dump-acpi.py smp4 4
       tools/dump-acpi.py smp6-2s3c 6,sockets=2,cores=3
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time

from smplab.acpi_tables import BIOS_AREA, root_tables
from smplab.qmp import Qmp

BDA = (0x400, 0x100)             # BIOS data area; EBDA segment at 0x40E
EBDA_SEARCH_LEN = 1024           # ACPI 6.x 5.2.5.1: first KiB of the EBDA
SETTLE_SECONDS = 1.5
TIMEOUT_SECONDS = 30


def parse_mem(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1].upper() in units:
        return int(text[:-1]) * units[text[-1].upper()]
    return int(text)


def dump_ram(smp, mem, workdir):
    sock_path = os.path.join(workdir, "qmp.sock")
    ram_path = os.path.join(workdir, "ram.bin")
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", mem, "-smp", smp,
           "-nodefaults", "-display", "none", "-serial", "none",
           "-qmp", f"unix:{sock_path},server=on,wait=off"]
    deadline = time.monotonic() + TIMEOUT_SECONDS
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        qmp = Qmp(sock_path, qemu, timeout=max(1.0, deadline - time.monotonic()))
        time.sleep(SETTLE_SECONDS)                      # SeaBIOS builds the tables
        qmp.command("stop")
        qmp.command("pmemsave", val=0, size=parse_mem(mem), filename=ram_path)
        qmp.command("quit")
        qemu.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
    with open(ram_path, "rb") as f:
        return f.read()


def collect(ram):
    """Return (rsdp address, list of (addr, length) chunks, MADT bytes)."""
    rsdp, root, tables = root_tables(ram)
    spans = [root] + [(addr, length) for addr, _, length in tables]
    madts = [ram[addr:addr + length] for addr, sig, length in tables if sig == b"APIC"]
    if not madts:
        raise LookupError("no APIC table listed")
    lo = min(a for a, _ in spans)
    hi = max(a + n for a, n in spans)
    ebda = struct.unpack_from("<H", ram, 0x40E)[0] << 4
    chunks = [BDA]
    if ebda:
        chunks.append((ebda, EBDA_SEARCH_LEN))
    chunks += [BIOS_AREA, (lo, hi - lo)]
    return rsdp, chunks, madts[0]


def write_chunks(path, ram, chunks):
    with open(path, "wb") as f:
        f.write(b"SMPLMEM1" + struct.pack("<II", len(chunks), 0))
        for addr, length in chunks:
            f.write(struct.pack("<QQ", addr, length))
        for addr, length in chunks:
            f.write(ram[addr:addr + length])


def apic_ids(madt):
    """(type, APIC ID, flags) of every processor entry, for the summary."""
    out = []
    off = 44
    while off + 2 <= len(madt):
        etype, elen = madt[off], madt[off + 1]
        if elen == 0:
            break
        if etype == 0:
            out.append(("xAPIC", madt[off + 3],
                        struct.unpack_from("<I", madt, off + 4)[0]))
        elif etype == 9:
            apic_id, flags = struct.unpack_from("<II", madt, off + 4)
            out.append(("x2APIC", apic_id, flags))
        off += elen
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("name")
    ap.add_argument("smp")
    ap.add_argument("--out", default="build/unit/fixtures")
    ap.add_argument("--mem", default="128M")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dump-acpi-") as workdir:
        ram = dump_ram(args.smp, args.mem, workdir)
    rsdp, chunks, madt = collect(ram)
    os.makedirs(args.out, exist_ok=True)
    write_chunks(os.path.join(args.out, args.name + ".bin"), ram, chunks)
    with open(os.path.join(args.out, args.name + "-madt.bin"), "wb") as f:
        f.write(madt)
    print(f"RSDP at {rsdp:#x} (revision {ram[rsdp + 15]})")
    for addr, length in chunks:
        print(f"chunk {addr:#010x} +{length:#x}")
    print(f"MADT {len(madt)} bytes, LAPIC at "
          f"{struct.unpack_from('<I', madt, 36)[0]:#x}")
    for kind, apic_id, flags in apic_ids(madt):
        print(f"  {kind} APIC ID {apic_id} flags {flags:#x}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
