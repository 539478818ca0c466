#!/bin/bash
# utmp and wtmp as sysvinit writes them, read back by Debian's own readers:
# who (coreutils), last and utmpdump (util-linux), runlevel (sysvinit-core,
# unpacked into .cache, never installed). init is PID 1 of a PID namespace,
# pointed at files in the sandbox with HYDRA_UTMP and HYDRA_WTMP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sysvinit.sh"

# start_init, with the accounting files of the sandbox.
start_accounting_init() {
	INIT_ENVIRONMENT="HYDRA_UTMP=$T/utmp HYDRA_WTMP=$T/wtmp" start_init "$@"
}

# Records as utmpdump prints them, one a line: [type] [pid] [id] [user] [line] ...
records() {
	utmpdump "$1" 2>/dev/null
}

has_record() {
	records "$1" | grep -q -- "$2"
}

last_x() {
	last -x -f "$T/wtmp" 2>/dev/null
}

test_boot_and_runlevel_records_read_by_who_last_and_runlevel() {
	local sysvinit
	sysvinit=$(sysvinit_root) || fail "cannot unpack sysvinit-core (apt-get download)"
	: >"$T/utmp"
	: >"$T/wtmp"
	inittab <<X
id:2:initdefault:
X
	start_accounting_init
	wait_for has_record "$T/utmp" '^\[1\]'
	assertContains "$(who -b "$T/utmp")" "system boot"
	assertContains "$(who -r "$T/utmp")" "run-level 2"
	[ -n "$sysvinit" ] && assertEquals "sysvinit's runlevel reads utmp" "N 2" "$("$sysvinit/sbin/runlevel" "$T/utmp")"

	ctl 3 >/dev/null
	wait_for eval 'who -r "$T/utmp" | grep -q "run-level 3"'
	assertContains "$(who -r "$T/utmp")" "last=2"
	[ -n "$sysvinit" ] && assertEquals "2 3" "$("$sysvinit/sbin/runlevel" "$T/utmp")"
	assertEquals "one boot and one level record in utmp, replaced in place" 2 "$(records "$T/utmp" | wc -l)"

	ctl 0 >/dev/null
	wait_for init_gone
	local history
	history=$(last_x | grep -v '^$' | grep -v 'wtmp begins' | awk '{ print $1, $2, $3, $4 }')
	assertEquals "last -x, newest first" "shutdown system down $(uname -r)
runlevel (to lvl 0)
runlevel (to lvl 3)
runlevel (to lvl 2)
reboot system boot $(uname -r)" "$history"
	assertEquals "wtmp holds whole 384-byte records" 0 $(( $(stat -c %s "$T/wtmp") % 384 ))
}

# Each started entry gets INIT_PROCESS, each end DEAD_PROCESS in the same
# utmp slot; the line that login wrote there goes to wtmp with it. Entries
# whose process starts with '+' are not recorded.
test_process_records() {
	: >"$T/utmp"
	: >"$T/wtmp"
	inittab <<X
id:2:initdefault:
g1:2:respawn:/bin/sleep 1000
p1:2:respawn:+/bin/sleep 1001
o1:2:once:/bin/true
X
	start_accounting_init
	wait_for entry_state_is g1 running
	local pid
	pid=$(entry_pid g1)
	wait_for has_record "$T/utmp" "^\[5\] \[0*$pid\] \[g1  \]"
	assertFalse "no record for a '+' entry" "has_record '$T/utmp' 'p1'"
	# What login does on the getty's line: a USER_PROCESS in g1's slot.
	python3 - "$T/utmp" "$pid" <<'X'
import struct, sys
path, pid = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, 'rb').read())
for offset in range(0, len(data), 384):
    if data[offset + 40:offset + 44] == b'g1\0\0':
        record = struct.pack('<hxxi32s4s32s256s', 7, pid, b'ttyS9', b'g1', b'alice', b'')
        data[offset:offset + len(record)] = record
open(path, 'wb').write(bytes(data))
X
	in_namespace kill -TERM "$pid"
	wait_for has_record "$T/wtmp" "^\[8\] \[0*$pid\] \[g1  \] \[ *\] \[ttyS9"
	assertTrue "wtmp: the death, with the login's line" "has_record '$T/wtmp' '^\[8\] \[0*$pid\] \[g1  \] \[ *\] \[ttyS9'"
	assertTrue "utmp: a once entry that ended is dead in its slot" "has_record '$T/utmp' '^\[8\] \[[0-9]*\] \[o1  \]'"
	wait_for eval '[ "$(entry_pid g1)" != "$pid" ] && entry_state_is g1 running'
	assertTrue "the respawned g1 takes the slot again" \
		"has_record '$T/utmp' '^\[5\] \[0*$(entry_pid g1)\] \[g1  \]'"
	assertEquals "one slot per id" 1 "$(records "$T/utmp" | grep -c '\[g1  \]')"
}

# /var is mounted late: a boot record that could not be written goes first
# into wtmp once it can be written.
test_boot_record_waits_for_wtmp() {
	: >"$T/utmp"
	inittab <<X
id:2:initdefault:
mk:2:once:/bin/sh -c ': >$T/wtmp'
X
	start_accounting_init
	wait_for test -e "$T/wtmp"
	wait_for entry_state_is mk done
	ctl 3 >/dev/null
	wait_for has_record "$T/wtmp" '^\[1\]'
	assertEquals "first the boot record, then the level" "reboot runlevel" \
		"$(records "$T/wtmp" | awk -F'] \\[' '$1 == "[2" || $1 == "[1" { sub(/ *$/, "", $4); printf "%s%s", sep, $4; sep = " " }')"
}

# Files that are missing are not created; a FIFO in place of one is
# neither opened for long nor written, and init goes on.
test_missing_files_and_fifos_are_left_alone() {
	mkfifo "$T/utmp" "$T/wtmp"
	inittab <<X
id:2:initdefault:
g1:2:respawn:/bin/sleep 1000
X
	start_accounting_init
	wait_for entry_state_is g1 running
	assertEquals "switching to runlevel 3" "$(ctl 3)"
	wait_for runlevel_is "2 3"
	assertTrue "the FIFOs are still FIFOs" "[ -p '$T/utmp' ] && [ -p '$T/wtmp' ]"
	rm "$T/utmp" "$T/wtmp"
	ctl 2 >/dev/null
	wait_for runlevel_is "3 2"
	assertFalse "utmp was not created" "[ -e '$T/utmp' ]"
	assertFalse "wtmp was not created" "[ -e '$T/wtmp' ]"
}

. "$SHUNIT2"
