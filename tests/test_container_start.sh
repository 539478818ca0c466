#!/bin/bash
# Container mode with -f: the inittab's sysinit entries run before the main
# command starts. A stop signal in that time ends the container at once.
. "$(dirname "$0")/lib.sh"

# The sysinit entry's sleep, by a number no other test on the machine uses.
NAP=$(( 1037000 + $$ ))

tearDown() {
	[ -z "${CONTAINER:-}" ] || kill -KILL "$CONTAINER" 2>/dev/null
	pkill -KILL -f "^/bin/sleep $NAP\$" 2>/dev/null
	if [ "${KEEP_SANDBOX:-}" ]; then echo "sandbox: $T"; else rm -rf "$T"; fi
}

test_term_before_the_main_process_started_ends_the_container() {
	inittab <<X
si::sysinit:/bin/sleep $NAP
X
	"$INIT" -v -f "$T/inittab" -- /bin/sh -c "echo main ran >$T/main" >"$T/out" 2>&1 </dev/null &
	CONTAINER=$!
	wait_for pgrep -P "$CONTAINER" -f "^/bin/sleep $NAP\$"
	kill -TERM "$CONTAINER"
	wait_for eval "! kill -0 $CONTAINER 2>/dev/null"
	kill -KILL "$CONTAINER" 2>/dev/null # still there: the test has failed; do not hang
	wait "$CONTAINER"
	assertEquals "exit status of a death by TERM" 143 $?
	CONTAINER=
	assertContains "$(cat "$T/out")" "TERM before the main process started: ending the container"
	assertFalse "the main command never ran" "[ -e '$T/main' ]"
	assertFalse "the sysinit entry was stopped" "pgrep -f '^/bin/sleep $NAP\$'"
}

. "$SHUNIT2"
