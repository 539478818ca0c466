#!/bin/bash
# Where init's messages go when there is no console: its own standard
# error, whatever that is (a socket, a pipe, a terminal, a file), and what
# a stalled or missing reader of it must not do to init.
. "$(dirname "$0")/lib.sh"

# A container test whose init hung leaves its main process behind.
eval "lib_$(declare -f tearDown)"
tearDown() {
	[ -s "$T/main.pid" ] && kill -KILL "$(cat "$T/main.pid")" 2>/dev/null
	lib_tearDown
}

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# Starts init as PID 1 of new namespaces the way a container runtime
# without a terminal does: no $CONSOLE and no /dev/console (a /dev with
# /dev/null only). The redirections for init (as for exec) come in REDIRECT;
# WRAP is a command (stalled.py) to run unshare with.
start_init_without_console() {
	setsid $WRAP unshare --pid --fork --mount --mount-proc --kill-child \
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

# Boot mode without a console logs to its stderr: one that nobody reads
# (full, or a stopped terminal) costs lines, never a hung init.
check_stalled_log_reader_in_boot_mode() {
	inittab <<X
id:2:initdefault:
loud:2:respawn:/bin/false
X
	# Each death of "loud" is a line for the log nobody reads.
	WRAP="python3 $ROOT/tests/helpers/stalled.py $1" start_init_without_console -R 1000000/1/1
	assertEquals "init answers" "N 2" "$(rl)"
	wait_for eval '[ "$(entry_field loud 6)" -gt 100 ]'
	assertTrue "and respawns" "[ \"\$(entry_field loud 6)\" -gt 100 ]"
	assertContains "and still changes level" "$(ctl 3)" "switching to runlevel 3"
	assertEquals "2 3" "$(rl)"
}

test_stalled_socket_in_boot_mode() { check_stalled_log_reader_in_boot_mode socket; }
test_stalled_pipe_in_boot_mode() { check_stalled_log_reader_in_boot_mode pipe; }
test_stalled_terminal_in_boot_mode() { check_stalled_log_reader_in_boot_mode tty; }

# Container mode logs to its stderr too: with the log stalled (and -vvv, a
# line for each signal) signals still reach the main process, and the
# main process's own output stays blocking.
check_stalled_log_reader_in_container_mode() {
	python3 "$ROOT/tests/helpers/stalled.py" "$1" "$INIT" -vvv -- /bin/sh -c \
		"trap 'echo TERM >$T/term; exit 0' TERM; trap 'echo WINCH >$T/winch' WINCH
		echo \$\$ >$T/main.pid
		while :; do sleep 0.1; done" </dev/null &
	local container=$! # stalled.py becomes init
	wait_for test -s "$T/main.pid"
	assertFalse "the main process's stderr is blocking" \
		"grep -Eq '^flags:.*[4-7][0-7]{3}$' /proc/$(cat "$T/main.pid")/fdinfo/2"
	kill -WINCH "$container"
	wait_for test -s "$T/winch"
	# A line that cannot be written is dropped, not retried: init is idle.
	timeout -s INT 2 strace -p "$container" -o "$T/strace" 2>/dev/null
	assertEquals "system calls while idle" "" "$(grep -Ev '^epoll_p?wait\(' "$T/strace")"
	kill -TERM "$container"
	wait_for test -s "$T/term"
	assertTrue "TERM was forwarded" "[ -s '$T/term' ]"
	# Forwarded, the main process ends, and so does init.
	wait_for eval "! kill -0 $container"
	kill -KILL "$container" 2>/dev/null # a hung init fails the test, not the run
	wait "$container"
	assertEquals "init's exit status" 0 $?
}

# `init -- cmd >log 2>&1`: a file opened without O_APPEND. init's lines
# and the main process's output share the file's offset, as with tini:
# neither overwrites the other.
test_log_file_without_append_keeps_every_line() {
	"$INIT" -w -- /bin/sh -c "echo first line of the main process
		(true &) # an orphan: init logs its reaping
		while ! grep -q 'reaped orphan' $T/log; do sleep 0.05; done
		echo second line of the main process" >"$T/log" 2>&1
	assertEquals "status" 0 $?
	assertEquals "the lines in order" \
		"first line of the main process|init: reaped orphan|second line of the main process" \
		"$(grep -o 'first line of the main process\|init: reaped orphan\|second line of the main process' \
			"$T/log" | paste -sd '|')"
	# The same for boot mode, whose stderr is the log where there is no console.
	inittab <<X
id:2:initdefault:
c1:2:once:/bin/sh -c 'echo one from c1; while ! grep -q "c2 (pid" $T/log; do sleep 0.05; done; echo two from c1'
c2:2:once:/bin/sh -c 'while ! grep -q "one from c1" $T/log; do sleep 0.05; done; exit 3'
X
	REDIRECT=">$T/log 2>&1" start_init_without_console
	wait_for grep -q 'two from c1' "$T/log"
	assertEquals "boot mode: the lines in order" "one from c1|init: c2 (pid|two from c1" \
		"$(grep -o 'one from c1\|init: c2 (pid\|two from c1' "$T/log" | paste -sd '|')"
}

# Sends COUNT requests to change the level over the control socket, one
# connection each, and prints how many were refused.
send_requests() {
	python3 - "$T/sock" "$1" <<'PY_END'
import socket, sys
refused = 0
for _ in range(int(sys.argv[2])):
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(sys.argv[1])
        connection.sendall(b"level 3\n")
        refused += connection.makefile().readline().startswith("error permission denied")
print(refused)
PY_END
}

refusals_logged() { grep -c 'refused a request from uid 65534' "$T/console"; }
refusals_counted() {
	grep -o 'control: refused requests: [0-9]* more not logged' "$T/console" |
		awk '{ sum += $4 } END { print sum + 0 }'
}

# Any local user may connect; each refusal is logged, but a flood of them
# is not: a burst, then a count of what was left out.
test_refusals_are_rate_limited() {
	inittab <<X
id:2:initdefault:
X
	chmod 755 "$T"
	start_init
	assertEquals "every request refused" 2000 "$(as_nobody bash -c "$(declare -f send_requests); T=$T send_requests 2000")"
	# At most a burst per interval: 10 lines, plus 10 more after each count.
	local logged counts
	logged=$(refusals_logged) counts=$(grep -c 'more not logged' "$T/console")
	assertTrue "a burst of refusals logged, not 2000: $logged after $counts counts" \
		"[ $logged -ge 1 ] && [ $logged -le $((10 * (counts + 1))) ] && [ $logged -lt 200 ]"
	# The next refusal after the interval says how many were left out.
	WAIT_SECONDS=20 wait_for eval 'as_nobody "$BUILD/telinit" -c "$T/sock" 3
		[ "$(grep -c "more not logged" "$T/console")" -gt '"$counts"' ]'
	# Every refusal of the 2000 is either a line or in a count.
	assertTrue "refusals accounted for: $(refusals_logged) lines, $(refusals_counted) counted" \
		"[ $(( $(refusals_logged) + $(refusals_counted) )) -ge 2000 ]"
	assertEquals "init still answers root" "N 2" "$(rl)"
}

# A pipe init may not reopen (another user's, mode 0600) is written with
# RWF_NOWAIT on the shared description: the lines arrive, and a stalled
# reader does not block init either.
test_pipe_of_another_user_in_container_mode() {
	chmod 777 "$T"
	local output
	output=$(as_nobody "$INIT" -v -w -- /bin/sh -c 'echo main' 2>&1 | cat)
	assertContains "the main process's line" "$output" "main"
	assertContains "init's line" "$output" "init: /bin/sh (pid"
	python3 "$ROOT/tests/helpers/stalled.py" pipe setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$INIT" -vvv -- /bin/sh -c "trap 'echo TERM >$T/term; exit 0' TERM; echo \$\$ >$T/main.pid
		while :; do sleep 0.1; done" </dev/null &
	local container=$!
	wait_for test -s "$T/main.pid"
	kill -WINCH "$container"
	kill -TERM "$container"
	wait_for test -s "$T/term"
	assertTrue "TERM was forwarded" "[ -s '$T/term' ]"
	wait_for eval "! kill -0 $container"
	kill -KILL "$container" 2>/dev/null
	wait "$container"
	assertEquals "init's exit status" 0 $?
}

test_stalled_socket_in_container_mode() { check_stalled_log_reader_in_container_mode socket; }
test_stalled_pipe_in_container_mode() { check_stalled_log_reader_in_container_mode pipe; }
test_stalled_terminal_in_container_mode() { check_stalled_log_reader_in_container_mode tty; }

. "$SHUNIT2"
