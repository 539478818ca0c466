#!/bin/bash
# halt, poweroff and reboot with sysvinit's options, as Debian's scripts
# call them: /etc/init.d/halt runs `halt -d -f -i -p -h`, umountnfs.sh
# `halt -w`, /etc/init.d/reboot `reboot -d -f -i`. Every call that may
# reach reboot(2) runs inside init's PID namespace, where reboot(2) only
# ends the namespace (its init dies of SIGINT for halt and power-off, of
# SIGHUP for a restart); strace shows which command the kernel got.
. "$(dirname "$0")/lib.sh"

HOST_PID_NAMESPACE=$(readlink /proc/self/ns/pid)

# Runs a command in init's namespaces, and only there.
in_init_namespaces() {
	in_namespace sh -c '[ "$(readlink /proc/self/ns/pid)" != "$0" ] && exec "$@"' \
		"$HOST_PID_NAMESPACE" "$@"
}

# Waits for the namespace's end; $ENDED: 130 (SIGINT), 129 (SIGHUP) or 0
# (init exited). Not in a subshell: only this shell may wait for it.
wait_namespace() {
	wait "$INIT_NS_PID"
	ENDED=$?
	INIT_NS_PID=
}

# An rc 0 or rc 6 entry that runs a command under strace, which writes the
# reboot(2) call to $T/strace.
level_inittab() { # rc0-command rc6-command
	inittab <<X
id:2:initdefault:
l0:0:wait:strace -f -e trace=reboot -o $T/strace $1
l6:6:wait:strace -f -e trace=reboot -o $T/strace $2
X
}

reboot_command() {
	wait_for test -s "$T/strace"
	grep -o 'LINUX_REBOOT_CMD_[A-Z_]*' "$T/strace"
}

# /etc/init.d/halt with HALT=poweroff in /etc/default/halt: power off at
# once, from rc 0, before init's own final stage.
test_debian_halt_script_powers_off() {
	level_inittab "$BUILD/halt -d -f -i -p -h" "true"
	start_init
	ctl 0 >/dev/null
	wait_namespace
	assertEquals "killed by the kernel's SIGINT" 130 "$ENDED"
	assertEquals "LINUX_REBOOT_CMD_POWER_OFF" "$(reboot_command)"
	assertFalse "before init's final stage" "in_console 'sending all processes the TERM signal'"
}

# HALT=halt, or shutdown -H: no -p.
test_debian_halt_script_halts() {
	level_inittab "$BUILD/halt -d -f -i -h" "true"
	start_init
	ctl 0 >/dev/null
	wait_namespace
	assertEquals 130 "$ENDED"
	assertEquals "LINUX_REBOOT_CMD_HALT" "$(reboot_command)"
}

test_debian_reboot_script_restarts() {
	level_inittab "true" "$BUILD/reboot -d -f -i"
	start_init
	ctl 6 >/dev/null
	wait_namespace
	assertEquals "killed by the kernel's SIGHUP" 129 "$ENDED"
	assertEquals "LINUX_REBOOT_CMD_RESTART" "$(reboot_command)"
}

# In the scripts of level 0 or 6, halt acts at once even without -f, as
# sysvinit's does ($RUNLEVEL and $INIT_VERSION say where it runs).
test_halt_from_level_0_scripts_acts_at_once() {
	level_inittab "$BUILD/poweroff" "true"
	start_init
	ctl 0 >/dev/null
	wait_namespace
	assertEquals 130 "$ENDED"
	assertEquals "LINUX_REBOOT_CMD_POWER_OFF" "$(reboot_command)"
}

# umountnfs.sh's halt -w: the wtmp record, nothing else.
test_halt_w_writes_only_the_wtmp_record() {
	level_inittab true true
	start_init
	: >"$T/wtmp"
	in_init_namespaces env HYDRA_WTMP="$T/wtmp" "$BUILD/halt" -w
	assertEquals "halt -w succeeds" 0 $?
	assertContains "$(utmpdump "$T/wtmp" 2>/dev/null)" "[shutdown]"
	assertEquals "nothing else happened" "N 2" "$(rl)"
	: >"$T/wtmp"
	in_init_namespaces env HYDRA_WTMP="$T/wtmp" "$BUILD/halt" -w -d
	in_init_namespaces env HYDRA_WTMP="$T/wtmp" "$BUILD/halt" -w -n
	assertEquals "-d and -n: no record" 0 "$(stat -c %s "$T/wtmp")"
	assertEquals "N 2" "$(rl)"
}

# -f writes the record first (unless -d), as sysvinit's halt.
test_halt_f_writes_the_wtmp_record_first() {
	level_inittab true true
	start_init
	: >"$T/wtmp"
	in_init_namespaces env HYDRA_WTMP="$T/wtmp" "$BUILD/reboot" -f
	wait_namespace
	assertEquals 129 "$ENDED"
	assertContains "$(utmpdump "$T/wtmp" 2>/dev/null)" "[shutdown]"
}

# Outside levels 0 and 6, without -f, the options ask init for the change.
test_options_outside_level_0_and_6_ask_init() {
	level_inittab true true
	start_init
	local answer
	answer=$(in_init_namespaces "$BUILD/halt" -d -i -h -p -c "$T/sock" 2>&1)
	assertContains "$answer" "switching to runlevel 0"
	wait_namespace
	assertEquals "init's own final stage" 0 "$ENDED"
	assertTrue "in_console 'powering off: leaving the PID namespace'"
}

test_unknown_options_and_help() {
	"$BUILD/halt" -x >/dev/null 2>"$T/err"
	assertEquals 2 $?
	assertContains "$(cat "$T/err")" "usage: halt [-dfhinpw]"
	assertContains "$("$BUILD/poweroff" --help)" "usage: poweroff"
}

. "$SHUNIT2"
