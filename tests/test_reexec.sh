#!/bin/bash
# telinit u: init re-executes itself and keeps its processes, their states,
# the level, the rate-limit counters and the control socket; a binary at
# init's path that is not hydra is never run; and at the final stage, a
# replaced binary's deleted file is let go. init runs from a copy in the
# sandbox ($T/init), which the tests replace as dpkg would (a rename).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sysvinit.sh"

setUp() {
	make_sandbox
	cp "$BUILD/init" "$T/init"
	INIT=$T/init
}

# Puts a file in place of init's binary the way dpkg does: a new file
# renamed over the old one, whose inode the running init keeps.
replace_binary() {
	cp "$1" "$T/init.new" && chmod 755 "$T/init.new" && mv "$T/init.new" "$T/init"
}

# A build of init that says another version: the same bytes but for the
# version string, which keeps its length.
other_build() {
	local version
	version=$("$BUILD/init" --version)
	sed "s/$version/${version%?}X/g" "$BUILD/init" >"$T/other"
	echo "${version%?}X"
}

version_line() {
	ctl status | head -n 1
}

test_processes_level_and_counters_survive() {
	inittab <<X
id:2:initdefault:
keep:23:respawn:/bin/sleep 1000
fast:23:respawn:/bin/sleep 1001
X
	start_init -R 3/600/600
	ctl 3 >/dev/null
	wait_for runlevel_is "2 3"
	wait_for entry_state_is fast running
	# Three starts of "fast" in the window: one more disables it.
	local pid i
	for i in 1 2; do
		pid=$(entry_pid fast)
		in_namespace kill -KILL "$pid"
		wait_for eval '[ "$(entry_pid fast)" != "$pid" ] && entry_state_is fast running'
	done
	local keep init
	keep=$(entry_pid keep) init=$(init_pid)
	assertEquals "re-executing init" "$(ctl u)"
	wait_for in_console 're-executed: runlevel 3, 3 entries kept'
	assertEquals "the same pid 1" "$init" "$(init_pid)"
	assertEquals "the level" "2 3" "$(rl)"
	assertEquals "the respawning entry keeps its process" "$keep" "$(entry_pid keep)"
	assertEquals "restarts are kept" 2 "$(entry_field fast 6)"
	in_namespace kill -KILL "$(entry_pid fast)"
	wait_for eval 'entry_state fast | grep -q disabled'
	assertContains "the fourth start in the window is one too many" \
		"$(entry_state fast)" "disabled"
	ctl U >/dev/null
	wait_for console_count 're-executed' 2
	assertContains "the pause survives a re-exec too" "$(entry_state fast)" "disabled"
	# The kept process is still supervised: its death is seen.
	in_namespace kill -KILL "$keep"
	wait_for eval '[ "$(entry_pid keep)" != "$keep" ] && entry_state_is keep running'
}

# Deaths around the exec are not lost: each is reaped and reported.
test_deaths_during_the_exec_are_reaped() {
	inittab <<X
id:2:initdefault:
o1:2:once:/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.01; done; exit 3'
o2:2:once:/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.01; done; exit 4'
X
	start_init
	wait_for entry_state_is o2 running
	touch "$T/go"
	ctl u >/dev/null
	wait_for eval 'entry_state_is o1 done && entry_state_is o2 done'
	assertEquals "exit status 3" "$(ctl status | awk '$1 == "o1" { print $7, $8, $9 }')"
	assertEquals "exit status 4" "$(ctl status | awk '$1 == "o2" { print $7, $8, $9 }')"
	assertEquals "no zombie is left" "" "$(in_namespace ps -e -o stat= | grep Z)"
}

test_a_rebuilt_binary_takes_over() {
	start_one_service keep
	local keep new_version
	keep=$(entry_pid keep)
	new_version=$(other_build)
	assertContains "$(version_line)" "$("$BUILD/init" --version):"
	replace_binary "$T/other"
	ctl u >/dev/null
	wait_for in_console "$new_version re-executed"
	assertContains "telinit status answers with the new version" "$(version_line)" "$new_version:"
	assertEquals "$keep" "$(entry_pid keep)"
	assertEquals "the deleted file is let go" "$T/init" "$(readlink "/proc/$(init_pid)/exe")"
}

# dpkg -i sysvinit-core replaces /sbin/init, then runs `init u`.
test_a_binary_that_is_not_hydra_is_never_run() {
	local sysvinit
	sysvinit=$(sysvinit_root) || { fail "cannot unpack sysvinit-core (apt-get download)"; return; }
	start_one_service keep
	local keep
	keep=$(entry_pid keep)
	replace_binary "$sysvinit/sbin/init"
	ctl u >/dev/null
	wait_for in_console 're-executed'
	assertTrue "said so" "in_console '$T/init is not hydra: re-executing the running image from memory'"
	assertContains "still hydra" "$(version_line)" "$("$BUILD/init" --version):"
	assertEquals "$keep" "$(entry_pid keep)"
	assertContains "running from memory, the deleted file let go" \
		"$(readlink "/proc/$(init_pid)/exe")" "/memfd:hydra"
	# Again: the path still holds sysvinit, and hydra still runs.
	ctl u >/dev/null
	wait_for console_count 're-executed' 2
	assertContains "$(version_line)" "$("$BUILD/init" --version):"
}

# One sysvinit request (struct init_request) written to /run/initctl.
initctl_request() { # command runlevel-character [data]
	in_namespace python3 -c 'import os, struct, sys
fd = os.open("/run/initctl", os.O_WRONLY)
os.write(fd, struct.pack("=iiii368s", 0x03091969, int(sys.argv[1]), ord(sys.argv[2]), 0,
                         (sys.argv[3] if len(sys.argv) > 3 else "").encode()))' "$@"
}

# Debian's telinit u comes through the FIFO; the FIFO itself (the same open
# file, with whatever was written meanwhile) and the INIT_* variables set
# through it survive.
test_the_fifo_and_its_variables_survive() {
	inittab <<X
id:2:initdefault:
od:a:ondemand:/bin/sh -c 'echo "greeting \$INIT_GREETING" >>$T/events; exec sleep 1000'
X
	start_init
	initctl_request 6 0 INIT_GREETING=hello
	wait_for in_console 'initctl: set INIT_GREETING=hello'
	local fifo
	fifo=$(in_namespace stat -c %i /run/initctl)
	initctl_request 1 U
	initctl_request 1 a
	wait_for in_console 're-executed: runlevel 2'
	wait_for grep -q 'greeting hello' "$T/events"
	assertEquals "the same FIFO" "$fifo" "$(in_namespace stat -c %i /run/initctl)"
	assertTrue "the new image reads it" "in_namespace ls -l /proc/1/fd | grep -q '/run/initctl\$'"
	assertEquals "one FIFO open, not two" 1 "$(in_namespace ls -l /proc/1/fd | grep -c ' /run/initctl$')"
}

# An exec that fails leaves init as it was, socket and all.
test_a_failed_exec_changes_nothing() {
	start_one_service keep
	local keep
	keep=$(entry_pid keep)
	# Looks like hydra (it holds the state format's name), cannot run.
	printf '#!/nonexistent/interpreter\nhydra-state 1\n' >"$T/script"
	replace_binary "$T/script"
	ctl u >/dev/null
	wait_for in_console "cannot re-execute $T/init: .*going on as before"
	assertEquals "$keep" "$(entry_pid keep)"
	assertEquals "N 2" "$(rl)"
	assertEquals "no socket or state descriptor leaked" \
		"$(ls -l /proc/"$(init_pid)"/fd | grep -c 'socket:\|memfd:')" \
		"$(ls -l /proc/"$(init_pid)"/fd | grep -c 'socket:')"
}

# A binary replaced on disk keeps / busy while PID 1 runs it, and level 0
# remounts / read-only (Debian's umountroot), then may power off at once:
# init re-executes the new file as the level change begins, and level 0
# sees init's file on disk, not a deleted one. The level-2 entry is being
# stopped across the exec.
test_a_replaced_binary_is_let_go_before_level_0() {
	inittab <<X
id:2:initdefault:
keep:2:respawn:/bin/sleep 1000
l0:0:wait:/bin/sh -c 'readlink /proc/1/exe > $T/exe-in-level-0'
X
	start_init
	wait_for entry_state_is keep running
	local new_version
	new_version=$(other_build)
	replace_binary "$T/other"
	ctl 0 >/dev/null
	wait_for init_gone
	wait "$INIT_NS_PID"
	assertEquals "the namespace ended cleanly" 0 $?
	INIT_NS_PID=
	assertTrue "said why" "in_console 'replaced on disk: re-executing before runlevel 0'"
	assertTrue "the new file took over" "in_console '$new_version re-executed'"
	assertEquals "level 0 saw init's file on disk" "$T/init" "$(cat "$T/exe-in-level-0")"
	assertTrue "the level-2 entry was stopped" "in_console 'keep (pid [0-9]*) stopped'"
	assertFalse "nothing left for the final stage" "in_console 'continuing from a copy in memory'"
}

# The same when level 0 was asked for during the boot: it begins when
# the sysinit entry ends, and the re-exec comes first there too.
test_a_replaced_binary_is_let_go_before_a_level_0_asked_at_boot() {
	inittab <<X
id:2:initdefault:
si::sysinit:/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.05; done'
l0:0:wait:/bin/sh -c 'readlink /proc/1/exe > $T/exe-in-level-0'
X
	start_init
	assertContains "$(ctl 0)" "runlevel 0 will follow the boot"
	local new_version
	new_version=$(other_build)
	replace_binary "$T/other"
	touch "$T/go"
	wait_for init_gone
	wait "$INIT_NS_PID"
	INIT_NS_PID=
	assertTrue "the new file took over" "in_console '$new_version re-executed'"
	assertEquals "level 0 saw init's file on disk" "$T/init" "$(cat "$T/exe-in-level-0")"
}

# Replaced while level 0 runs (by its own scripts, say): at the final
# stage init continues from a copy in memory. (In a PID namespace nothing
# is unmounted; tests/test_debian.sh sees the real thing.)
test_final_stage_lets_a_replaced_binary_go() {
	other_build >/dev/null
	inittab <<X
id:2:initdefault:
l0:0:wait:/bin/sh -c 'cp $T/other $T/init.new && mv $T/init.new $T/init'
X
	start_init
	ctl 0 >/dev/null
	wait_for init_gone
	wait "$INIT_NS_PID"
	assertEquals "the namespace ended cleanly" 0 $?
	INIT_NS_PID=
	assertFalse "not replaced when level 0 began" "in_console 're-executing before runlevel 0'"
	assertTrue "said so" "in_console '$T/init was replaced on disk: continuing from a copy in memory'"
	assertTrue "the copy finished the job" "in_console 'the final stage goes on from memory'"
	assertTrue "in_console 'powering off: leaving the PID namespace'"
}

. "$SHUNIT2"
