#!/bin/bash
# Prove that a fresh Debian 12 machine with only git and make passes `git clone`
# then `make test` on the first run. Builds a minbase bookworm root with
# debootstrap, installs git and make in it, clones the committed `main` (not
# the working tree), then runs, as root inside a chroot, as a newcomer would:
#   make test          (make deps installs everything else)
#   make run           until the "smplab> " prompt
#   make lab N=1
#
#   tools/fresh-machine.sh [--keep] [--root DIR] [REPO]
#     REPO        repository to clone main from (default: the one holding this script)
#     --root DIR  where to build the root (default: a new directory under /var/tmp);
#                 a DIR kept by an earlier --keep is reused (then it is not fresh)
#     --keep      keep the root afterwards (default: remove it)
#   SMPLAB_ACCEL=tcg|kvm|both is passed through to make test (and as ACCEL= to make
#   run and make lab when tcg or kvm); so is TERM, as from a newcomer's terminal.
#   Runs as root; takes several minutes. Not part of make test. Exits non-zero if
#   any step failed.
set -u

keep=0 root="" repo=""
while [ $# -gt 0 ]; do
	case "$1" in
	--keep) keep=1 ;;
	--root) root=$2; shift ;;
	-h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) repo=$1 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "fresh-machine: run as root" >&2; exit 1; }
repo=$(cd "${repo:-$(dirname "$0")/..}" && pwd) || exit 1
git -C "$repo" rev-parse --verify -q main >/dev/null ||
	{ echo "fresh-machine: $repo has no branch main" >&2; exit 1; }
root=${root:-$(mktemp -d /var/tmp/smplab-fresh.XXXXXX)}
mkdir -p "$root" && root=$(cd "$root" && pwd)
logs=$(mktemp -d /var/tmp/smplab-fresh-logs.XXXXXX)
accel=${SMPLAB_ACCEL:-}
case "$accel" in tcg|kvm) make_accel="ACCEL=$accel" ;; *) make_accel="" ;; esac

# The Debian mirror this machine's apt uses for bookworm: the first URI of an
# enabled one-line "deb URI bookworm ..." or deb822 stanza listing bookworm.
host_sources() {
	ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null
}
mirror=""
for f in $(host_sources); do
	case "$f" in
	*.sources) m=$(awk 'BEGIN { RS = ""; FS = "\n" }
		tolower($0) !~ /\nenabled: *no/ && /(^|\n)Types:[^\n]*deb( |\n|$)/ &&
		/(^|\n)Suites:[^\n]* bookworm( |\n|$)/ {
			match($0, /(^|\n)URIs: *[^ \n]+/); u = substr($0, RSTART, RLENGTH)
			sub(/^\n?URIs: */, "", u); print u; exit }' "$f") ;;
	*) m=$(sed 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }') ;;
	esac
	[ -n "$m" ] && { mirror=$m; break; }
done
[ -n "$mirror" ] || { echo "fresh-machine: no bookworm mirror in the host's apt sources" >&2; exit 1; }

mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}"
	done
	if [ "$keep" = 1 ]; then
		echo "root kept: $root"
	elif grep -qF " $root/" /proc/mounts; then	# never delete through a mount
		echo "fresh-machine: something is still mounted under $root; not removing it" >&2
	else
		rm -rf --one-file-system "$root"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
bind() {	# bind SRC DIR-IN-ROOT [ro]
	mkdir -p "$root$2"
	mount --bind "$1" "$root$2" && mounts+=("$root$2") || return 1
	[ "${3:-}" != ro ] || mount -o remount,bind,ro "$root$2"
}

# Inside the root: a login-like environment, nothing of this shell's but TERM,
# as a newcomer's terminal sets it (GDB takes its line width from it).
in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root ${TERM:+TERM=$TERM} \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		${accel:+SMPLAB_ACCEL=$accel} /bin/sh -c "$1"
}

# step NAME COMMAND...: run it in this shell (so that it can add to mounts),
# its output to the terminal and to $logs/NAME.log.
names=() results=()
step() {
	local name=$1 t0=$SECONDS rc
	shift
	echo "=== $name"
	"$@" > >(tee "$logs/$name.log") 2>&1
	rc=$?
	wait $!		# tee has written everything
	names+=("$name")
	results+=("$([ "$rc" = 0 ] && echo PASS || echo "FAIL (exit $rc)") $((SECONDS - t0))s")
	return "$rc"
}

host_tools() {
	command -v debootstrap >/dev/null && return
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
}

bootstrap() {
	if [ -e "$root/etc/debian_version" ]; then
		echo "reusing the root in $root (not a fresh machine)"
		return
	fi
	debootstrap --variant=minbase bookworm "$root" "$mirror"
}

# The host's apt sources that use this mirror (bookworm-updates and -security
# too, as on an installed system) and DNS; then what QEMU and GDB need.
setup_root() {
	local f n=0
	for f in $(host_sources); do
		grep -qF "$mirror" "$f" || continue
		mkdir -p "$root$(dirname "$f")"
		cp "$f" "$root$f"
		n=$((n + 1))
	done
	[ "$n" = 0 ] || [ -e /etc/apt/sources.list ] || rm -f "$root/etc/apt/sources.list"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	# debootstrap writes no /etc/hosts; every installed system (the installer,
	# cloud images) has one, and `target remote :PORT` in GDB needs localhost.
	[ -e "$root/etc/hosts" ] ||
		printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
	mkdir -p "$root/proc" && mount -t proc proc "$root/proc" && mounts+=("$root/proc")
	bind /sys /sys && bind /dev /dev && bind /dev/pts /dev/pts || return 1
	# /dev is bound from the host, so /dev/kvm is there when the host has it.
	[ ! -e /dev/kvm ] || [ -e "$root/dev/kvm" ]
	bind "$repo" /mnt/smplab ro
}

# What a newcomer installs by hand: only git and make.
install_git_make() {
	in_root 'apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git make'
}

clone() {
	in_root 'rm -rf /root/smplab && git clone --branch main /mnt/smplab /root/smplab &&
		git -C /root/smplab log -1 --oneline'
}

# make run on a pipe (stdin /dev/null): pass when the prompt shows within 120 s.
# timeout kills make, the launcher and QEMU (its whole process group).
make_run() {
	local out=$logs/make-run.out i
	timeout 120 chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin \
		/bin/sh -c "cd /root/smplab && make run $make_accel" </dev/null >"$out" 2>&1 &
	local pid=$!
	for ((i = 0; i < 120; i++)); do
		grep -q 'smplab> ' "$out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	tail -n 15 "$out"
	grep -q 'smplab> ' "$out"
}

failed=0
step host-tools host_tools &&
step debootstrap bootstrap &&
step setup-root setup_root &&
step install-git-make install_git_make &&
step clone clone || failed=1
if [ "$failed" = 0 ]; then
	step make-test in_root 'cd /root/smplab && make test' || failed=1
	step make-run make_run || failed=1
	step make-lab-1 in_root "cd /root/smplab && make lab N=1 $make_accel" || failed=1
fi

echo
echo "=== summary (mirror $mirror, SMPLAB_ACCEL=${accel:-unset}, logs in $logs)"
for i in "${!names[@]}"; do
	printf '%-18s %s\n' "${names[i]}" "${results[i]}"
done
for t in make-test make-lab-1; do
	[ -f "$logs/$t.log" ] &&
		printf '%-18s %s\n' "$t:" "$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/$t.log" | tail -n 1)"
done
[ "$failed" = 0 ] && echo "fresh machine: all steps passed" || echo "fresh machine: FAILED"
exit "$failed"
