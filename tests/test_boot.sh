#!/bin/bash
# Boots build/init as PID 1 of a real kernel (Debian's, under QEMU with
# software emulation) with the example rc scripts, and drives the machine
# through its serial console (the helpers are in tests/vm.sh).
#
# One boot is shared by the tests from test_init_is_pid_1 to
# test_telinit_0_powers_off, which ends it; they run in file order.  The
# ways of going down (poweroff, telinit 6, reboot, Ctrl-Alt-Del) get a boot
# each.  Every QEMU is killed when the file ends, however it ends.

. "$(dirname "${BASH_SOURCE[0]}")/vm.sh"

oneTimeSetUp() {
	vm_prepare && vm_start main
}

oneTimeTearDown() {
	vm_clean_up
}

# --- the shared boot ---------------------------------------------------------

test_init_is_pid_1() {
	vm_run 'readlink /proc/1/exe; cat /proc/1/comm'
	assertEquals "PID 1 is /sbin/init" "/sbin/init
init" "$VM_OUTPUT"
	assertTrue "init said it started" "in_dmesg 'init: hydra-'"
	vm_run 'telinit status >/dev/null'
	assertEquals "init answers telinit" 0 "$VM_STATUS"
}

test_rc_sysinit_mounts_and_sets_hostname() {
	vm_run "awk '{ print \$3, \$2 }' /proc/mounts"
	local mount
	for mount in "proc /proc" "sysfs /sys" "devtmpfs /dev" "devpts /dev/pts" \
		"tmpfs /dev/shm" "tmpfs /run"; do
		assertContains "mounted: $mount" "$VM_OUTPUT" "$mount"
	done
	vm_run hostname
	assertEquals "hostname from /etc/hostname" hydra "$VM_OUTPUT"
	vm_run 'ifconfig lo'
	assertContains "rcS.d/S20loopback brought lo up" "$VM_OUTPUT" "UP"
}

test_default_level_ran_its_s_scripts() {
	vm_run runlevel
	assertEquals "N 2" "$VM_OUTPUT"
	# The level's rc runs beside the shell; wait for its last script.
	wait_until 20 marks_include "demo start 2 N"
	assertEquals "rcS.d then rc2.d, in order" "modules start S N
loopback start S N
logger start 2 N
demo start 2 N" "$(marks)"
	vm_run '/etc/rc.d/init.d/demo status && /etc/rc.d/init.d/logger status'
	assertEquals "demo and logger run: $VM_OUTPUT" 0 "$VM_STATUS"
	vm_run 'logger hello-from-the-test'
	# syslogd writes the line when it gets to it: wait for it, not 0.2 s.
	wait_until 20 vm_succeeds 'grep -q hello-from-the-test /var/log/messages'
}

# demo leaves (K80demo), httpd arrives (S30httpd), logger stays: its S10
# link in rc3.d is skipped because it ran in level 2 and has no K link.
test_telinit_3_runs_k_and_s_scripts() {
	vm_run 'telinit 3'
	assertEquals "telinit 3 accepted" 0 "$VM_STATUS"
	wait_until 20 marks_include "httpd start 3 2"
	assertEquals "K80demo stop, then S30httpd start, logger left alone" \
		"modules start S N
loopback start S N
logger start 2 N
demo start 2 N
demo stop 3 2
httpd start 3 2" "$(marks)"
	vm_run runlevel
	assertEquals "2 3" "$VM_OUTPUT"
	assertTrue "init logged the level" "in_dmesg 'init: entering runlevel 3'"
	vm_run '/etc/rc.d/init.d/demo status'
	assertEquals "demo stopped" 3 "$VM_STATUS"
	vm_run 'wget -qO- http://127.0.0.1/'
	assertEquals "httpd serves" "hydra: runlevel 3" "$VM_OUTPUT"
}

test_respawn_entry_comes_back_after_kill_9() {
	vm_run 'cat /run/heartbeat.pid'
	local old=$VM_OUTPUT
	assertNotEquals "heartbeat runs" "" "$old"
	vm_run "kill -9 $old"
	# Wait inside the machine for a new heartbeat: a round trip each.
	wait_until 20 heartbeat_replaced "$old"
	vm_run 'kill -0 $(cat /run/heartbeat.pid) && cat /run/heartbeat.pid'
	assertEquals "the new heartbeat is alive" 0 "$VM_STATUS"
	assertNotEquals "with a new pid" "$old" "$VM_OUTPUT"
	assertTrue "init logged the death" "in_dmesg 'init: hb (pid $old) killed by signal KILL'"
}

heartbeat_replaced() {
	vm_run 'cat /run/heartbeat.pid'
	[ -n "$VM_OUTPUT" ] && [ "$VM_OUTPUT" != "$1" ]
}

test_fast_dying_respawn_entry_is_rate_limited() {
	vm_run "echo 'ff:2345:respawn:/bin/false' >> /etc/inittab && telinit q"
	assertEquals "telinit q accepted" 0 "$VM_STATUS"
	wait_until 30 in_dmesg "init: ff respawning too fast"
	# A round trip through the shell gives a runaway entry time to show.
	vm_run 'true'
	in_dmesg 'init: ff (pid [0-9]*) exited with status 1'
	assertTrue "ff stopped after about 10 starts, not $VM_OUTPUT" "[ $VM_OUTPUT -ge 10 ] && [ $VM_OUTPUT -le 12 ]"
}

# 100 children whose parent exits at once are reparented to init, which
# must reap them when they end.  They live until the test kills them, so
# that a slow machine cannot lose them before they are counted; and they
# are counted once each has become a sleep (a subshell exits before its
# child has run exec, so at first the child is still a shell).  Only the
# sleeps of the console shell's session count: init starts every entry in
# a session of its own, so a sleep orphaned elsewhere (the heartbeat's,
# killed above; a stopped daemon's) is not one of these.
test_orphans_leave_no_zombies() {
	vm_run "orphan_sleeps() { awk -v session=\$(awk '{ print \$6 }' /proc/self/stat) '\$2 == \"(sleep)\" && \$4 == 1 && \$6 == session { print \$1 }' /proc/[0-9]*/stat 2>/dev/null; }"
	vm_run 'i=0; while [ $i -lt 100 ]; do (sleep 1001 &); i=$((i+1)); done'
	wait_until 60 orphans_counted 100 || vm_run 'cat /proc/[0-9]*/stat | awk "\$4 == 1"'
	vm_run 'orphan_sleeps > /tmp/orphans; wc -l < /tmp/orphans; kill $(cat /tmp/orphans)'
	assertEquals "100 orphans of init killed" 100 "$VM_OUTPUT"
	# A zombie keeps its /proc entry until init reaps it.
	wait_until 30 orphans_gone
	vm_run "awk '\$3 == \"Z\"' /proc/[0-9]*/stat 2>/dev/null | wc -l"
	assertEquals "no zombies" 0 "$VM_OUTPUT"
}

# In the machine's shell: orphan_sleeps lists the pids of the sleeps whose
# parent is init, in the shell's own session.
orphans_counted() {
	vm_run "orphan_sleeps | wc -l"
	[ "${VM_OUTPUT:-0}" -eq "$1" ]
}

orphans_gone() {
	vm_run 'for p in $(cat /tmp/orphans); do [ -e /proc/$p ] && echo $p; done | wc -l'
	[ "${VM_OUTPUT:-100}" -eq 0 ]
}

test_init_messages_in_dmesg() {
	vm_run "dmesg | grep 'init: '"
	assertContains "$VM_OUTPUT" "init: hydra-"
	assertContains "$VM_OUTPUT" "init: entering runlevel 2"
	assertContains "$VM_OUTPUT" "init: entering runlevel 3"
	assertContains "$VM_OUTPUT" "respawning too fast"
}

# Level 0 stops the level-3 services, then init powers off: QEMU exits.
test_telinit_0_powers_off() {
	local start
	start=$(now_ms)
	vm_type 'telinit 0'
	vm_wait_exit || fail "QEMU still runs ${DOWN_SECONDS}s after telinit 0"
	local took=$(( $(now_ms) - start ))
	echo "telinit 0: down in $took ms"
	# Every process left at once: the final stage did not sit out the grace time.
	assertFalse "no process needed KILL" "console_has 'sending all processes the KILL signal'"
	assertEquals "QEMU exit status" 0 "${VM_EXIT:-}"
	assertTrue "powered off" "console_has 'reboot: Power down'"
	# Only level 0 stops these two.
	assertTrue "K70httpd ran" "console_has 'httpd: stop'"
	assertTrue "K90logger ran" "console_has 'logger: stop'"
	vm_kill
}

# --- a boot each for the other ways down -------------------------------------

# down_by WHAT EXPECTED: boot, do WHAT (a console line, or "ctrl-alt-del"
# through the monitor), and check that QEMU ends with EXPECTED on the
# console.
down_by() {
	vm_start "$(echo "$1" | tr -c 'a-z0-9\n' -)" || { fail "no boot"; return; }
	local start
	start=$(now_ms)
	if [ "$1" = ctrl-alt-del ]; then
		vm_monitor 'sendkey ctrl-alt-delete'
	else
		vm_type "$1"
	fi
	vm_wait_exit || fail "QEMU still runs ${DOWN_SECONDS}s after $1"
	echo "$1: down in $(( $(now_ms) - start )) ms"
	assertFalse "$1: no process needed KILL" "console_has 'sending all processes the KILL signal'"
	assertEquals "QEMU exit status after $1" 0 "${VM_EXIT:-}"
	assertTrue "$1: '$2' on the console" "console_has '$2'"
	vm_kill
}

test_poweroff_powers_off() {
	down_by poweroff "reboot: Power down"
}

test_telinit_6_reboots() {
	down_by 'telinit 6' "reboot: Restarting system"
	assertTrue "level 6 stopped the services" "console_has 'logger: stop'"
}

test_reboot_reboots() {
	down_by reboot "reboot: Restarting system"
}

test_ctrl_alt_del_runs_the_ctrlaltdel_entry() {
	down_by ctrl-alt-del "reboot: Restarting system"
	assertTrue "the ctrlaltdel entry ran" "console_has 'ctrlaltdel: Ctrl-Alt-Del pressed'"
}

. "$SHUNIT2"
