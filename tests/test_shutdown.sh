#!/bin/bash
# hydra's own shutdown, for systems where hydra replaced sysvinit-core and
# its shutdown with it: now or +MINUTES, -h (-H, -P) or -r, -c to cancel,
# -k to only warn. It asks init over the socket ($INIT_CONTROL) and sets
# INIT_HALT through /run/initctl for rc 0, as sysvinit's does. Every call
# runs inside init's namespaces (its /run is init's).
. "$(dirname "$0")/lib.sh"

HOST_PID_NAMESPACE=$(readlink /proc/self/ns/pid)

in_init_namespaces() {
	in_namespace sh -c '[ "$(readlink /proc/self/ns/pid)" != "$0" ] && exec "$@"' \
		"$HOST_PID_NAMESPACE" env INIT_CONTROL="$T/sock" "$@"
}

level_inittab() {
	inittab <<X
id:2:initdefault:
l0:0:wait:/bin/sh -c 'echo "rc0 INIT_HALT=\$INIT_HALT" >>$T/events'
l1:1:wait:/bin/sh -c 'echo rc1 >>$T/events'
l6:6:wait:/bin/sh -c 'echo rc6 >>$T/events'
ca:12345:ctrlaltdel:$BUILD/shutdown -t1 -a -r now
X
}

in_events() {
	grep -q -- "$1" "$T/events"
}

shutdown_now() { # expected-INIT_HALT expected-log options...
	local halt=$1 log=$2
	shift 2
	level_inittab
	start_init
	in_init_namespaces "$BUILD/shutdown" "$@" now >"$T/out" 2>&1
	wait_for init_gone
	assertContains "$(cat "$T/out")" "The system is going down for system halt NOW!"
	assertTrue "rc 0 saw INIT_HALT=$halt: $(cat "$T/events")" "in_events 'rc0 INIT_HALT=$halt\$'"
	assertTrue "in_console '$log: leaving the PID namespace'"
}

test_h_H_halts() {
	shutdown_now HALT halting -h -H
}

test_h_P_powers_off() {
	shutdown_now POWEROFF "powering off" -h -P
}

test_h_leaves_it_to_rc0() {
	shutdown_now "" "powering off" -h
}

test_r_reboots() {
	level_inittab
	start_init
	in_init_namespaces "$BUILD/shutdown" -r now "back soon" >"$T/out" 2>&1
	wait_for init_gone
	assertContains "$(cat "$T/out")" "The system is going down for reboot NOW! back soon"
	assertTrue "in_events rc6"
	assertTrue "in_console 'rebooting: leaving the PID namespace'"
}

# Debian's inittab: ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now
test_ctrl_alt_del_reboots() {
	level_inittab
	start_init
	kill -INT "$(init_pid)"
	wait_for init_gone
	assertTrue "in_events rc6"
	assertTrue "in_console 'rebooting: leaving the PID namespace'"
}

# A shutdown in minutes waits, with /run/nologin in the last five; -c
# ends it, and nothing happens.
test_a_waiting_shutdown_is_cancelled() {
	level_inittab
	start_init
	in_init_namespaces "$BUILD/shutdown" -h +3 maintenance >"$T/out" 2>&1 &
	local waiting=$!
	wait_for in_namespace test -s /run/shutdown.pid
	wait_for grep -q "going DOWN for system halt in 3 minutes! maintenance" "$T/out"
	assertTrue "logins refused" "in_namespace test -e /run/nologin"
	in_init_namespaces "$BUILD/shutdown" -c
	assertEquals "cancel succeeds" 0 $?
	wait "$waiting"
	assertContains "$(cat "$T/out")" "Shutdown cancelled."
	assertFalse "pid file gone" "in_namespace test -e /run/shutdown.pid"
	assertFalse "nologin gone" "in_namespace test -e /run/nologin"
	assertEquals "still in level 2" "N 2" "$(rl)"
	in_init_namespaces "$BUILD/shutdown" -c 2>"$T/err"
	assertEquals "nothing to cancel" 1 $?
}

# As sysvinit's: the warning goes to every login's terminal (utmp, here
# $HYDRA_UTMP), not only to shutdown's own output.
test_the_warning_is_broadcast_to_logins() {
	level_inittab
	start_init
	python3 "$ROOT/tests/helpers/login.py" "$T/utmp" "$T/terminal" &
	local login=$! waiting
	wait_for test -s "$T/utmp"
	in_init_namespaces env HYDRA_UTMP="$T/utmp" "$BUILD/shutdown" -k -h +3 disk change >"$T/out" 2>&1 &
	waiting=$!
	wait_for grep -q "in 3 minutes" "$T/terminal"
	in_init_namespaces "$BUILD/shutdown" -c >/dev/null
	wait "$waiting" "$login"
	assertContains "$(cat "$T/terminal")" "Broadcast message from shutdown (root@"
	assertContains "$(tr -d '\r' <"$T/terminal")" "The system is going DOWN for system halt in 3 minutes! disk change"
}

test_k_only_warns() {
	level_inittab
	start_init
	in_init_namespaces "$BUILD/shutdown" -k -r now >"$T/out" 2>&1
	assertContains "$(cat "$T/out")" "Only a warning"
	assertEquals "N 2" "$(rl)"
}

test_without_h_or_r_goes_to_single_user() {
	level_inittab
	start_init
	in_init_namespaces "$BUILD/shutdown" now >"$T/out" 2>&1
	wait_for runlevel_is "2 1"
	wait_for in_events rc1
}

# The minutes shutdown -k counts to HH:MM (the local time 37 minutes from
# now as date tells it), with env's arguments ZONE: TZ=NAME or -u TZ.
minutes_to_hh_mm() {
	local target waiting
	target=$(env "$@" date -d '+37 minutes' +%H:%M)
	in_init_namespaces env "$@" "$BUILD/shutdown" -k -h "$target" >"$T/out" 2>&1 &
	waiting=$!
	wait_for grep -q "going DOWN" "$T/out"
	in_init_namespaces "$BUILD/shutdown" -c >/dev/null
	wait "$waiting"
	sed -n 's/.* in \([0-9]*\) minutes.*/\1/p' "$T/out"
}

# HH:MM is the next time the local clock shows it, counted in whole
# minutes as sysvinit does: in the zone of TZ (a name, :NAME or a path),
# /etc/localtime without TZ; half-hour offsets and summer time included
# (Lord Howe keeps summer time from October to April, +10:30/+11).
test_hh_mm_is_local_time() {
	level_inittab
	start_init
	local zone minute got
	for zone in "-u TZ" TZ= TZ=Etc/UTC TZ=Europe/Berlin TZ=:Asia/Kolkata \
		TZ=/usr/share/zoneinfo/America/St_Johns TZ=Australia/Lord_Howe; do
		# Once more if the minute turned meanwhile (the count is one less).
		for _ in 1 2 3; do
			minute=$(( $(date +%s) / 60 ))
			got=$(minutes_to_hh_mm $zone)
			[ "$minute" = $(( $(date +%s) / 60 )) ] && break
		done
		assertEquals "$zone" 37 "$got"
	done
	assertEquals "still in level 2" "N 2" "$(rl)"
}

test_hh_mm_with_an_unknown_zone_is_refused() {
	level_inittab
	start_init
	in_init_namespaces env TZ=No/Such_Zone "$BUILD/shutdown" -h 12:30 >"$T/out" 2>&1
	assertEquals 1 $?
	assertContains "$(cat "$T/out")" "shutdown: cannot read the time zone /usr/share/zoneinfo/No/Such_Zone: No such file or directory"
	in_init_namespaces env TZ=/etc/passwd "$BUILD/shutdown" -h 12:30 >"$T/out" 2>&1
	assertEquals 1 $?
	assertContains "$(cat "$T/out")" "shutdown: /etc/passwd is not a zone file (tzfile(5))"
	assertFalse "nothing waits" "in_namespace test -e /run/shutdown.pid"
	assertEquals "N 2" "$(rl)"
}

# Inside init's namespaces, with a time limit: a time wrongly taken must
# not start a real shutdown on the machine running the tests.
test_bad_times_and_options() {
	level_inittab
	start_init
	local time
	for time in 24:00 12:60 12:5 123:00 +12:30 12:30x 1230x; do
		in_init_namespaces timeout 10 "$BUILD/shutdown" -h "$time" 2>"$T/err"
		assertEquals "$time refused" 2 $?
		assertContains "$(cat "$T/err")" "give the time as now, +MINUTES or HH:MM"
	done
	in_init_namespaces timeout 10 "$BUILD/shutdown" -r 2>"$T/err"
	assertEquals 2 $?
	in_init_namespaces timeout 10 "$BUILD/shutdown" -r -H now 2>"$T/err"
	assertEquals 2 $?
	assertContains "$(cat "$T/err")" "-H and -P go with -h"
	assertContains "$("$BUILD/shutdown" --help)" "usage: shutdown"
	assertEquals "nothing happened" "N 2" "$(rl)"
}

. "$SHUNIT2"
