#!/bin/bash
# Signals to PID 1, shutdown, a broken or missing inittab, and the promise
# that an idle init makes no system call at all.
. "$(dirname "$0")/lib.sh"

test_sigint_runs_ctrlaltdel_and_sigwinch_kbrequest() {
	inittab <<X
id:2:initdefault:
ca::ctrlaltdel:/bin/sh -c 'echo cad >>$T/events'
kb:2:kbrequest:/bin/sh -c 'echo kb >>$T/events'
k3:3:kbrequest:/bin/sh -c 'echo wrong-level >>$T/events'
X
	start_init
	kill -INT "$(init_pid)"
	wait_for grep -q cad "$T/events"
	kill -WINCH "$(init_pid)"
	wait_for grep -q kb "$T/events"
	assertEquals "cad kb " "$(tr '\n' ' ' <"$T/events")"
}

power() {
	if [ -n "$1" ]; then in_namespace sh -c "echo $1 >/run/powerstatus"; fi
	kill -PWR "$(init_pid)"
}

# Are the entries' runs so far these (sorted, on one line)?
events_are() {
	[ "$(sort "$T/events" | tr '\n' ' ' | sed 's/ $//')" = "$1" ]
}

test_sigpwr_runs_power_entries_by_status_file() {
	inittab <<X
id:2:initdefault:
pw::powerwait:/bin/sh -c 'echo powerwait >>$T/events'
pf::powerfail:/bin/sh -c 'echo powerfail >>$T/events'
po::powerokwait:/bin/sh -c 'echo powerokwait >>$T/events'
pn::powerfailnow:/bin/sh -c 'echo powerfailnow >>$T/events'
X
	start_init
	power F
	wait_for events_are "powerfail powerwait"
	assertTrue "in_console 'power failure'"
	assertFalse "status file consumed" "in_namespace test -e /run/powerstatus"
	power O
	wait_for events_are "powerfail powerokwait powerwait"
	assertTrue "in_console 'power restored'"
	power L
	wait_for events_are "powerfail powerfailnow powerokwait powerwait"
	assertTrue "in_console 'power failing, battery low'"
	power ""   # no status file: a power failure, as in sysvinit
	wait_for events_are "powerfail powerfail powerfailnow powerokwait powerwait powerwait"
	assertTrue "a second power failure logged" "console_count 'power failure' 2"
}

# A FIFO where a file should be (the power status, the inittab) must not
# make init wait for a writer forever.
test_fifos_in_place_of_files_do_not_hang_init() {
	inittab <<X
id:2:initdefault:
pf::powerfail:/bin/sh -c 'echo powerfail >>$T/events'
X
	start_init
	in_namespace mkfifo /run/powerstatus
	kill -PWR "$(init_pid)"
	wait_for grep -q powerfail "$T/events"
	assertTrue "in_console 'cannot read /run/powerstatus: not a regular file'"
	mv "$T/inittab" "$T/inittab.file"
	mkfifo "$T/inittab"
	ctl q 2>"$T/err"
	assertEquals "reload refused" 1 $?
	assertTrue "in_console 'cannot read $T/inittab: not a regular file'"
	assertEquals "init still answers" "N 2" "$(rl)"
}

# powerwait is waited for: a level change asked for meanwhile follows it.
test_powerwait_holds_the_level_change() {
	inittab <<X
id:2:initdefault:
pw::powerwait:/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.05; done; echo powerwait-done >>$T/events'
o3:3:once:/bin/sh -c 'echo o3 >>$T/events'
X
	start_init
	power F
	wait_for entry_state_is pw running
	ctl 3 >/dev/null
	sleep 0.3 # give a wrong o3 the chance to show up
	assertFalse "o3 waits" "grep -q o3 $T/events"
	touch "$T/go"
	wait_for grep -q o3 "$T/events"
	assertEquals "powerwait-done o3 " "$(tr '\n' ' ' <"$T/events")"
}

test_other_signals_are_ignored() {
	inittab <<X
id:2:initdefault:
X
	start_init
	local pid
	pid=$(init_pid)
	for signal in QUIT USR2 ALRM ABRT PIPE HUP TSTP TTIN TTOU VTALRM; do
		kill -"$signal" "$pid"
	done
	kill -STOP "$pid"; kill -CONT "$pid"
	assertEquals "N 2" "$(rl)"
	assertTrue "still there" "kill -0 $pid"
}

# SIGTERM (docker stop, runc kill) goes to runlevel 0 in order: the level's
# entries run, then every process gets TERM, KILL after the grace time,
# sync, and init leaves the namespace with status 0.
test_sigterm_shuts_down_in_order() {
	inittab <<X
id:2:initdefault:
r1:2:respawn:/bin/sleep 1000
l0:0:wait:/bin/sh -c 'echo level0 >>$T/events'
X
	start_init -t 1
	wait_for entry_state_is r1 running
	# A process that is no entry of ours and ignores TERM: only the final KILL ends it.
	in_namespace setsid sh -c 'trap "" TERM; while :; do sleep 0.1; done' &
	wait_for in_namespace pgrep -f 'trap'
	strace -f -e trace=sync,kill -o "$T/strace" -p "$(init_pid)" 2>/dev/null &
	local tracer=$!
	wait_for traced "$(init_pid)"
	kill -TERM "$(init_pid)"
	WAIT_SECONDS=15 wait_for init_gone
	wait "$INIT_NS_PID"
	assertEquals "unshare reports init's clean exit" 0 $?
	INIT_NS_PID=
	kill "$tracer" 2>/dev/null; wait "$tracer" 2>/dev/null
	assertTrue "level 0 ran" "grep -q level0 $T/events"
	assertTrue "in_console 'going to runlevel 0'"
	assertTrue "in_console 'sending all processes the TERM signal'"
	assertTrue "in_console 'sending all processes the KILL signal'"
	assertTrue "kill(-1, SIGTERM)" "grep -q 'kill(-1, SIGTERM)' $T/strace"
	assertTrue "kill(-1, SIGKILL)" "grep -q 'kill(-1, SIGKILL)' $T/strace"
	assertTrue "sync() after the kills" "sed -n '/kill(-1, SIGKILL)/,\$p' $T/strace | grep -q 'sync()'"
}

# Without stubborn processes the final stage does not wait out the grace time.
test_shutdown_ends_early() {
	start_one_service r1 -t 60
	ctl 0 >/dev/null
	WAIT_SECONDS=10 wait_for init_gone
	assertFalse "no KILL needed" "in_console 'KILL'"
}

test_bad_lines_at_boot_are_reported_and_the_rest_runs() {
	inittab <<X
id:2:initdefault:
broken line
b2:2:explode:/bin/true
ok:2:once:/bin/sh -c 'echo ok >>$T/events'
X
	start_init
	wait_for grep -q ok "$T/events"
	assertTrue "in_console '$T/inittab:2: missing field'"
	assertTrue "in_console \"$T/inittab:3: unknown action 'explode'\""
}

test_missing_inittab_falls_back_to_a_shell() {
	rm -f "$T/inittab"
	echo 'echo fallback shell ran >>'"$T"'/events' >"$T/console"
	start_init
	wait_for grep -q 'fallback shell ran' "$T/events"
	assertTrue "in_console 'cannot read $T/inittab: No such file or directory'"
	assertTrue "in_console 'falling back to a single-user shell'"
	assertEquals "N S" "$(rl)"
	assertTrue "ctl status | grep -Eq '^~~ +all +respawn'"
}

# A console nobody reads (a full pipe) costs lost lines, never a hung init.
test_a_stuck_console_does_not_block_init() {
	inittab <<X
id:2:initdefault:
loud:2:respawn:/bin/false
X
	mkfifo "$T/fifo"
	exec 7<>"$T/fifo"   # a reader that never reads: the pipe fills up
	rm "$T/console"
	ln -s "$T/fifo" "$T/console"
	start_init -R 1000000/1/1
	# Each death of "loud" is a log line of some 45 bytes: wait until they
	# have all but filled the pipe's 64 KiB, however long that takes here;
	# then 100 more deaths are more lines than there is room for.
	WAIT_SECONDS=60 wait_for pipe_nearly_full 7
	local restarts
	restarts=$(entry_field loud 6)
	wait_for eval '[ "$(entry_field loud 6)" -gt '"$((restarts + 100))"' ]'
	assertEquals "init still answers" "N 2" "$(rl)"
	exec 7>&-
}

# pipe_nearly_full FD: does the pipe on descriptor FD hold more than 63 KiB?
pipe_nearly_full() {
	python3 -c 'import fcntl, struct, sys, termios
queued = struct.unpack("i", fcntl.ioctl(int(sys.argv[1]), termios.FIONREAD, b"0000"))[0]
sys.exit(0 if queued > 63 * 1024 else 1)' "$1"
}

test_unknown_arguments_from_the_kernel_are_ignored() {
	inittab <<X
id:2:initdefault:
X
	start_init auto splash quiet
	assertEquals "N 2" "$(rl)"
	assertTrue "in_console \"ignoring unknown argument 'splash'\""
}

# The property sysvinit (5 s) and tini (1 s) do not have: no periodic wake-up.
test_idle_init_makes_no_system_call() {
	start_one_service r1
	timeout -s INT 3 strace -p "$(init_pid)" -o "$T/strace" 2>/dev/null
	# The only line is the epoll wait that strace found init blocked in
	# (restarted after strace's attach interrupted it).
	assertEquals "system calls while idle" "" "$(grep -Ev '^epoll_p?wait\(' "$T/strace")"
	assertEquals "one blocked wait" 1 "$(grep -Ec '^epoll_p?wait\(' "$T/strace")"
}

. "$SHUNIT2"
