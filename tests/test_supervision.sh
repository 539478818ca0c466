#!/bin/bash
# Respawning and its rate limit, reaping orphans, what a child starts with,
# and how deaths are reported; build/init is PID 1 of a PID namespace.
. "$(dirname "$0")/lib.sh"

test_respawn_restarts_at_once() {
	start_one_service r1
	local pid
	pid=$(entry_pid r1)
	in_namespace kill -KILL "$pid"
	wait_for eval '[ "$(entry_pid r1)" != "$pid" ] && entry_state_is r1 running'
	assertTrue "death logged with signal name" "in_console 'r1 (pid $pid) killed by signal KILL'"
	assertEquals "restart counted" 1 "$(entry_field r1 6)"
}

test_exit_status_is_logged() {
	inittab <<X
id:2:initdefault:
e1:2:once:/bin/sh -c 'exit 3'
e2:2:once:/bin/true
X
	start_init
	wait_for in_console 'e1 (pid [0-9]*) exited with status 3'
	assertEquals "exit status 3" "$(ctl status | awk '$1 == "e1" { print $7, $8, $9 }')"
	assertFalse "a clean exit is not logged" "in_console 'e2 (pid'"
}

test_rate_limit_disables_then_reenables() {
	inittab <<X
id:2:initdefault:
fast:2:respawn:/bin/sh -c 'exit 7'
X
	start_init -R 3/60/1
	wait_for in_console 'fast respawning too fast (3 starts in 60 s), disabled for 1 s; command: /bin/sh -c .exit 7.; last exit: exit status 7'
	assertEquals "3 starts, then the pause" 3 \
		"$(sed '/respawning too fast/q' "$T/console" | grep -c 'fast (pid [0-9]*) exited with status 7')"
	wait_for in_console 'fast re-enabled'
	# It still dies at once, so it is disabled again.
	wait_for console_count 'fast respawning too fast' 2 ge
}

# -R 0/W/P would never start a respawn entry: refused, the default kept.
test_a_respawn_count_of_0_is_refused() {
	inittab <<X
id:2:initdefault:
r1:2:respawn:/bin/sleep 1000
X
	start_init -R 0/60/300
	assertTrue "refused" "in_console \"bad respawn limit '0/60/300' (COUNT must be at least 1): keeping 10/120/300\""
	wait_for entry_state_is r1 running
	assertEquals "r1 runs" running "$(entry_state r1)"
}

# -R N/W/0 would restart a failing entry in a busy loop: refused, the
# default pause (300 s) kept.
test_a_respawn_pause_of_0_is_refused() {
	inittab <<X
id:2:initdefault:
fast:2:respawn:/bin/false
X
	start_init -R 2/60/0
	assertTrue "refused" "in_console \"bad respawn limit '2/60/0' (PAUSE must be at least 1 second): keeping 10/120/300\""
	wait_for in_console 'fast respawning too fast (10 starts in 120 s), disabled for 300 s'
	assertContains "$(entry_state fast)" "disabled"
	assertTrue "disabled once, not restarted" "console_count 'fast respawning too fast' 1"
}

test_reload_and_level_change_clear_the_rate_limit() {
	inittab <<X
id:2:initdefault:
fast:23:respawn:/bin/sh -c 'exit 7'
X
	start_init -R 2/60/300
	wait_for in_console 'fast respawning too fast'
	assertContains "$(entry_state fast)" "disabled"
	ctl q >/dev/null
	wait_for in_console 'fast re-enabled'
	wait_for console_count 'fast respawning too fast' 2
	ctl 3 >/dev/null
	wait_for console_count 'fast respawning too fast' 3
}

# telinit a, b or c re-enables a rate-limited entry of that level at once.
test_telinit_a_reenables_a_rate_limited_entry() {
	inittab <<X
id:2:initdefault:
d1:a:ondemand:/bin/sh -c 'exit 7'
X
	start_init -R 2/60/300
	assertEquals "started 1 entry of level a" "$(ctl a)"
	wait_for in_console 'd1 respawning too fast'
	assertContains "$(entry_state d1)" "disabled"
	assertEquals "started again" "started 1 entry of level a" "$(ctl a)"
	assertTrue "re-enabled" "in_console 'd1 re-enabled'"
	wait_for console_count 'd1 respawning too fast' 2
}

# Orphans reparented to PID 1 are all reaped, however the SIGCHLDs coalesce.
test_hundred_orphans_leave_no_zombie() {
	inittab <<X
id:2:initdefault:
mk:2:once:/bin/sh -c 'for i in \$(seq 100); do (sleep 0.3 &) ; done; echo spawned >$T/spawned'
X
	start_init
	wait_for test -e "$T/spawned"
	local init
	init=$(init_pid)
	# The orphans are children of init now; wait until all are gone.
	WAIT_SECONDS=20 wait_for eval "[ -z \"\$(ps --ppid $init -o pid= )\" ]"
	assertEquals "no zombie or orphan left" "" "$(ps --ppid "$init" -o pid=,stat=)"
}

test_child_environment_and_state() {
	inittab <<X
id:2:initdefault:
env:2:once:/bin/sh -c 'env | sort >$T/env; pwd >$T/pwd; umask >$T/umask; grep -E "^Sig(Blk|Ign)" /proc/self/status >$T/signals; ls /proc/self/fd | sort -n | tr "\\n" " " >$T/fds; ps -o pid=,sid= -p \$\$ >$T/sid'
X
	start_init 3>"$T/leaked-descriptor"
	wait_for test -s "$T/sid"
	local env
	env=$(cat "$T/env")
	assertContains "$env" "PATH=/sbin:/usr/sbin:/bin:/usr/bin"
	assertContains "$env" "RUNLEVEL=2"
	assertContains "$env" "PREVLEVEL=N"
	assertContains "$env" "CONSOLE=$T/console"
	assertContains "$env" "INIT_VERSION=hydra-"
	assertContains "$env" "INIT_CONTROL=$T/sock"
	assertNotContains "init's own environment is not passed on" "$env" "LEAKED"
	assertEquals "/" "$(cat "$T/pwd")"
	assertEquals "0022" "$(cat "$T/umask")"
	assertEquals "empty signal mask, nothing ignored" \
		"$(printf 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000')" "$(cat "$T/signals")"
	# sh, then ls: 0-2 and ls's own directory descriptor.
	assertEquals "only 0-2 inherited" "0 1 2 3 " "$(cat "$T/fds")"
	read -r pid sid <"$T/sid"
	assertEquals "a session of its own" "$pid" "$sid"
}

test_shell_metacharacters_use_sh_and_plain_commands_do_not() {
	inittab <<X
id:2:initdefault:
plain:2:respawn:/bin/sleep 1000
meta:2:once:echo level \$RUNLEVEL >$T/meta.out
X
	start_init
	wait_for entry_state_is plain running
	assertEquals "split into words, no shell" "/bin/sleep 1000" \
		"$(in_namespace cat /proc/"$(entry_pid plain)"/cmdline | tr '\0' ' ' | sed 's/ $//')"
	wait_for test -s "$T/meta.out"
	assertEquals "run by the shell" "level 2" "$(cat "$T/meta.out")"
}

# The process's arguments as the kernel has them, one line.
command_line() {
	in_namespace cat /proc/"$(entry_pid "$1")"/cmdline | tr '\0' ' ' | sed 's/ $//'
}

# A leading - runs a login shell (argv[0] starts with -), a leading + (no
# utmp accounting in sysvinit) is dropped; both may come together.
test_login_and_plus_prefixes() {
	inittab <<X
id:2:initdefault:
login:2:respawn:-/bin/sleep 1001
plus:2:respawn:+/bin/sleep 1002
both:2:respawn:+-sleep 1003
shell:2:once:-echo \$0 >$T/zero
X
	start_init
	wait_for entry_state_is login running
	wait_for entry_state_is plus running
	wait_for entry_state_is both running
	assertEquals "-sleep 1001" "$(command_line login)"
	assertEquals "/bin/sleep 1002" "$(command_line plus)"
	assertEquals "-sleep 1003" "$(command_line both)"
	wait_for test -s "$T/zero"
	assertEquals "a login shell for a shell command" "-sh" "$(cat "$T/zero")"
}

test_no_limit_on_the_number_of_words() {
	local words
	words=$(seq -s ' ' -f 'word%g' 1 1000)
	printf 'id:2:initdefault:\nmany:2:once:/bin/echo %s\n' "$words" >"$T/inittab"
	start_init
	wait_for in_console 'word1000'
	assertTrue "every word, in order" "grep -qx '$words' $T/console"
}

# Fork failures come from a pids cgroup (v1 here) whose limit is lowered:
# pids_cgroup makes one (or skips the test), limit_forks moves init and its
# children into it and sets its limit, drop_pids_cgroup removes it.
pids_cgroup() {
	PIDS_CGROUP=/sys/fs/cgroup/pids/hydra-test-$$
	if ! mkdir "$PIDS_CGROUP" 2>/dev/null; then
		startSkipping
		assertTrue "no pids cgroup to make fork fail" false
		return 1
	fi
}

limit_forks() {
	local init process
	init=$(init_pid)
	for process in "$init" $(pgrep -P "$init"); do echo "$process" >"$PIDS_CGROUP/cgroup.procs"; done
	echo "$1" >"$PIDS_CGROUP/pids.max"
}

drop_pids_cgroup() {
	stop_init
	wait_for rmdir "$PIDS_CGROUP"
}

# A fork that fails is logged and tried again a second later; init goes on.
test_failed_fork_is_retried() {
	pids_cgroup || return 0
	start_one_service r1
	local pid
	pid=$(entry_pid r1)
	limit_forks 1
	in_namespace kill "$pid"
	wait_for in_console 'cannot start r1 (/bin/sleep 1000): fork: Resource temporarily unavailable; trying again in 1 s'
	assertEquals "init still answers" "N 2" "$(rl)"
	echo max >"$PIDS_CGROUP/pids.max"
	wait_for entry_state_is r1 running
	drop_pids_cgroup
}

# A once or wait entry whose fork failed holds its level as a wait entry's
# process would: the entries after it are not even tried until it has
# started (and, for wait, ended).
test_failed_fork_of_once_and_wait_entries_holds_the_level() {
	pids_cgroup || return 0
	inittab <<X
id:2:initdefault:
o3:3:once:/bin/sh -c 'echo o3 >>$T/order'
w3:3:wait:/bin/sh -c 'echo w3 >>$T/order'
z3:3:once:/bin/sh -c 'echo z3 >>$T/order'
X
	start_init
	limit_forks 1   # init alone: not one fork
	ctl 3 >/dev/null
	wait_for console_count 'cannot start o3 (.*): fork: .*; trying again in 1 s' 2 ge
	assertFalse "w3 and z3 were not tried" "in_console 'cannot start [wz]3'"
	echo max >"$PIDS_CGROUP/pids.max"
	wait_for grep -q z3 "$T/order"
	assertEquals "all ran" "o3 w3 z3" "$(sort "$T/order" | tr '\n' ' ' | sed 's/ $//')"
	assertEquals "z3 after w3" "w3 z3" "$(grep -v o3 "$T/order" | tr '\n' ' ' | sed 's/ $//')"
	drop_pids_cgroup
}

test_missing_program_is_reported() {
	inittab <<X
id:2:initdefault:
nope:2:once:/no/such/program
X
	start_init
	wait_for in_console 'nope: cannot run /no/such/program: No such file or directory'
	wait_for in_console 'nope (pid [0-9]*) exited with status 127'
}

. "$SHUNIT2"
