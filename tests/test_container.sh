#!/bin/bash
# Container entrypoint mode (init -- COMMAND). Every check runs twice: with
# init as PID 1 of a new PID namespace (as under docker and podman), and as
# a plain child of the test (then init is a subreaper and must find its
# descendants without kill(-1)).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/container_lib.sh"

# The modes and the checks; suite() makes test_<check>_as_<mode> of each.
MODES="pid1 subreaper"
CHECKS="exit_codes success_codes killed_by_signal missing_and_not_executable
	bad_arguments orphans_reaped every_signal_forwarded group_signal
	grandchild_outside_group_ended stubborn_process_killed_after_grace
	mask_and_ignored_inherited parent_death_signal ctrl_c_in_terminal
	job_control_in_terminal stdin_passed inittab_helpers idle_makes_no_system_call
	no_level_messages_without_inittab"

oneTimeSetUp() {
	build_sigtool
}

# Runs init in the foreground (in the current mode), with default signal
# dispositions and a time limit.
run_init() {
	run_in_mode "$INIT" "$@"
}

# Starts init in the background (see start_in_mode).
start_container() {
	start_in_mode "$INIT" "$@"
}

# --- exit status ------------------------------------------------------------

check_exit_codes() {
	local wrong="" code
	for code in $(seq 0 255); do
		run_init -- /bin/sh -c "exit $code"
		[ $? -eq "$code" ] || wrong="$wrong $code"
	done
	assertEquals "exit codes not passed through:" "" "$wrong"
}

check_success_codes() {
	run_init -e 3 -e 143 -- /bin/sh -c 'exit 3'
	assertEquals "-e 3 maps 3 to 0" 0 $?
	run_init -e 3 -e 143 -- /bin/sh -c 'exit 4'
	assertEquals "-e 3 leaves 4 alone" 4 $?
	run_init -e143 -- /bin/sh -c 'kill -TERM $$'
	assertEquals "-e143 maps a death by TERM (143) to 0" 0 $?
	run_init -e 0 -e 255 -- /bin/sh -c 'exit 255'
	assertEquals "-e 255 maps 255 to 0" 0 $?
}

check_killed_by_signal() {
	local name number
	ulimit -c 0
	for name in TERM HUP QUIT KILL USR1 USR2; do
		number=$(kill -l "$name")
		run_init -- /bin/sh -c "kill -$name \$\$"
		assertEquals "main process killed by $name" $((128 + number)) $?
	done
	# And a death caused by a forwarded signal.
	start_container -- sleep $NAP
	wait_for host_pid_of "sleep $NAP"
	kill -TERM "$INIT_HOST_PID"
	wait_container
	assertEquals "TERM to init ends sleep with 143" 143 "$ENDED"
}

check_missing_and_not_executable() {
	run_init -- "$T/missing" 2>"$T/err"
	assertEquals "missing command" 127 $?
	assertTrue "the message names it" "grep -q 'cannot run $T/missing' '$T/err'"
	printf 'data\n' >"$T/plain"
	chmod 644 "$T/plain"
	run_init -- "$T/plain" 2>"$T/err"
	assertEquals "command that is not executable" 126 $?
	run_init -- no-such-command-anywhere 2>/dev/null
	assertEquals "command not found in PATH" 127 $?
}

check_bad_arguments() {
	local arguments
	for arguments in "-x --" "-e" "-e 256 --" "-e abc --" "-p NOSUCHSIGNAL --" "-t -1 --" \
		"-f $T/no-inittab --" "unexpected --"; do
		# shellcheck disable=SC2086
		"$INIT" $arguments touch "$T/started" >/dev/null 2>"$T/err"
		assertEquals "exit status for: init $arguments" 2 $?
		assertTrue "a message for: init $arguments" "[ -s '$T/err' ]"
		assertFalse "nothing started for: init $arguments" "[ -e '$T/started' ]"
	done
	"$INIT" -- >/dev/null 2>"$T/err"
	assertEquals "no command at all" 2 $?
	assertEquals "--version" "$("$INIT" --version -- x)" "$("$INIT" --version)"
}

# --- processes ---------------------------------------------------------------

zombie_children_of() {
	ps -e -o ppid=,stat= | awk -v parent="$1" '$1 == parent && $2 ~ /^Z/' | grep -c .
}

reaped_count() {
	grep -c 'reaped orphan' "$T/err"
}

check_orphans_reaped() {
	start_container -w -- /bin/sh -c \
		"for i in \$(seq 100); do (sleep 0.1 &); done; exec sleep $NAP"
	WAIT_SECONDS=15 wait_for eval '[ "$(reaped_count)" -ge 100 ]'
	assertEquals "orphans reaped while the main process runs" 100 "$(reaped_count)"
	assertEquals "zombies left under init" 0 "$(zombie_children_of "$INIT_HOST_PID")"
	kill -TERM "$INIT_HOST_PID"
	wait_container
	assertEquals 143 "$ENDED"
}

# Every signal init can catch except CHLD: 1-31 without KILL, STOP and CHLD,
# and the real-time ones musl leaves to programs (35-64; 32-34 are its own).
forwardable_signals() {
	seq 1 31 | grep -vxE '9|17|19'
	seq 35 64
}

check_every_signal_forwarded() {
	local number missing=""
	start_container -- "$SIGTOOL" catch "$T/signals"
	wait_for test -s "$T/signals.pid"
	for number in $(forwardable_signals); do
		kill -s "$number" "$INIT_HOST_PID"
		WAIT_SECONDS=3 poll_for recorded "$T/signals" "$number" || missing="$missing $number"
	done
	assertEquals "signals that did not reach the main process:" "" "$missing"
	assertTrue "init still runs" "kill -0 $INIT_HOST_PID"
	kill -KILL "$(host_pid_of "$SIGTOOL catch $T/signals")"
	wait_container
	assertEquals "main process killed by KILL" 137 "$ENDED"
}

check_group_signal() {
	# -g: the grandchild, in the main process's group, gets USR1 too.
	start_container -g -- /bin/sh -c "'$SIGTOOL' catch '$T/grandchild' 15 & wait"
	wait_for test -s "$T/grandchild.pid"
	kill -USR1 "$INIT_HOST_PID"
	wait_for recorded "$T/grandchild" 10
	assertTrue "with -g the grandchild got USR1" "recorded '$T/grandchild' 10"
	wait_container
	assertEquals "main process killed by USR1" 138 "$ENDED"

	# Without -g it does not; it only gets the final TERM.
	rm -f "$T/grandchild" "$T/grandchild.pid"
	start_container -- /bin/sh -c "'$SIGTOOL' catch '$T/grandchild' 15 & wait"
	wait_for test -s "$T/grandchild.pid"
	kill -USR1 "$INIT_HOST_PID"
	wait_container
	assertEquals "main process killed by USR1" 138 "$ENDED"
	assertFalse "without -g the grandchild did not get USR1" "recorded '$T/grandchild' 10"
	assertTrue "the grandchild got TERM at the end" "recorded '$T/grandchild' 15"
}

check_grandchild_outside_group_ended() {
	local started elapsed status
	started=$(date +%s%N)
	run_init -t 60 -- /bin/sh -c "setsid '$SIGTOOL' catch '$T/escaped' 15 &
		while [ ! -s '$T/escaped.pid' ]; do sleep 0.01; done; exit 3"
	status=$?
	elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
	assertEquals "init exits with the main process's status" 3 "$status"
	assertTrue "the process in its own session got TERM" "recorded '$T/escaped' 15"
	assertEquals "nothing left running" "" "$(host_pid_of "$SIGTOOL catch $T/escaped")"
	# run_init's limit is 20 s: a 60 s grace time sat out would end in KILL.
	assertTrue "no waiting for the grace time when all are gone (${elapsed} ms)" \
		"[ $elapsed -lt 20000 ]"
}

check_stubborn_process_killed_after_grace() {
	local started elapsed status
	started=$(date +%s%N)
	run_init -t 1 -- /bin/sh -c "setsid /bin/sh -c 'trap \"\" TERM; echo > $T/ready; exec sleep $NAP' &
		while [ ! -e '$T/ready' ]; do sleep 0.01; done; exit 5"
	status=$?
	elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
	assertEquals 5 "$status"
	assertEquals "the TERM-proof process was killed" "" "$(host_pid_of "sleep $NAP")"
	assertTrue "KILL came after the 1 s grace time, not before (${elapsed} ms)" \
		"[ $elapsed -ge 1000 ]"
}

# --- what the main process inherits ------------------------------------------

check_mask_and_ignored_inherited() {
	local expected actual
	expected=$("$SIGTOOL" mask 10,12,15 2,3,13 bash -c "$(in_mode_program)" in_mode \
		grep -E '^Sig(Blk|Ign)' /proc/self/status)
	actual=$("$SIGTOOL" mask 10,12,15 2,3,13 bash -c "$(in_mode_program)" in_mode \
		"$INIT" -- grep -E '^Sig(Blk|Ign)' /proc/self/status)
	assertNotNull "the mask was read" "$expected"
	assertEquals "mask and ignored signals" "$expected" "$actual"
}

check_parent_death_signal() {
	# A parent that the test can kill: sh, or unshare in PID 1 mode.
	"$SIGTOOL" mask - - sh -c "$(declare -f in_mode); MODE=$MODE
		in_mode '$INIT' -p USR1 -- '$SIGTOOL' catch '$T/signals' & wait" >/dev/null 2>&1 </dev/null &
	CONTAINER=$!
	STARTED="$STARTED $CONTAINER"
	wait_for test -s "$T/signals.pid"
	local parent init_pid
	init_pid=$(for pid in $(descendants "$CONTAINER"); do
		[ "$(readlink "/proc/$pid/exe")" = "$INIT" ] && echo "$pid"; done)
	parent=$(ps -o ppid= -p "$init_pid")
	assertFalse "no USR1 yet" "recorded '$T/signals' 10"
	kill -KILL "$parent"
	wait_for recorded "$T/signals" 10
	assertTrue "init got USR1 when its parent died and passed it on" "recorded '$T/signals' 10"
	kill -KILL "$init_pid" $(descendants "$init_pid") 2>/dev/null
}

# --- terminal ------------------------------------------------------------------

# Starts init under a new pty (see start_in_pty).
start_init_in_pty() {
	start_in_pty bash -c "$(in_mode_program)" in_mode "$INIT" "$@"
}

check_ctrl_c_in_terminal() {
	start_init_in_pty -- /bin/sh -c 'echo ready; read line; echo "line=$line"; exec sleep '"$NAP"
	wait_for in_pty ready
	# Reading works only in the terminal's foreground (else SIGTTIN stops it).
	printf 'abc\n' >&7
	wait_for in_pty line=abc
	assertTrue "the main process read from the terminal" "in_pty line=abc"
	wait_for host_pid_of "sleep $NAP"
	printf '\003' >&7
	wait_container
	assertEquals "Ctrl-C ended the main process: 128+INT" 130 "$ENDED"
	exec 7>&-
}

check_job_control_in_terminal() {
	local sleeper
	start_init_in_pty -- env PS1='P> ' /bin/sh -i
	wait_for eval '[ "$(prompts)" -ge 1 ]'
	printf 'sleep %s\n' "$NAP" >&7
	wait_for host_pid_of "sleep $NAP"
	sleeper=$(host_pid_of "sleep $NAP")
	printf '\032' >&7
	wait_for in_pty Stopped
	assertTrue "Ctrl-Z stopped the job and gave the shell back" "in_pty Stopped"
	wait_for eval '[ "$(prompts)" -ge 2 ]'
	printf 'fg\n' >&7
	wait_for eval '[ "$(ps -o stat= -p '"$sleeper"')" != T ]'
	printf '\003' >&7
	wait_for eval '! kill -0 '"$sleeper"
	assertFalse "Ctrl-C ended the job in the foreground" "kill -0 $sleeper"
	wait_for eval '[ "$(prompts)" -ge 3 ]'
	printf 'exit 5\n' >&7
	wait_container
	assertEquals "the shell's exit status" 5 "$ENDED"
	exec 7>&-
}

check_stdin_passed() {
	echo 'read word; echo "got $word"; exit 7' | in_mode "$INIT" -- /bin/sh >"$T/out"
	assertEquals "status of the script read from stdin" 7 $?
	echo hello | in_mode "$INIT" -- /bin/sh -c 'read word; echo "got $word"' >"$T/out"
	assertEquals "got hello" "$(cat "$T/out")"
}

# tini wakes every second; an idle hydra makes no system call at all.
check_idle_makes_no_system_call() {
	start_container -- /bin/sleep $NAP
	timeout -s INT 3 strace -p "$INIT_HOST_PID" -o "$T/strace" 2>/dev/null
	# The only line is the wait strace found init blocked in.
	assertEquals "system calls while idle" "" "$(grep -Ev '^epoll_p?wait\(' "$T/strace")"
	assertEquals "one blocked wait" 1 "$(grep -Ec '^epoll_p?wait\(' "$T/strace")"
}

# --- -f: inittab entries beside the main command -----------------------------

check_inittab_helpers() {
	local first second
	inittab <<EOF
si::sysinit:/bin/sh -c "echo done > $T/sysinit"
h1:2:respawn:$SIGTOOL catch $T/helper 15
EOF
	start_container -f "$T/inittab" -- /bin/sh -c "test -e '$T/sysinit' && exec '$SIGTOOL' catch '$T/main' 15"
	wait_for test -s "$T/main.pid"
	wait_for host_pid_of "$SIGTOOL catch $T/helper"
	first=$(host_pid_of "$SIGTOOL catch $T/helper")
	rm -f "$T/helper.pid"
	kill -KILL "$first"
	wait_for eval '[ -n "$(host_pid_of "'"$SIGTOOL"' catch '"$T"'/helper")" ] && [ "$(host_pid_of "'"$SIGTOOL"' catch '"$T"'/helper")" != '"$first"' ]'
	second=$(host_pid_of "$SIGTOOL catch $T/helper")
	assertNotEquals "the helper was respawned" "$first" "$second"
	assertNotNull "the helper was respawned" "$second"
	wait_for test -s "$T/helper.pid" # the new instance handles signals
	kill -TERM "$INIT_HOST_PID"
	wait_container
	assertEquals "main process (ran after sysinit) ended by TERM, exit 0" 0 "$ENDED"
	assertTrue "the helper was stopped with TERM" "recorded '$T/helper' 15"
	assertEquals "no helper left" "" "$(host_pid_of "$SIGTOOL catch $T/helper")"
}

# Without -f there are no levels to speak of: -v and -w show the main
# process, not runlevel bookkeeping. With -f the levels mean something.
check_no_level_messages_without_inittab() {
	run_init -v -w -- /bin/sh -c 'exit 0' 2>"$T/err"
	assertEquals "status" 0 $?
	assertTrue "the log works" "grep -q 'init: /bin/sh (pid [0-9]*) ended: exit status 0' '$T/err'"
	assertFalse "no initdefault message: $(cat "$T/err")" "grep -q initdefault '$T/err'"
	assertFalse "no runlevel message: $(cat "$T/err")" "grep -q 'entering runlevel' '$T/err'"
	echo 'r1:2:once:/bin/true' >"$T/inittab"
	run_init -v -f "$T/inittab" -- /bin/sh -c 'exit 0' 2>"$T/err"
	assertTrue "with -f: $(cat "$T/err")" "grep -q 'entering runlevel 2' '$T/err'"
}

. "$SHUNIT2"
