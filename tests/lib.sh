# Shared helpers for the shunit2 tests. Source it, define tests, then
# source shunit2 last. Every test gets a sandbox directory ($T) and, when
# it starts init, a fresh PID and mount namespace; tearDown kills it all.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# HYDRA_BUILD=build/sanitize runs the tests on the sanitizer build.
BUILD=${HYDRA_BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
INIT=$BUILD/init
SHUNIT2=${SHUNIT2:-/usr/share/shunit2/shunit2}
INIT_NS_PID=

# poll_for COMMAND...: runs the command until it succeeds; returns 1 if it
# has not after $WAIT_SECONDS (10). It fails no test: for a condition that
# may rightly stay false, the caller decides what that means.
poll_for() {
	local deadline=$(( $(date +%s%N) / 1000000 + ${WAIT_SECONDS:-10} * 1000 ))
	while ! "$@" >/dev/null 2>&1; do
		if [ $(( $(date +%s%N) / 1000000 )) -ge $deadline ]; then
			return 1
		fi
		sleep 0.05
	done
}

# wait_for COMMAND...: runs the command until it succeeds; if it has not
# after $WAIT_SECONDS, the test fails, naming the command. shunit2 fails a
# test only on its asserts (and a non-zero status of its last command), so
# a wait that merely returned 1 in the middle of a test would go unseen.
# Call it in the test's own shell, not in $(...) or a pipeline: a failure
# recorded in a subshell is lost.
wait_for() {
	poll_for "$@" && return 0
	fail "timed out after ${WAIT_SECONDS:-10} s waiting for: $*"
	return 1
}

make_sandbox() {
	T=$(mktemp -d /tmp/hydra-test.XXXXXX)
	: >"$T/console"
}

# Writes the inittab from stdin.
inittab() {
	cat >"$T/inittab"
}

# Starts build/init as PID 1 of new PID and mount namespaces, with its
# console in $T/console and a private tmpfs on /run (so nothing it writes
# there reaches the host). Extra arguments go to init. Waits for the
# control socket to answer. --kill-child ends the namespace with unshare.
# $INIT_ENVIRONMENT adds NAME=VALUE words to init's own environment.
start_init() {
	setsid unshare --pid --fork --mount --mount-proc --kill-child \
		sh -c 'mount -t tmpfs tmpfs /run && exec "$@"' sh \
		env -i CONSOLE="$T/console" LEAKED=from-the-test-runner ${INIT_ENVIRONMENT:-} \
		${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
		"$INIT" -c "$T/sock" -f "$T/inittab" "$@" \
		>"$T/init.out" 2>&1 </dev/null &
	INIT_NS_PID=$!
	wait_for rl
}

# Starts init (with the arguments given) on an inittab whose level 2 has
# one respawn entry, ID, a sleep; waits until it runs.
start_one_service() {
	local id=$1
	shift
	inittab <<X
id:2:initdefault:
$id:2:respawn:/bin/sleep 1000
X
	start_init "$@"
	wait_for entry_state_is "$id" running
}

# Runs a command in init's PID and mount namespaces: pids from `telinit
# status` are pids there, and its private /run is there.
in_namespace() {
	nsenter -t "$(init_pid)" -m -p -- "$@"
}

# init's pid as the host sees it.
init_pid() {
	pgrep -P "$INIT_NS_PID" | head -n 1
}

ctl() {
	"$BUILD/telinit" -c "$T/sock" "$@"
}

rl() {
	"$BUILD/runlevel" -c "$T/sock"
}

runlevel_is() {
	[ "$(rl)" = "$1" ]
}

in_console() {
	grep -q -- "$1" "$T/console"
}

# Does the console hold exactly (or, with a third argument ge, at least) N
# lines matching the pattern?
console_count() {
	[ "$(grep -c -- "$1" "$T/console")" -"${3:-eq}" "$2" ]
}

# Is a debugger attached to the process? (Not if there is no such process.)
traced() {
	grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$1/status" 2>/dev/null
}

# Is init (the namespace) gone?
init_gone() {
	! kill -0 "$INIT_NS_PID" 2>/dev/null
}

# Stops init as a user would, `telinit 0` with a 1 ms grace, so that it
# exits by itself (a coverage build writes its counters then); SIGKILL
# only if it is still there after STOP_SECONDS (a test may have left it
# unable to answer). The request is not waited for: init may be gone first.
stop_init() {
	if [ -n "$INIT_NS_PID" ]; then
		local deadline=$(( $(date +%s%N) / 1000000 + ${STOP_SECONDS:-5} * 1000 )) asking
		ctl -t 0.001 0 >/dev/null 2>&1 &
		asking=$!
		while ! init_gone && [ $(( $(date +%s%N) / 1000000 )) -lt $deadline ]; do
			sleep 0.01
		done
		kill -KILL "$INIT_NS_PID" "$asking" 2>/dev/null
		wait "$INIT_NS_PID" "$asking" 2>/dev/null
		INIT_NS_PID=
	fi
}

# The state column of an entry in `telinit status`.
entry_field() {
	ctl status | awk -v id="$1" -v column="$2" '$1 == id { print $column }'
}
entry_state() { entry_field "$1" 4; }
entry_pid() { entry_field "$1" 5; }

entry_state_is() {
	[ "$(entry_state "$1")" = "$2" ]
}

setUp() {
	make_sandbox
}

tearDown() {
	stop_init
	# What a sanitizer build found (see make sanitize) fails the test.
	if grep -qs 'runtime error\|Sanitizer' "$T/init.out"; then
		fail "sanitizer report: $(grep -m 3 'runtime error\|Sanitizer' "$T/init.out")"
	fi
	if [ "${KEEP_SANDBOX:-}" ]; then echo "sandbox: $T"; else rm -rf "$T"; fi
}
