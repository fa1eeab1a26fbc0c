#!/bin/sh
# Install what smplab needs on Debian/Ubuntu: QEMU, NASM, GDB, Python 3,
# capstone (real-mode disassembly from GDB) and cmocka (host unit tests).
# Installs with apt-get when root or sudo is available; otherwise prints
# the exact command to run.
set -e

need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

have_cmd qemu-system-x86_64 || need="$need qemu-system-x86"
have_cmd nasm               || need="$need nasm"
have_cmd gdb                || need="$need gdb"
have_cmd python3            || need="$need python3"
have_cmd gcc                || need="$need gcc"
have_cmd make               || need="$need make"
have_cmd pkg-config         || need="$need pkg-config"
have_pkg libcmocka-dev      || need="$need libcmocka-dev"
have_pkg python3-capstone   || need="$need python3-capstone"

[ -z "$need" ] && exit 0

cmd="apt-get install -y --no-install-recommends$need"
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif have_cmd sudo && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "smplab needs:$need" >&2
	echo "run:  sudo apt-get update && sudo $cmd" >&2
	exit 1
fi
echo "installing:$need"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo $cmd -qq
