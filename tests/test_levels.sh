#!/bin/bash
# Boot order, runlevels and their switching, reload and ondemand levels,
# with build/init as PID 1 of a PID namespace.
. "$(dirname "$0")/lib.sh"

order() {
	tr '\n' ' ' <"$T/order"
}

order_is() {
	[ "$(order)" = "$1" ]
}

# sysinit entries one at a time, then boot/bootwait, then the level in file
# order; wait entries are barriers, boot entries are not waited for.
test_boot_order_and_wait_barriers() {
	inittab <<X
id:2:initdefault:
s1::sysinit:/bin/sh -c 'sleep 0.3; echo s1 >>$T/order'
s2::sysinit:/bin/sh -c 'echo s2 >>$T/order'
b0::boot:/bin/sh -c 'echo b0-start >>$T/order; while [ ! -e $T/go ]; do sleep 0.05; done; echo b0-end >>$T/order'
b1::bootwait:/bin/sh -c 'sleep 0.3; echo b1 >>$T/order'
w1:2:wait:/bin/sh -c 'sleep 0.3; echo w1 >>$T/order'
o1:2:once:/bin/sh -c 'echo o1 >>$T/order'
o2:3:once:/bin/sh -c 'echo o2-wrong-level >>$T/order'
X
	start_init
	wait_for order_is "s1 s2 b0-start b1 w1 o1 "
	assertEquals "s1 s2 b0-start b1 w1 o1 " "$(order)"
	touch "$T/go"
	wait_for grep -q b0-end "$T/order"
	assertEquals "N 2" "$(rl 2>&1)"
}

test_command_line_level_overrides_initdefault() {
	inittab <<X
id:2:initdefault:
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
X
	start_init 3
	wait_for order_is "o3 "
	assertEquals "N 3" "$(rl)"
}

# A level asked for while sysinit still runs is entered after the boot.
test_level_requested_during_boot() {
	inittab <<X
id:2:initdefault:
si::sysinit:/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.05; done'
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
X
	start_init
	assertEquals "runlevel 3 will follow the boot" "$(ctl 3)"
	assertEquals "N N" "$(rl)"
	touch "$T/go"
	wait_for order_is "o3 "
	assertEquals "N 3" "$(rl)"
}

test_single_user_argument() {
	inittab <<X
id:2:initdefault:
s:S:once:/bin/sh -c 'echo single >>$T/order'
X
	start_init single
	wait_for order_is "single "
	assertEquals "N S" "$(rl)"
}

# Leaving a level: TERM to the process group of each entry the new level
# does not list, KILL after the grace time to those that ignore it.
test_level_switch_terminates_then_kills() {
	inittab <<X
id:2:initdefault:
p1:2:respawn:/bin/sh -c 'sleep 1000 & echo \$! >$T/p1.child; wait'
p2:2:respawn:/bin/sh -c 'trap "" TERM; echo ready >$T/p2.ready; while :; do sleep 0.1; done'
p3:2:respawn:/bin/sh -c '(trap "" TERM; sleep 1000 & echo \$! >$T/p3.stubborn; wait) & wait'
k1:23:respawn:/bin/sleep 1000
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
X
	start_init
	wait_for test -s "$T/p1.child"
	wait_for test -s "$T/p2.ready"
	wait_for test -s "$T/p3.stubborn"
	wait_for entry_state_is k1 running
	local grandchild kept stubborn
	grandchild=$(cat "$T/p1.child") kept=$(entry_pid k1) stubborn=$(cat "$T/p3.stubborn")
	assertContains "$(ctl -t 1 3)" "switching to runlevel 3"
	wait_for order_is "o3 "
	assertEquals "2 3" "$(rl)"
	assertTrue "p1 got TERM, logged as stopped" "in_console 'p1 (pid [0-9]*) stopped$'"
	assertTrue "p2 needed KILL" "in_console 'p2 (process group [0-9]*) still running after 1000 ms: sending KILL'"
	assertTrue "p3's leader died of TERM" "in_console 'p3 (pid [0-9]*) stopped$'"
	assertTrue "p3's group needed KILL" "in_console 'p3 (process group [0-9]*) still running after 1000 ms: sending KILL'"
	assertFalse "the member that ignored TERM is gone" "in_namespace kill -0 $stubborn"
	assertTrue "p2 died by KILL" "in_console 'p2 (pid [0-9]*) stopped: signal KILL$'"
	assertFalse "p1's whole process group got TERM" "in_namespace kill -0 $grandchild"
	assertEquals "k1 keeps running" "$kept" "$(entry_pid k1)"
	assertEquals "stopped" "$(entry_state p1)"
}

# What init stops is logged once as stopped, on a level change and in the
# final stage; a crash while being stopped still reads as a crash.
test_entries_init_stops_are_logged_as_stopped() {
	inittab <<X
id:2:initdefault:
quiet:2:respawn:/bin/sleep 1000
crash:2:respawn:/bin/sh -c 'trap "kill -SEGV \$\$" TERM; echo >$T/crash.ready; while :; do sleep 0.1; done'
exit1:2:respawn:/bin/sh -c 'trap "exit 1" TERM; echo >$T/exit1.ready; while :; do sleep 0.1; done'
last::boot:/bin/sleep 1000
X
	start_init
	wait_for test -e "$T/crash.ready"
	wait_for test -e "$T/exit1.ready"
	wait_for entry_state_is last running
	ctl 3 >/dev/null
	wait_for eval 'entry_state_is quiet stopped && entry_state_is crash stopped && entry_state_is exit1 stopped'
	assertTrue "quiet logged as stopped" "console_count 'quiet (pid [0-9]*) stopped\$' 1"
	assertTrue "exit on TERM: stopped, with its status" "console_count 'exit1 (pid [0-9]*) stopped: exit status 1\$' 1"
	assertTrue "a crash on TERM reads as one" "in_console 'crash (pid [0-9]*) killed by signal SEGV'"
	assertFalse "no entry reads as killed by TERM" "in_console 'killed by signal TERM'"
	ctl 0 >/dev/null
	wait_for init_gone
	assertTrue "the final stage's TERM: stopped" "console_count 'last (pid [0-9]*) stopped\$' 1"
	assertFalse "still nothing killed by TERM" "in_console 'killed by signal TERM'"
}

# An entry still being stopped (its leader gone, a member ignoring TERM)
# and then removed by a reload is not forgotten: the member gets KILL.
test_reload_keeps_stopping_a_removed_entry() {
	inittab <<X
id:2:initdefault:
p3:2:respawn:/bin/sh -c '(trap "" TERM; sleep 1000 & echo \$! >$T/p3.stubborn; wait) & wait'
X
	start_init
	wait_for test -s "$T/p3.stubborn"
	local stubborn
	stubborn=$(cat "$T/p3.stubborn")
	ctl -t 1 3 >/dev/null
	wait_for in_console 'p3 (pid [0-9]*) stopped$'
	echo 'id:2:initdefault:' >"$T/inittab"
	ctl q >/dev/null
	wait_for in_console 'p3 (process group [0-9]*) still running after 1000 ms: sending KILL'
	wait_for eval "! in_namespace kill -0 $stubborn"
	assertFalse "the member that ignored TERM is gone" "in_namespace kill -0 $stubborn"
	wait_for eval "! ctl status | grep -q '^p3 '"
}

# A removed entry being stopped that ends by itself (it ignored TERM) is
# forgotten then, without waiting for the grace time or sending KILL.
test_a_removed_entry_that_exits_by_itself_is_forgotten() {
	inittab <<X
id:2:initdefault:
gone:2:respawn:/bin/sh -c 'trap "" TERM; echo ready >$T/ready; while [ ! -e $T/go ]; do sleep 0.05; done; exit 3'
X
	start_init -t 60
	wait_for test -s "$T/ready"
	echo 'id:2:initdefault:' >"$T/inittab"
	ctl q >/dev/null
	wait_for entry_state_is gone "stopping,removed"
	touch "$T/go"
	wait_for eval "! ctl status | grep -q '^gone '"
	assertTrue "its own exit logged" "in_console 'gone (pid [0-9]*) stopped: exit status 3'"
	assertFalse "no KILL" "in_console 'sending KILL'"
}

# A process group whose last member is no child of ours (its parent, a
# subreaper outside the group, does not reap it) outlives SIGKILL as a
# zombie: nothing will report its end, so the level change goes on without
# it once KILL had its time.
test_a_group_that_outlives_sigkill_is_given_up() {
	cat >"$T/keeper.py" <<'X'
import ctypes, os, sys, time
group = os.getpgrp()              # the entry's process group
os.setpgid(0, 0)                  # the keeper leaves it
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)   # PR_SET_CHILD_SUBREAPER
middle = os.fork()
if middle == 0:
    if os.fork() == 0:            # the member: back in the entry's group
        os.setpgid(0, group)
        with open(sys.argv[1], "w") as ready:
            ready.write(str(os.getpid()))
        os.execv("/bin/sleep", ["sleep", "1000"])
    os._exit(0)                   # the member is the keeper's child now
os.waitpid(middle, 0)
time.sleep(1000)                  # and is never waited for
X
	inittab <<X
id:2:initdefault:
og:2:respawn:/bin/sh -c 'python3 $T/keeper.py $T/member & exec sleep 1000'
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
X
	start_init
	wait_for test -s "$T/member"
	ctl -t 0.5 3 >/dev/null
	WAIT_SECONDS=20 wait_for in_console 'og: process group [0-9]* outlives SIGKILL; going on without it'
	wait_for order_is "o3 "
	assertTrue "KILL came first" "in_console 'og (process group [0-9]*) still running after 500 ms: sending KILL'"
	assertEquals "stopped" "$(entry_state og)"
}

# A process that SIGKILL does not remove (here: held by a tracer that never
# waits, as a frozen or D-state one would be) is given up KILL_WAIT_MS
# after the KILL, once, with init idle meanwhile: the level change and
# then the shutdown go on without it.
test_a_process_that_will_not_die_is_given_up() {
	inittab <<X
id:2:initdefault:
p1:2:respawn:/bin/sleep 1000
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
X
	start_init -t 0.2
	wait_for entry_state_is p1 running
	local held tracer
	held=$(pgrep -P "$(init_pid)" -x sleep)
	python3 "$ROOT/tests/helpers/seize.py" "$held" &
	tracer=$!
	wait_for traced "$held"
	ctl 3 >/dev/null
	wait_for in_console 'p1 (process group [0-9]*) still running after 200 ms: sending KILL'
	# Through the give-up (5 s after the KILL) and past it, init waits
	# for its timer: a few dozen system calls, not thousands a second.
	timeout -s INT 7 strace -p "$(init_pid)" -o "$T/strace" 2>/dev/null
	assertTrue "init idle while it waits ($(wc -l <"$T/strace") system calls)" \
		"[ $(wc -l <"$T/strace") -lt 200 ]"
	WAIT_SECONDS=15 wait_for order_is "o3 "
	assertEquals "the level change went on" "o3 " "$(order)"
	assertEquals "given up once" 1 "$(grep -c 'p1: process group [0-9]* outlives SIGKILL; going on without it' "$T/console")"
	assertEquals "2 3" "$(rl)"
	ctl 0 >/dev/null
	WAIT_SECONDS=20 wait_for in_console 'leaving the PID namespace'
	assertTrue "the shutdown ended too" "in_console 'leaving the PID namespace'"
	# The namespace ends once its last process is reaped: the tracer's.
	kill "$tracer"
	wait "$tracer" 2>/dev/null
	wait_for init_gone
}

# telinit -t sets the grace time of that one change; the next uses init's.
test_grace_time_of_telinit_is_for_one_change() {
	inittab <<X
id:2:initdefault:
s2:2:respawn:/bin/sh -c 'trap "" TERM; while :; do sleep 0.1; done'
s3:3:respawn:/bin/sh -c 'trap "" TERM; while :; do sleep 0.1; done'
X
	start_init -t 0.5
	wait_for entry_state_is s2 running
	ctl -t 0.2 3 >/dev/null
	wait_for entry_state_is s3 running
	assertTrue "in_console 's2 (process group [0-9]*) still running after 200 ms'"
	ctl 2 >/dev/null
	wait_for entry_state_is s2 running
	assertTrue "in_console 's3 (process group [0-9]*) still running after 500 ms'"
}

# When every entry leaves promptly, the switch does not sit out the grace time.
test_level_switch_ends_early() {
	inittab <<X
id:2:initdefault:
p1:2:respawn:/bin/sleep 1000
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
X
	start_init -t 60
	wait_for entry_state_is p1 running
	ctl 3 >/dev/null
	WAIT_SECONDS=10 wait_for order_is "o3 "
	assertEquals "o3 " "$(order)"
}

test_once_runs_on_each_entry_into_its_level() {
	inittab <<X
id:2:initdefault:
o2:2:once:/bin/sh -c 'echo o2 >>$T/order'
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
X
	start_init
	wait_for order_is "o2 "
	ctl 3 >/dev/null
	wait_for order_is "o2 o3 "
	ctl 2 >/dev/null
	wait_for order_is "o2 o3 o2 "
	assertEquals "o2 o3 o2 " "$(order)"
}

# boot entries survive every level change; sysinit does not run again.
test_boot_entries_survive_level_changes() {
	inittab <<X
id:2:initdefault:
b1::boot:/bin/sleep 1000
X
	start_init
	wait_for entry_state_is b1 running
	local pid
	pid=$(entry_pid b1)
	ctl 3 >/dev/null
	ctl 4 >/dev/null
	wait_for runlevel_is "3 4"
	assertEquals "$pid" "$(entry_pid b1)"
}

test_reload_starts_new_stops_removed_and_changed() {
	inittab <<X
id:2:initdefault:
keep:2:respawn:/bin/sleep 1001
change:2:respawn:/bin/sleep 1002
gone:2:respawn:/bin/sleep 1003
X
	start_init
	wait_for entry_state_is gone running
	wait_for entry_state_is change running
	local keep change
	keep=$(entry_pid keep) change=$(entry_pid change)
	inittab <<X
id:2:initdefault:
keep:2:respawn:/bin/sleep 1001
change:2:respawn:/bin/sleep 2002
new:2:respawn:/bin/sleep 1004
X
	assertContains "$(ctl q)" "reloaded"
	wait_for entry_state_is new running
	wait_for eval "! ctl status | grep -q '^gone '"
	assertEquals "unchanged entry keeps its process" "$keep" "$(entry_pid keep)"
	assertNotEquals "changed entry restarted" "$change" "$(entry_pid change)"
	assertTrue "changed entry runs the new command" \
		"in_namespace grep -q 2002 /proc/$(entry_pid change)/cmdline"
	assertTrue "removed entry was stopped" "in_console 'gone (pid [0-9]*) stopped$'"
}

test_sighup_reloads() {
	inittab <<X
id:2:initdefault:
X
	start_init
	inittab <<X
id:2:initdefault:
new:2:once:/bin/sh -c 'echo new >>$T/order'
X
	kill -HUP "$(init_pid)"
	wait_for order_is "new "
	assertTrue "in_console 'reloading'"
}

test_reload_keeps_table_when_inittab_is_gone() {
	start_one_service r1
	rm "$T/inittab"
	ctl q 2>"$T/err"
	assertEquals "telinit q fails" 1 $?
	assertContains "$(cat "$T/err")" "cannot load"
	assertEquals "running" "$(entry_state r1)"
}

test_ondemand_levels() {
	inittab <<X
id:2:initdefault:
d1:a:ondemand:/bin/sleep 1000
d2:b:respawn:/bin/sleep 1000
X
	start_init
	wait_for runlevel_is "N 2"
	assertEquals "stopped" "$(entry_state d1)"
	ctl a >/dev/null
	wait_for entry_state_is d1 running
	assertEquals "stopped" "$(entry_state d2)"
	assertEquals "the runlevel does not change" "N 2" "$(rl)"
	ctl 3 >/dev/null
	wait_for runlevel_is "2 3"
	assertEquals "ondemand entries survive level changes" "running" "$(entry_state d1)"
	# An ondemand entry is respawned like a respawn entry.
	local pid
	pid=$(entry_pid d1)
	in_namespace kill "$pid"
	wait_for eval '[ "$(entry_pid d1)" != "$pid" ] && entry_state_is d1 running'
}

. "$SHUNIT2"
