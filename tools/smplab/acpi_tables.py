"""The firmware's ACPI tables in an image of guest RAM (bytes from physical address 0): the
RSDP in the BIOS area, then the tables the RSDT or XSDT lists (ACPI 6.5 5.2.5-5.2.8).
tools/dump-acpi.py saves them as fixtures; the tests find a MADT to damage."""
import struct

BIOS_AREA = (0xE0000, 0x20000)   # 5.2.5.1: where the RSDP is searched
HEADER_LEN = 36                  # 5.2.6
CHECKSUM = 9                     # offset of the header's checksum byte
LENGTH = 4                       # offset of its length field


def checksum_ok(data):
    return sum(data) & 0xFF == 0


def find_rsdp(ram):
    start, length = BIOS_AREA
    for addr in range(start, start + length, 16):
        if ram[addr:addr + 8] == b"RSD PTR " and checksum_ok(ram[addr:addr + 20]):
            return addr
    raise LookupError("no RSDP in 0xE0000-0xFFFFF")


def table_at(ram, addr):
    """(signature, length) of the sound table at addr."""
    sig, length = struct.unpack_from("<4sI", ram, addr)
    if not checksum_ok(ram[addr:addr + length]):
        raise ValueError(f"bad checksum in {sig!r} at {addr:#x}")
    return sig, length


def root_tables(ram):
    """(RSDP address, (root address, length), [(address, signature, length)] of every
    table the root lists, in its order): the XSDT when the RSDP has one, else the RSDT."""
    rsdp = find_rsdp(ram)
    rsdt, = struct.unpack_from("<I", ram, rsdp + 16)
    xsdt = struct.unpack_from("<Q", ram, rsdp + 24)[0] if ram[rsdp + 15] >= 2 else 0
    root, entry_size = (xsdt, 8) if xsdt else (rsdt, 4)
    _, root_len = table_at(ram, root)
    tables = []
    for off in range(root + HEADER_LEN, root + root_len, entry_size):
        addr = int.from_bytes(ram[off:off + entry_size], "little")
        tables.append((addr,) + table_at(ram, addr))
    return rsdp, (root, root_len), tables
