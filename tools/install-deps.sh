#!/bin/sh
# Install what smplab needs on Debian 12 (or Ubuntu): the compilers and
# binutils, NASM, QEMU, GDB, Python 3 with capstone (real-mode disassembly
# from GDB), pytest and pexpect (the test runner and its terminal driver),
# pyte (a terminal emulator: the tests read GDB's TUI screen),
# matplotlib (`make bench` draws a timeline), cmocka (host unit tests), clang with its sanitizer and libFuzzer
# runtimes, GRUB, xorriso, mtools and OVMF (`make iso`: a BIOS+UEFI image),
# and Bochs with its BIOS and terminal display (the ISO in a second emulator).
# Installs with apt-get when root or sudo is available; otherwise prints the
# exact command to run. Each package is checked by a command or file it
# provides, or by its dpkg status, and installed only when that is missing.
# Packages come with --no-install-recommends, so everything that is needed
# is listed here, even what gcc or clang would only recommend (libc6-dev,
# libclang-rt-14-dev). awk, sed and find come with every Debian system.
set -e

have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# "CHECK PACKAGE" per line: CHECK is a command, an absolute path, or pkg:NAME.
WANTS='
make                          make
gcc                           gcc
pkg:libc6-dev                 libc6-dev
ld                            binutils
objcopy                       binutils
nm                            binutils
nasm                          nasm
python3                       python3
pkg:python3-capstone          python3-capstone
pkg:python3-pytest            python3-pytest
pkg:python3-pexpect           python3-pexpect
pkg:python3-pyte              python3-pyte
pkg:python3-matplotlib        python3-matplotlib
gdb                           gdb
pkg-config                    pkg-config
pkg:libcmocka-dev             libcmocka-dev
qemu-system-x86_64            qemu-system-x86
clang                         clang
pkg:libclang-rt-14-dev        libclang-rt-14-dev
grub-mkrescue                 grub-common
/usr/lib/grub/i386-pc         grub-pc-bin
/usr/lib/grub/x86_64-efi      grub-efi-amd64-bin
xorriso                       xorriso
mformat                       mtools
/usr/share/OVMF/OVMF_CODE_4M.fd ovmf
bochs                         bochs
/usr/share/bochs/BIOS-bochs-latest bochsbios
pkg:bochs-term                bochs-term
/usr/share/bochs/VGABIOS-lgpl-latest vgabios
'

# The packages whose check fails, each once, space-separated.
missing() {
	echo "$WANTS" | while read -r check pkg; do
		[ -n "$check" ] || continue
		case "$check" in
		/*)    [ -e "$check" ] ;;
		pkg:*) have_pkg "${check#pkg:}" ;;
		*)     have_cmd "$check" ;;
		esac || echo "$pkg"
	done | awk '!seen[$0]++' | tr '\n' ' '
}

need=$(missing)
[ -z "$need" ] && exit 0

cmd="apt-get install -y --no-install-recommends $need"
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif have_cmd sudo && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "smplab needs: $need" >&2
	echo "run:  sudo apt-get update && sudo $cmd" >&2
	exit 1
fi
echo "installing: $need"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive $cmd -qq

still=$(missing)
if [ -n "$still" ]; then
	echo "smplab: still missing after apt-get install: $still" >&2
	exit 1
fi
