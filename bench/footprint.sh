#!/bin/bash
# Prints hydra's footprint side by side with its peers: binary size, resident
# memory as PID 1 of a PID namespace, and system calls while idle (5 s under
# strace). Peers: tini-static (Debian's tini package; docker's --init) and
# BusyBox init (busybox-static). Usage: bench/footprint.sh [SECONDS]
set -u
cd "$(dirname "$0")/.."
seconds=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'id:2:initdefault:\nr1:2:respawn:/bin/sleep 100003\n' >"$work/inittab"
printf '::respawn:/bin/sleep 100003\n' >"$work/busybox-inittab"

# Starts "$@" as PID 1 of a new PID namespace; sets pid (as the host sees
# it) and parent (unshare, whose death ends the namespace).
start() {
	unshare --pid --fork --mount --mount-proc --kill-child "$@" >/dev/null 2>&1 </dev/null &
	parent=$! pid=
	for _ in $(seq 100); do
		pid=$(pgrep -P "$parent" | head -n 1)
		[ -n "$pid" ] && [ "$(readlink /proc/"$pid"/exe)" != "$(readlink -f "$(command -v unshare)")" ] && break
		sleep 0.05
	done
}

measure() {
	local name=$1 binary=$2; shift 2
	local rss calls
	start "$@"
	sleep 1 # let it settle into its idle state
	rss=$(awk '/^VmRSS/ { print $2 }' /proc/"$pid"/status)
	timeout -s INT "$seconds" strace -p "$pid" -o "$work/$name.strace" 2>/dev/null
	# Lines that are not the one wait strace found the process blocked in.
	calls=$(grep -cv -E '^(epoll_p?wait|wait4|rt_sigtimedwait|restart_syscall)\(.*(<detached|<unfinished)' \
		"$work/$name.strace")
	kill -KILL "$parent" 2>/dev/null
	wait "$parent" 2>/dev/null
	printf '%-14s %10s %10s %16s\n' "$name" "$(stat -L -c %s "$binary")" "$rss" "$calls"
}

printf '%-14s %10s %10s %16s\n' "init" "size (B)" "RSS (KiB)" "syscalls in ${seconds}s"
measure hydra build/init env -i CONSOLE=/dev/null build/init -f "$work/inittab" -c "$work/sock"
if [ -x /usr/bin/tini-static ]; then
	measure tini-static /usr/bin/tini-static /usr/bin/tini-static -s -- /bin/sleep 100003
else
	echo "tini-static: not installed (apt-get install tini)"
fi
if [ -x /bin/busybox ]; then
	# BusyBox init reads /etc/inittab only: give it ours on a private /etc.
	measure busybox-init /bin/busybox sh -c \
		"mount -t tmpfs tmpfs /etc && cp $work/busybox-inittab /etc/inittab && exec /bin/busybox init"
else
	echo "busybox init: not installed (apt-get install busybox-static)"
fi
