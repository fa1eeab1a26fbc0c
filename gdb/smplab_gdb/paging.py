"""Page walks and GDT decoding for the GDB commands. Pure: the reader of
physical memory is passed in, so the host tests run it on fake tables."""

LEVELS = [("PML4E", 39), ("PDPTE", 30), ("PDE", 21), ("PTE", 12)]
ADDRESS_MASK = 0x000FFFFFFFFFF000
PTE_PRESENT, PTE_WRITE, PTE_USER, PTE_LARGE = 1, 2, 4, 0x80
PTE_NX = 1 << 63


def pte_flags(entry):
    names = [(PTE_PRESENT, "P"), (PTE_WRITE, "RW"), (PTE_USER, "US"), (0x8, "PWT"),
             (0x10, "PCD"), (0x20, "A"), (0x40, "D"), (PTE_LARGE, "PS"), (0x100, "G"),
             (PTE_NX, "NX")]
    return " ".join(name for bit, name in names if entry & bit)


def canonical(address):
    top = address >> 47
    return top == 0 or top == (1 << 17) - 1


def walk(cr3, address, read_u64):
    """Lines describing the walk of address (SDM Vol 3A 4.5, figure 4-8)."""
    lines = ["walk of 0x%x through CR3 0x%x" % (address, cr3)]
    if not canonical(address):
        lines.append("  not canonical: bits 63:47 must all equal bit 47 (#GP on use)")
        return lines
    table = cr3 & ADDRESS_MASK
    for depth, (name, shift) in enumerate(LEVELS):
        index = (address >> shift) & 0x1FF
        entry_address = table + index * 8
        entry = read_u64(entry_address)
        lines.append("  %-5s[%3d] at 0x%09x = 0x%016x  %s" % (
            name, index, entry_address, entry, pte_flags(entry)))
        if not entry & PTE_PRESENT:
            lines.append("  not present: 0x%x is not mapped" % address)
            return lines
        if entry & PTE_LARGE and depth in (1, 2):
            size = 1 << shift
            physical = (entry & ADDRESS_MASK & ~(size - 1)) | (address & (size - 1))
            lines.append("  -> physical 0x%x in a %s page" % (
                physical, "1 GiB" if depth == 1 else "2 MiB"))
            return lines
        table = entry & ADDRESS_MASK
    lines.append("  -> physical 0x%x in a 4 KiB page" % (table | (address & 0xFFF)))
    return lines


def describe_descriptor(low, high):
    """One 8-byte segment descriptor in words (SDM Vol 3A 3.4.5, figure 3-8)."""
    if low == 0 and high == 0:
        return "null"
    base = (low >> 16) | ((high & 0xFF) << 16) | (high & 0xFF000000)
    limit = (low & 0xFFFF) | (high & 0xF0000)
    granular = bool(high & (1 << 23))
    if granular:
        limit = (limit << 12) | 0xFFF
    present = bool(high & (1 << 15))
    dpl = (high >> 13) & 3
    system = not high & (1 << 12)
    if system:
        kind = "system descriptor, type %d" % ((high >> 8) & 0xF)
    elif high & (1 << 11):
        if high & (1 << 21):
            kind = "64-bit code"
        elif high & (1 << 22):
            kind = "32-bit code"
        else:
            kind = "16-bit code"
    else:
        kind = "data, %s" % ("32-bit stack" if high & (1 << 22) else "16-bit stack")
    return "%s, base 0x%x, limit 0x%x, DPL %d%s" % (
        kind, base, limit, dpl, "" if present else ", NOT PRESENT")


def describe_gdt(raw):
    lines = []
    for offset in range(0, len(raw) - 7, 8):
        low = int.from_bytes(raw[offset:offset + 4], "little")
        high = int.from_bytes(raw[offset + 4:offset + 8], "little")
        lines.append("  0x%02x  %s" % (offset, describe_descriptor(low, high)))
    return lines
