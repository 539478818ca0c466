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

# Entries get the container's environment, with RUNLEVEL, PREVLEVEL and
# INIT_VERSION set by init in place of any the container had.
test_entries_keep_the_container_environment_with_the_levels() {
	inittab <<X
si::sysinit:/usr/bin/env
X
	# No shell in between: it would merge variables of the same name.
	RUNLEVEL=9 INIT_VERSION=old KEPT=yes timeout 20 "$INIT" -f "$T/inittab" -- /bin/true >"$T/env" 2>&1 </dev/null
	assertEquals "exit status: $(cat "$T/env")" 0 $?
	assertContains "$(cat "$T/env")" "KEPT=yes"
	assertEquals "one RUNLEVEL, init's" 1 "$(grep -c '^RUNLEVEL=' "$T/env")"
	assertNotContains "$(cat "$T/env")" "RUNLEVEL=9"
	assertEquals "one PREVLEVEL" 1 "$(grep -c '^PREVLEVEL=' "$T/env")"
	assertEquals "INIT_VERSION=hydra-0.1" "$(grep '^INIT_VERSION=' "$T/env")"
}

. "$SHUNIT2"
