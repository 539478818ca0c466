#!/bin/bash
# Large tables: a 1 MiB inittab (some 79,000 entries) is checked, booted
# and reloaded in linear time, and a large status listing arrives whole.
# The waits are generous limits that quadratic code misses by far, not
# timings: bench/inittab.sh measures.
. "$(dirname "$0")/lib.sh"

ENTRIES=79000
LIMIT=20

# Writes $ENTRIES entries with unique hex ids ("13880::off:x", 13 bytes
# each: just under 1 MiB) after the lines given on stdin.
big_inittab() {
	{ cat; awk -v n=$ENTRIES 'BEGIN { for (i = 0; i < n; i++) printf "%x::off:x\n", 80000 + i }'; } \
		>"$T/inittab"
}

test_a_1_mib_inittab_checks() {
	big_inittab </dev/null
	assertTrue "under the size limit" "[ $(stat -c %s "$T/inittab") -le 1048576 ]"
	timeout $LIMIT "$INIT" --check "$T/inittab" >"$T/out" 2>"$T/err"
	assertEquals "exit status (124: still checking after ${LIMIT} s)" 0 $?
	assertEquals "$T/inittab: $ENTRIES entries, 0 errors, default runlevel -" "$(cat "$T/out")"
}

# A duplicate id far from its first use is still found, once, at its line.
test_duplicates_in_a_large_inittab_are_reported() {
	big_inittab </dev/null
	printf '13880:2:once:/bin/true\nzz::off:x\n%x::off:x\n' $((80000 + ENTRIES - 1)) >>"$T/inittab"
	timeout $LIMIT "$INIT" --check "$T/inittab" >"$T/out" 2>"$T/err"
	assertEquals "exit status" 1 $?
	assertEquals "$T/inittab:$((ENTRIES + 1)): duplicate id '13880'
$T/inittab:$((ENTRIES + 3)): duplicate id '$(printf %x $((80000 + ENTRIES - 1)))'" "$(cat "$T/err")"
	assertContains "$(cat "$T/out")" "$((ENTRIES + 1)) entries, 2 errors"
}

test_a_1_mib_inittab_boots_and_reloads() {
	big_inittab <<'X'
id:2:initdefault:
r1:2:respawn:/bin/sleep 1000
X
	WAIT_SECONDS=$LIMIT start_init
	assertTrue "init answers after boot" "timeout $LIMIT $BUILD/runlevel -c $T/sock"
	WAIT_SECONDS=$LIMIT wait_for entry_state_is r1 running
	local r1
	r1=$(entry_pid r1)
	# A new entry at the top, r1 unchanged, the last entry dropped.
	{ echo 'n1:2:respawn:/bin/sleep 999'; sed '$d' "$T/inittab"; } >"$T/inittab.new"
	mv "$T/inittab.new" "$T/inittab"
	timeout $LIMIT "$BUILD/telinit" -c "$T/sock" q >"$T/out" 2>&1
	assertEquals "reload: $(cat "$T/out")" 0 $?
	WAIT_SECONDS=$LIMIT wait_for entry_state_is n1 running
	assertEquals "the new entry runs" running "$(entry_state n1)"
	assertEquals "r1 kept its process" "$r1" "$(entry_pid r1)"
	assertTrue "init still answers" "timeout $LIMIT $BUILD/runlevel -c $T/sock"
}

. "$SHUNIT2"
