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
	# The listing (some 5 MB) arrives whole: header (2), id, r1, the rest.
	timeout $LIMIT "$BUILD/telinit" -c "$T/sock" status >"$T/status"
	assertEquals "status lines" $((ENTRIES + 4)) "$(wc -l <"$T/status")"
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

# Asks for the status on a connection that then never reads, in the
# background; sets STALLED to its pid.
stalled_status_reader() {
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(sys.argv[1])
s.sendall(b"status\n")
print("asked", flush=True)
time.sleep(60)' "$T/sock" >"$T/stalled" &
	STALLED=$!
	wait_for grep -q asked "$T/stalled"
}

# A listing far larger than the socket's buffer arrives whole, and a
# reader that stops reading holds up nobody else.
test_a_large_status_arrives_whole_and_a_stalled_reader_blocks_nobody() {
	{
		printf 'id:2:initdefault:\nr1:2:respawn:/bin/sleep 1000\n'
		awk 'BEGIN { for (i = 0; i < 10000; i++) printf "entry%05d:5:once:/bin/true\n", i }'
	} >"$T/inittab"
	start_init
	wait_for entry_state_is r1 running
	stalled_status_reader
	ctl status >"$T/status"
	assertEquals "telinit status exit status" 0 $?
	assertEquals "lines: header (2), id, r1, 10000 entries" 10004 "$(wc -l <"$T/status")"
	assertEquals "every entry, whole" 10000 "$(grep -Ec '^entry[0-9]{5} +5 +once +stopped +- +0 +-$' "$T/status")"
	assertEquals "the last one" entry09999 "$(tail -n 1 "$T/status" | cut -d' ' -f1)"
	assertEquals "runlevel answers beside the stalled reader" "N 2" "$(rl)"
	kill "$STALLED"
	wait "$STALLED" 2>/dev/null || true # it was killed
}

. "$SHUNIT2"
