# The test machine for the boot tests: sourced by tests/test_boot.sh and
# tests/test_disk.sh (which then source shunit2).  It boots build/init as
# PID 1 of a real kernel (Debian's, under QEMU with software emulation)
# with the example rc scripts, and drives the machine through its serial
# console: a shell reads what we type into a fifo, and the console's
# output is collected in a log that the tests wait on.
#
# A test file calls vm_prepare in oneTimeSetUp and vm_clean_up in
# oneTimeTearDown; in between, vm_start boots a machine, vm_run and
# vm_type drive it, vm_wait_exit waits for it to end by itself.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# HYDRA_BUILD=DIR boots DIR/init instead of build/init, as in tests/lib.sh.
BUILD=${HYDRA_BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
SHUNIT2=${SHUNIT2:-/usr/share/shunit2/shunit2}

# Seconds allowed for a boot to reach the shell, and for the machine to be
# gone after it was asked to power off or reboot.  Generous, for a loaded
# machine (a boot under software emulation took over 60 s): the waits end
# as soon as the condition holds, so only a failure waits this long.
BOOT_SECONDS=${BOOT_SECONDS:-180}
DOWN_SECONDS=${DOWN_SECONDS:-60}

# Another machine (tests/test_debian.sh) sets its kernel, initramfs, the
# line its shell prints when ready, and how long a command may run.
VM_READY=${VM_READY:-hydra: shell ready}
VM_RUN_SECONDS=${VM_RUN_SECONDS:-30}

WORK=
VM_DIR=
VM_PID=

# --- the machine -----------------------------------------------------------

# vm_prepare: a kernel and an initramfs for the machines, in $WORK (made
# here).  The kernel's modules (the disk's drivers) come from beside it in
# the cache, as `make boot` takes them.
vm_prepare() {
	WORK=$(mktemp -d /tmp/hydra-boot.XXXXXX)
	KERNEL_IMAGE=$("$ROOT/qemu/fetch-kernel.sh" "$ROOT/.cache/kernel") ||
		{ echo "cannot get a kernel" >&2; return 1; }
	local modules
	modules=$(dirname "$KERNEL_IMAGE")/modules
	[ -d "$modules" ] || modules=
	MODULES=$modules "$ROOT/qemu/mkinitramfs.sh" "$WORK/initramfs.gz" "$BUILD/init" \
		"$ROOT/inittab.example" ||
		{ echo "cannot build the initramfs" >&2; return 1; }
}

# vm_clean_up: kill the machine and remove $WORK.  Every test file calls it
# from oneTimeTearDown, which shunit2 also runs when the file is
# interrupted or ends early, so no QEMU outlives its tests.
vm_clean_up() {
	vm_kill
	[ -n "$WORK" ] && rm -rf "$WORK"
	WORK=
}

# now_ms: milliseconds since the epoch.
now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# poll_until SECONDS COMMAND...: run COMMAND until it succeeds; return 1
# after SECONDS.  It fails no test: the caller says what a timeout means.
poll_until() {
	local deadline=$(( $(now_ms) + $1 * 1000 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# wait_until SECONDS COMMAND...: the same, but a timeout fails the test,
# naming the command and showing the end of the console.  The tests wait
# for conditions this way, never for a fixed time.  (shunit2 sees only
# asserts, so a wait that merely returned 1 would go unnoticed.)
wait_until() {
	local seconds=$1
	poll_until "$@" && return 0
	shift
	fail "timed out after $seconds s waiting for: $*${VM_DIR:+; console: $(console | tail -n 20)}"
	return 1
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

# vm_start NAME [BOOT_OPTION...]: boot a machine whose files are under
# $WORK/NAME, with more qemu/boot.sh options if given (--disk FILE), and
# wait for the shell on its console.
vm_start() {
	VM_DIR=$WORK/$1
	shift
	mkdir -p "$VM_DIR"
	# A session of its own, so that vm_kill reaches boot.sh, timeout and
	# QEMU at once.
	setsid "$ROOT/qemu/boot.sh" --kernel "${VM_KERNEL:-$KERNEL_IMAGE}" \
		--initrd "${VM_INITRD:-$WORK/initramfs.gz}" \
		--serial-pipe "$VM_DIR/console" --monitor-pipe "$VM_DIR/monitor" \
		--timeout "${VM_TIMEOUT:-600}" "$@" </dev/null >"$VM_DIR/boot.out" 2>&1 &
	VM_PID=$!
	poll_until 10 test -p "$VM_DIR/console.out" -a -p "$VM_DIR/monitor.out" ||
		{ echo "boot.sh made no console fifos: $(cat "$VM_DIR/boot.out")" >&2; return 1; }
	# QEMU opens the fifos read-write, so these opens do not wait for it.
	cat "$VM_DIR/console.out" > "$VM_DIR/console.log" &
	cat "$VM_DIR/monitor.out" > "$VM_DIR/monitor.log" &
	exec {VM_CONSOLE}>"$VM_DIR/console.in"
	exec {VM_MONITOR}>"$VM_DIR/monitor.in"
	if ! poll_until "$BOOT_SECONDS" console_has_or_vm_gone "$VM_READY" ||
		! console_has "$VM_READY"; then
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
	if poll_until "$DOWN_SECONDS" vm_gone; then
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
	if ! poll_until "$VM_RUN_SECONDS" console_has_or_vm_gone "@@end-$n:" || ! console_has "@@end-$n:"; then
		fail "no end of command '$1'; console: $(console | tail -n 20)"
		VM_OUTPUT= VM_STATUS=255
		return 1
	fi
	VM_OUTPUT=$(console | sed -n "/^@@start-$n\$/,/@@end-$n:/p" | sed '1d;$d')
	VM_STATUS=$(console | sed -n "s/.*@@end-$n:\([0-9]*\).*/\1/p" | tail -n 1)
}

# vm_succeeds COMMAND: does the command succeed on the machine?
vm_succeeds() {
	vm_run "$1" && [ "$VM_STATUS" = 0 ]
}

# vm_monitor COMMAND: a QEMU monitor command.
vm_monitor() {
	printf '%s\n' "$1" >&"$VM_MONITOR"
}

# in_dmesg PATTERN: is a line matching PATTERN (grep, no single quote) in
# the machine's kernel log?  init writes each of its lines there and to the
# console; the console, written without blocking, may lose lines when the
# serial line falls behind, the kernel log does not.  Sets VM_OUTPUT to the
# number of matching lines.
in_dmesg() {
	vm_run "dmesg | grep -c -- '$1'"
	[ "${VM_OUTPUT:-0}" -gt 0 ] 2>/dev/null
}

# marks: the services' marks (rc/functions) as one line each.
marks() {
	vm_run 'cat /run/marks/log'
	echo "$VM_OUTPUT"
}

marks_include() {
	marks | grep -q -x -F -- "$1"
}
