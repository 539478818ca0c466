#!/bin/bash
# Boots build/init as PID 1 of a real kernel (Debian's, under QEMU with
# software emulation) with the example rc scripts, and drives the machine
# through its serial console: a shell reads what we type into a fifo, and
# the console's output is collected in a log that the tests wait on.
#
# One boot is shared by the tests from test_init_is_pid_1 to
# test_telinit_0_powers_off, which ends it; they run in file order.  The
# ways of going down (poweroff, telinit 6, reboot, Ctrl-Alt-Del) get a boot
# each.  Every QEMU is killed when the file ends, however it ends.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
SHUNIT2=${SHUNIT2:-/usr/share/shunit2/shunit2}

# Seconds allowed for a boot to reach the shell, and for the machine to be
# gone after it was asked to power off or reboot.
BOOT_SECONDS=${BOOT_SECONDS:-60}
DOWN_SECONDS=${DOWN_SECONDS:-20}

WORK=
VM_DIR=
VM_PID=

# --- the machine -----------------------------------------------------------

oneTimeSetUp() {
	WORK=$(mktemp -d /tmp/hydra-boot.XXXXXX)
	KERNEL_IMAGE=$("$ROOT/qemu/fetch-kernel.sh" "$ROOT/.cache/kernel") ||
		{ echo "cannot get a kernel" >&2; return 1; }
	"$ROOT/qemu/mkinitramfs.sh" "$WORK/initramfs.gz" "$BUILD/init" "$ROOT/inittab.example" ||
		{ echo "cannot build the initramfs" >&2; return 1; }
	vm_start main
}

oneTimeTearDown() {
	vm_kill
	[ -n "$WORK" ] && rm -rf "$WORK"
	WORK=
}

# now_ms: milliseconds since the epoch.
now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# wait_until SECONDS COMMAND...: run COMMAND until it succeeds; fail after
# SECONDS.  The tests wait for conditions this way, never for a fixed time.
wait_until() {
	local deadline=$(( $(now_ms) + $1 * 1000 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# console: the console's output so far, without the \r of CRLF.
console() {
	tr -d '\r' < "$VM_DIR/console.log"
}

console_has() {
	console | grep -q -F -- "$1"
}

# console_has_or_vm_gone TEXT: what to wait for, so that a machine that died
# does not make every later wait run to its time limit.
console_has_or_vm_gone() {
	console_has "$1" || ! vm_alive
}

vm_alive() {
	[ -n "$VM_PID" ] && kill -0 "$VM_PID" 2>/dev/null
}

vm_gone() {
	! vm_alive
}

# vm_start NAME: boot a machine whose files are under $WORK/NAME and wait
# for the shell on its console.
vm_start() {
	VM_DIR=$WORK/$1
		mkdir -p "$VM_DIR"
	# A session of its own, so that vm_kill reaches boot.sh, timeout and
	# QEMU at once.
	setsid "$ROOT/qemu/boot.sh" --kernel "$KERNEL_IMAGE" --initrd "$WORK/initramfs.gz" \
		--serial-pipe "$VM_DIR/console" --monitor-pipe "$VM_DIR/monitor" \
		--timeout 300 </dev/null >"$VM_DIR/boot.out" 2>&1 &
	VM_PID=$!
	wait_until 10 test -p "$VM_DIR/console.out" -a -p "$VM_DIR/monitor.out" ||
		{ echo "boot.sh made no console fifos: $(cat "$VM_DIR/boot.out")" >&2; return 1; }
	# QEMU opens the fifos read-write, so these opens do not wait for it.
	cat "$VM_DIR/console.out" > "$VM_DIR/console.log" &
	cat "$VM_DIR/monitor.out" > "$VM_DIR/monitor.log" &
	exec {VM_CONSOLE}>"$VM_DIR/console.in"
	exec {VM_MONITOR}>"$VM_DIR/monitor.in"
	if ! wait_until "$BOOT_SECONDS" console_has_or_vm_gone "hydra: shell ready" ||
		! console_has "hydra: shell ready"; then
		echo "no shell on the console after ${BOOT_SECONDS}s; console:" >&2
		console | tail -n 30 >&2
		return 1
	fi
}

# vm_kill: end the machine, whatever its state, and what reads its fifos.
vm_kill() {
	if [ -n "$VM_PID" ]; then
		kill -KILL -- "-$VM_PID" 2>/dev/null
		wait "$VM_PID" 2>/dev/null
		VM_PID=
	fi
	if [ -n "${VM_CONSOLE:-}" ]; then
		exec {VM_CONSOLE}>&- {VM_MONITOR}>&-
		VM_CONSOLE= VM_MONITOR=
	fi
	# The cats end when the fifos' last writer, QEMU, is gone.
	wait 2>/dev/null
}

# vm_wait_exit: wait for QEMU to end by itself; sets VM_EXIT to its status.
vm_wait_exit() {
	if wait_until "$DOWN_SECONDS" vm_gone; then
		wait "$VM_PID"
		VM_EXIT=$?
		VM_PID=
		return 0
	fi
	return 1
}

# vm_type LINE: type a line into the console.
vm_type() {
	printf '%s\n' "$1" >&"$VM_CONSOLE"
}

# vm_run COMMAND: run a shell command on the machine's console and wait for
# it to finish; its output goes to VM_OUTPUT, its status to VM_STATUS.
# The markers are typed with "" inside so that the echo of the typed line
# does not match them; only the output of echo does.
vm_run() {
	# A file, not a variable: vm_run also runs in $(...) subshells.
	local n
	n=$(( $(cat "$VM_DIR/commands" 2>/dev/null || echo 0) + 1 ))
	echo "$n" > "$VM_DIR/commands"
	vm_type "echo @@\"\"start-$n; $1; echo @@\"\"end-$n:\$?"
	if ! wait_until 30 console_has_or_vm_gone "@@end-$n:" || ! console_has "@@end-$n:"; then
		fail "no end of command '$1'; console: $(console | tail -n 20)"
		VM_OUTPUT= VM_STATUS=255
		return 1
	fi
	VM_OUTPUT=$(console | sed -n "/^@@start-$n\$/,/@@end-$n:/p" | sed '1d;$d')
	VM_STATUS=$(console | sed -n "s/.*@@end-$n:\([0-9]*\).*/\1/p" | tail -n 1)
}

# vm_monitor COMMAND: a QEMU monitor command.
vm_monitor() {
	printf '%s\n' "$1" >&"$VM_MONITOR"
}

# marks: the services' marks (rc/functions) as one line each.
marks() {
	vm_run 'cat /run/marks/log'
	echo "$VM_OUTPUT"
}

marks_include() {
	marks | grep -q -x -F -- "$1"
}

# --- the shared boot ---------------------------------------------------------

test_init_is_pid_1() {
	vm_run 'readlink /proc/1/exe; cat /proc/1/comm'
	assertEquals "PID 1 is /sbin/init" "/sbin/init
init" "$VM_OUTPUT"
	assertTrue "init said it started" "console_has 'init: hydra-'"
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
	assertEquals "rcS.d then rc2.d, in order" "loopback start S N
logger start 2 N
demo start 2 N" "$(marks)"
	vm_run '/etc/rc.d/init.d/demo status && /etc/rc.d/init.d/logger status'
	assertEquals "demo and logger run: $VM_OUTPUT" 0 "$VM_STATUS"
	vm_run 'logger hello-from-the-test; sleep 0.2; cat /var/log/messages'
	assertContains "the logger logs" "$VM_OUTPUT" "hello-from-the-test"
}

# demo leaves (K80demo), httpd arrives (S30httpd), logger stays: its S10
# link in rc3.d is skipped because it ran in level 2 and has no K link.
test_telinit_3_runs_k_and_s_scripts() {
	vm_run 'telinit 3'
	assertEquals "telinit 3 accepted" 0 "$VM_STATUS"
	wait_until 20 marks_include "httpd start 3 2" ||
		fail "httpd never started; console: $(console | tail -n 20)"
	assertEquals "K80demo stop, then S30httpd start, logger left alone" \
		"loopback start S N
logger start 2 N
demo start 2 N
demo stop 3 2
httpd start 3 2" "$(marks)"
	vm_run runlevel
	assertEquals "2 3" "$VM_OUTPUT"
	assertTrue "init logged the level" "console_has 'init: entering runlevel 3'"
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
	wait_until 20 heartbeat_replaced "$old" ||
		fail "heartbeat $old not replaced; console: $(console | tail -n 20)"
	vm_run 'kill -0 $(cat /run/heartbeat.pid) && cat /run/heartbeat.pid'
	assertEquals "the new heartbeat is alive" 0 "$VM_STATUS"
	assertNotEquals "with a new pid" "$old" "$VM_OUTPUT"
	assertTrue "init logged the death" "console_has 'init: hb (pid $old) killed by signal KILL'"
}

heartbeat_replaced() {
	vm_run 'cat /run/heartbeat.pid'
	[ -n "$VM_OUTPUT" ] && [ "$VM_OUTPUT" != "$1" ]
}

test_fast_dying_respawn_entry_is_rate_limited() {
	vm_run "echo 'ff:2345:respawn:/bin/false' >> /etc/inittab && telinit q"
	assertEquals "telinit q accepted" 0 "$VM_STATUS"
	wait_until 30 console_has "respawning too fast" ||
		fail "no rate limiting; console: $(console | tail -n 20)"
	assertTrue "the line names the entry" \
		"console | grep 'respawning too fast' | grep -q -w ff"
	# A round trip through the shell gives a runaway entry time to show.
	vm_run 'true'
	local starts
	starts=$(console | grep -c 'init: ff (pid [0-9]*) exited with status 1')
	assertTrue "ff stopped after about 10 starts, not $starts" "[ $starts -ge 10 ] && [ $starts -le 12 ]"
}

# 100 children whose parent exits at once are reparented to init, which
# must reap them when they end.
test_orphans_leave_no_zombies() {
	vm_run 'i=0; while [ $i -lt 100 ]; do (sleep 2 &); i=$((i+1)); done'
	vm_run "awk '\$2 == \"(sleep)\" && \$4 == 1' /proc/[0-9]*/stat 2>/dev/null | wc -l"
	assertTrue "100 orphans of init, saw $VM_OUTPUT" "[ ${VM_OUTPUT:-0} -ge 100 ]"
	wait_until 30 orphans_gone ||
		fail "orphans still there: $VM_OUTPUT"
	vm_run "awk '\$3 == \"Z\"' /proc/[0-9]*/stat 2>/dev/null | wc -l"
	assertEquals "no zombies" 0 "$VM_OUTPUT"
}

# Only the sleep 3600 of the heartbeat killed above is left with parent 1.
orphans_gone() {
	vm_run "awk '\$2 == \"(sleep)\" && \$4 == 1' /proc/[0-9]*/stat 2>/dev/null | wc -l"
	[ "${VM_OUTPUT:-100}" -le 1 ]
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
	# A few seconds when services stop at once; software emulation is slow.
	assertTrue "down within 10 s, took $took ms" "[ $took -le 10000 ]"
	assertEquals "QEMU exit status" 0 "${VM_EXIT:-}"
	assertTrue "powered off" "console_has 'reboot: Power down'"
	local shutdown
	shutdown=$(console | sed -n '/init: entering runlevel 0/,$p')
	assertContains "K70httpd ran" "$shutdown" "httpd: stop"
	assertContains "K90logger ran" "$shutdown" "logger: stop"
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
	local took=$(( $(now_ms) - start ))
	assertTrue "$1: down within 10 s, took $took ms" "[ $took -le 10000 ]"
	assertEquals "QEMU exit status after $1" 0 "${VM_EXIT:-}"
	assertTrue "$1: '$2' on the console" "console_has '$2'"
	vm_kill
}

test_poweroff_powers_off() {
	down_by poweroff "reboot: Power down"
}

test_telinit_6_reboots() {
	down_by 'telinit 6' "reboot: Restarting system"
	assertTrue "level 6 stopped the services" "console | sed -n '/entering runlevel 6/,\$p' | grep -q 'logger: stop'"
}

test_reboot_reboots() {
	down_by reboot "reboot: Restarting system"
}

test_ctrl_alt_del_runs_the_ctrlaltdel_entry() {
	down_by ctrl-alt-del "reboot: Restarting system"
	assertTrue "the ctrlaltdel entry ran" "console_has 'ctrlaltdel: Ctrl-Alt-Del pressed'"
}

# --- rc on the host: no machine needed ----------------------------------------

# make_rc_tree DIR: three services a, b, c; level 2 starts a and b, level 3
# keeps a, stops b and starts c (whose start fails), level 0 stops them all.
make_rc_tree() {
	local dir=$1 service
	mkdir -p "$dir/init.d" "$dir/rc0.d" "$dir/rc2.d" "$dir/rc3.d"
	for service in a b c; do
		cat > "$dir/init.d/$service" <<SCRIPT
#!/bin/sh
echo "$service \$1 \$RUNLEVEL \$PREVLEVEL" >> "$dir/log"
[ "$service" != c ] || [ "\$1" != start ] || exit 7
SCRIPT
		chmod +x "$dir/init.d/$service"
	done
	ln -s ../init.d/a "$dir/rc2.d/S10a"; ln -s ../init.d/b "$dir/rc2.d/S20b"
	ln -s ../init.d/c "$dir/rc2.d/K50c"
	ln -s ../init.d/a "$dir/rc3.d/S10a"; ln -s ../init.d/b "$dir/rc3.d/K20b"
	ln -s ../init.d/c "$dir/rc3.d/S30c"
	ln -s ../init.d/a "$dir/rc0.d/K10a"; ln -s ../init.d/b "$dir/rc0.d/K20b"
	ln -s ../init.d/c "$dir/rc0.d/K30c"
}

# rc_levels SHELL: boot to 2, go to 3, then 0, with rc run by SHELL.
rc_levels() {
	local dir=$WORK/rc-${1// /-}
	make_rc_tree "$dir"
	RC_DIR=$dir PREVLEVEL=N $1 "$ROOT/rc/rc" 2 > "$dir/out" 2>&1
	RC_STATUS_2=$?
	RC_DIR=$dir PREVLEVEL=2 $1 "$ROOT/rc/rc" 3 >> "$dir/out" 2>&1
	RC_STATUS_3=$?
	RC_DIR=$dir PREVLEVEL=3 $1 "$ROOT/rc/rc" 0 >> "$dir/out" 2>&1
	RC_LOG=$(cat "$dir/log")
	RC_OUT=$(cat "$dir/out")
}

assert_rc_levels() {
	rc_levels "$1"
	assertEquals "$1: K and S scripts, skipping what is already so" "a start 2 N
b start 2 N
b stop 3 2
c start 3 2
a stop 0 3
c stop 0 3" "$RC_LOG"
	assertEquals "$1: level 2 went well" 0 "$RC_STATUS_2"
	assertEquals "$1: level 3 reports its failure" 1 "$RC_STATUS_3"
	assertContains "$1: the failing script named" "$RC_OUT" "rc: S30c start failed with status 7"
}

test_rc_under_dash() {
	command -v dash >/dev/null || startSkipping
	assert_rc_levels dash
}

test_rc_under_busybox_sh() {
	assert_rc_levels "busybox sh"
}

# In a container, or run twice, rc.sysinit finds everything done and says
# nothing.  Its own mount and UTS namespaces keep the host untouched.
test_rc_sysinit_skips_what_is_done() {
	local dir=$WORK/sysinit
	mkdir -p "$dir/rcS.d"
	cp "$ROOT/rc/rc" "$dir/rc"
	RC_DIR=$dir unshare --mount --uts --propagation private sh -c '
		"$1" > "$2/first" 2>&1; echo $? > "$2/first.status"
		"$1" > "$2/second" 2>&1; echo $? > "$2/second.status"' \
		sh "$ROOT/rc/rc.sysinit" "$dir" </dev/null
	assertEquals "second run: nothing to do" "" "$(cat "$dir/second")"
	assertEquals "second run succeeds" 0 "$(cat "$dir/second.status")"
}

. "$SHUNIT2"
