#!/bin/bash
# Where init's messages go when there is no console: its own standard
# error, whatever that is (a socket, a pipe, a terminal, a file), and what
# a stalled or missing reader of it must not do to init.
. "$(dirname "$0")/lib.sh"

# Starts init as PID 1 of new namespaces the way a container runtime
# without a terminal does: no $CONSOLE and no /dev/console (a /dev with
# /dev/null only). The redirections for init (as for exec) come in REDIRECT.
start_init_without_console() {
	setsid unshare --pid --fork --mount --mount-proc --kill-child \
		sh -c 'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev &&
			mknod -m 666 /dev/null c 1 3 && eval "exec \"\$@\" $REDIRECT"' sh \
		env -i ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
		"$INIT" -c "$T/sock" -f "$T/inittab" "$@" >"$T/init.out" 2>&1 </dev/null &
	INIT_NS_PID=$!
	wait_for rl
}

# Started with 0, 1 and 2 closed (the kernel found no console to open),
# init keeps them for /dev/null: its signalfd, timer and epoll set must not
# take them, or its log would go into one and children would lack them.
test_closed_standard_descriptors_are_reserved() {
	inittab <<X
id:2:initdefault:
c1:2:respawn:/bin/sleep 1000
X
	REDIRECT='0<&- 1>&- 2>&-' start_init_without_console
	wait_for entry_state_is c1 running
	local pid child fd
	pid=$(init_pid)
	child=$(pgrep -P "$pid" -x sleep)
	for fd in 0 1 2; do
		assertEquals "init's descriptor $fd" /dev/null "$(readlink "/proc/$pid/fd/$fd")"
		assertEquals "a child's descriptor $fd" /dev/null "$(readlink "/proc/$child/fd/$fd")"
	done
	assertEquals "init answers" "N 2" "$(rl)"
}

. "$SHUNIT2"
