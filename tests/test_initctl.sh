#!/bin/bash
# sysvinit's /run/initctl FIFO, driven by Debian's own tools (shutdown,
# telinit, halt) from the sysvinit-core package, extracted into .cache/ and
# never installed: they run inside init's namespaces, where /run is init's
# private tmpfs and /usr/sbin (so /sbin) holds only them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sysvinit.sh"
HOST_PID_NAMESPACE=$(readlink /proc/self/ns/pid)

oneTimeSetUp() {
	SYSVINIT=$(sysvinit_root) || echo "cannot unpack sysvinit-core (apt-get download)" >&2
}

setUp() {
	make_sandbox
	[ -n "$SYSVINIT" ] || fail "sysvinit-core is not unpacked"
}

# Puts Debian's tools where they expect each other (/sbin/init, /sbin/shutdown),
# in init's mount namespace only. A fake sulogin stands in for Debian's.
use_debian_tools() {
	mkdir -p "$T/sbin"
	cp -a "$SYSVINIT/sbin/." "$T/sbin/"
	printf '#!/bin/sh\necho "sulogin $RUNLEVEL" >>%s/events\nexec sleep 1000\n' "$T" >"$T/sbin/sulogin"
	chmod 755 "$T/sbin/sulogin"
	in_namespace mount --bind "$T/sbin" /usr/sbin
}

# Runs a command in init's namespaces, and only there: halt -f in them ends
# the namespace, here it would stop the machine.
debian() {
	in_namespace sh -c '[ "$(readlink /proc/self/ns/pid)" != "$0" ] && exec "$@"' \
		"$HOST_PID_NAMESPACE" "$@"
}

# Writes raw bytes (printf format) to the FIFO, as one write.
write_fifo() {
	in_namespace python3 -c 'import os, sys
fd = os.open("/run/initctl", os.O_WRONLY)
os.write(fd, sys.stdin.buffer.read())' <<<"$1"
}

# A request as sysvinit's tools write it, hex-encoded for write_request.
request() { # command runlevel sleeptime [data]
	python3 -c 'import struct, sys
data = (sys.argv[4] if len(sys.argv) > 4 else "").encode().replace(b"|", b"\0")
sys.stdout.write(struct.pack("=iiii368s", 0x03091969, int(sys.argv[1]), int(sys.argv[2]),
                             int(sys.argv[3]), data).hex())' "$@"
}

# Writes hex-encoded bytes to the FIFO in one write.
write_request() {
	in_namespace python3 -c 'import os, sys
fd = os.open("/run/initctl", os.O_WRONLY)
os.write(fd, bytes.fromhex(sys.argv[1]))' "$1"
}

level_inittab() {
	inittab <<X
id:2:initdefault:
l0:0:wait:/bin/sh -c 'echo "rc0 INIT_HALT=\$INIT_HALT" >>$T/events'
l3:3:wait:/bin/sh -c 'echo "rc3 \$RUNLEVEL \$PREVLEVEL" >>$T/events'
l6:6:wait:/bin/sh -c 'echo "rc6" >>$T/events'
od:a:ondemand:/bin/sh -c 'echo ondemand >>$T/events; exec sleep 1000'
~~:S:wait:/sbin/sulogin
X
}

in_events() {
	grep -q -- "$1" "$T/events"
}

test_fifo_is_root_only() {
	level_inittab
	start_init
	assertEquals "fifo 600 root" "$(in_namespace stat -c '%F %a %U' /run/initctl | sed 's/^fifo \(special \)*file/fifo/')"
}

test_debian_telinit_switches_levels_and_reloads() {
	level_inittab
	start_init
	use_debian_tools
	debian /sbin/telinit 3
	wait_for runlevel_is "2 3"
	wait_for in_events "rc3 3 2"
	assertTrue "logged" "in_console 'initctl: switching to runlevel 3'"
	debian /sbin/telinit a
	wait_for in_events ondemand
	debian /sbin/telinit Q
	wait_for in_console 'initctl: reloaded'
	debian /sbin/telinit U
	wait_for in_console 're-executed: runlevel 3'
	assertEquals "still in level 3" "2 3" "$(rl)"
}

# telinit -t: the grace time of that one change, as sysvinit's sleep time.
test_debian_telinit_sleep_time_is_the_grace_time() {
	inittab <<X
id:2:initdefault:
tr:2:respawn:/bin/sh -c 'trap "" TERM; exec sleep 1000'
X
	start_init
	use_debian_tools
	wait_for entry_state_is tr running
	debian /sbin/telinit -t 1 3
	wait_for runlevel_is "2 3"
	wait_for in_console 'tr (process group [0-9]*) still running after 1000 ms'
}

# Debian's shutdown sets INIT_HALT through the FIFO, then runs /sbin/init 0
# (sysvinit's, which as a client writes RUNLVL to the FIFO): rc 0 sees it
# and init halts or powers off as it says.
shutdown_with() { # expected-INIT_HALT expected-log shutdown-options...
	local halt=$1 log=$2
	shift 2
	level_inittab
	start_init
	use_debian_tools
	debian /sbin/shutdown "$@" now >"$T/shutdown.out" 2>&1
	wait_for init_gone
	assertTrue "rc 0 saw INIT_HALT=$halt: $(cat "$T/events")" "in_events 'rc0 INIT_HALT=$halt\$'"
	assertTrue "$log: $(tail -n 3 "$T/console")" "in_console '$log: leaving the PID namespace'"
}

test_debian_shutdown_h_H_halts() {
	shutdown_with HALT halting -h -H
}

test_debian_shutdown_h_P_powers_off() {
	shutdown_with POWEROFF "powering off" -h -P
}

test_debian_shutdown_h_leaves_the_choice_to_rc0() {
	shutdown_with "" "powering off" -h
}

test_debian_shutdown_r_reboots() {
	level_inittab
	start_init
	use_debian_tools
	debian /sbin/shutdown -r now >"$T/shutdown.out" 2>&1
	wait_for init_gone
	assertTrue "rc 6 ran" "in_events rc6"
	assertTrue "in_console 'rebooting: leaving the PID namespace'"
}

# With hydra installed as /sbin/init, Debian's shutdown sets INIT_HALT
# through the FIFO and then runs hydra's init 0, which asks over the socket.
test_level_0_over_the_socket_follows_INIT_HALT() {
	level_inittab
	start_init
	use_debian_tools
	debian /sbin/telinit -e INIT_HALT=HALT
	wait_for in_console 'initctl: set INIT_HALT=HALT'
	ctl 0 >/dev/null
	wait_for init_gone
	assertTrue "in_events 'rc0 INIT_HALT=HALT'"
	assertTrue "in_console 'halting: leaving the PID namespace'"
}

# Debian's halt, poweroff and reboot outside levels 0 and 6 run Debian's
# shutdown, which goes through the FIFO.
test_debian_poweroff_and_reboot() {
	level_inittab
	start_init
	use_debian_tools
	debian /sbin/poweroff >"$T/poweroff.out" 2>&1
	wait_for init_gone
	assertTrue "rc 0 saw INIT_HALT=POWEROFF" "in_events 'rc0 INIT_HALT=POWEROFF'"
	assertTrue "in_console 'powering off: leaving the PID namespace'"
	: >"$T/console"
	start_init
	use_debian_tools
	debian /sbin/reboot >"$T/reboot.out" 2>&1
	wait_for init_gone
	assertTrue "rc 6 ran" "in_events rc6"
	assertTrue "in_console 'rebooting: leaving the PID namespace'"
}

# Debian's inittab: ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now
test_ctrl_alt_del_with_debian_shutdown_reboots() {
	level_inittab
	echo "ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now" >>"$T/inittab"
	start_init
	use_debian_tools
	kill -INT "$(init_pid)"
	wait_for init_gone
	assertTrue "rc 6 ran" "in_events rc6"
	assertTrue "in_console 'rebooting: leaving the PID namespace'"
}

# Variables set through the FIFO reach every process started afterwards;
# only INIT_* ones are taken, as in sysvinit.
test_setenv_reaches_children_started_afterwards() {
	inittab <<X
id:2:initdefault:
od:a:ondemand:/bin/sh -c 'echo "\$INIT_GREETING|\$INIT_HALT|\${PATH_EXTRA-unset}" >>$T/events; exec sleep 1000'
X
	start_init
	use_debian_tools
	debian /sbin/telinit -e INIT_GREETING=hello -e INIT_HALT=HALT
	write_request "$(request 6 0 0 'PATH_EXTRA=/tmp')"
	write_request "$(request 7 0 0 'INIT_HALT')"
	wait_for in_console 'initctl: unset INIT_HALT'
	assertTrue "in_console 'initctl: set INIT_GREETING=hello'"
	assertTrue "in_console 'initctl: refused a request: only INIT_\* variables can be set'"
	debian /sbin/telinit a
	wait_for in_events 'hello||unset'
}

test_garbage_and_short_writes_are_dropped() {
	level_inittab
	start_init
	write_fifo 'hello'
	wait_for in_console 'initctl: dropped 6 bytes that were no whole request'
	# A whole request with a wrong magic number, and one with a bad runlevel.
	write_request "$(request 1 51 0 | sed 's/^69190903/00000000/')"
	wait_for in_console 'initctl: dropped 384 bytes'
	write_request "$(request 1 120 0)"
	wait_for in_console 'initctl: refused a request: bad runlevel'
	write_request "$(request 5 0 0)"
	wait_for in_console 'initctl: refused a request: unsupported command'
	# Garbage in front of a good request, in one write: the request is found.
	write_request "0102030405$(request 1 51 0)"
	wait_for runlevel_is "2 3"
	assertTrue "in_console 'initctl: dropped 5 bytes'"
	assertEquals "init answers" "2 3" "$(rl)"
}

# Root writing garbage as fast as it can: init keeps answering, and the
# console gets the rate limit's 10 lines per 5 s, not one per read.
test_a_flood_of_garbage_does_not_stop_init() {
	level_inittab
	start_init
	local started=$SECONDS
	in_namespace sh -c 'head -c 20000000 /dev/zero | tr "\\0" x >/run/initctl' &
	local writer=$!
	wait_for in_console 'initctl: dropped'
	assertEquals "init answers during the flood" "N 2" "$(rl)"
	wait "$writer"
	local windows=$(( (SECONDS - started) / 5 + 2 )) lines
	lines=$(grep -c 'initctl: dropped' "$T/console")
	assertTrue "at most 10 lines per 5 s: $lines in $windows windows" "[ $lines -le $((windows * 10)) ]"
	write_request "$(request 1 51 0)"
	wait_for runlevel_is "2 3"
}

# Mounts the directory $T/run, holding what a test put at initctl's place,
# on /run: the FIFO is hidden, and init notices the mount and looks again.
hide_fifo_under_run() {
	in_namespace mount --bind "$T/run" /run
}

# What is at /run/initctl and is not a FIFO is not init's to delete: it is
# left, with a message, until someone removes it; then the FIFO comes at
# init's next wake-up (here, a status request) and works.
refused_until_removed() {
	wait_for in_console "cannot make /run/initctl: it exists and is not a FIFO; not removing it"
	assertFalse "no FIFO" "in_namespace test -p /run/initctl"
	rm -r "$T/run/initctl"
	wait_for eval 'ctl status >/dev/null; in_console "/run/initctl is there now"'
	use_debian_tools
	debian /sbin/telinit 3
	wait_for runlevel_is "2 3"
}

test_a_file_in_its_place_is_left_alone() {
	level_inittab
	start_init
	mkdir "$T/run"
	echo data >"$T/run/initctl"
	hide_fifo_under_run
	wait_for in_console "not a FIFO; not removing it"
	assertTrue "the file was left as it was" "[ -f '$T/run/initctl' ] && grep -qx data '$T/run/initctl'"
	refused_until_removed
}

test_a_directory_in_its_place_is_left_alone() {
	level_inittab
	start_init
	mkdir -p "$T/run/initctl"
	echo data >"$T/run/initctl/inside"
	hide_fifo_under_run
	wait_for in_console "not a FIFO; not removing it"
	assertTrue "the directory was left as it was" "grep -qx data '$T/run/initctl/inside'"
	refused_until_removed
}

test_a_symlink_in_its_place_is_left_alone_not_followed() {
	level_inittab
	start_init
	mkdir "$T/run"
	: >"$T/target"
	chmod 644 "$T/target"
	ln -s "$T/target" "$T/run/initctl"
	hide_fifo_under_run
	wait_for in_console "not a FIFO; not removing it"
	assertTrue "the symlink was left" "[ -L '$T/run/initctl' ]"
	assertEquals "its target untouched" "644 0 regular empty file" "$(stat -c '%a %s %F' "$T/target")"
	refused_until_removed
}

# A FIFO is init's kind of file: one that is not init's own (another
# owner, another mode: anyone could stop the machine through it) is
# replaced, as a stale socket at -c PATH is.
test_another_fifo_in_its_place_is_replaced() {
	level_inittab
	start_init
	mkdir "$T/run"
	mkfifo -m 666 "$T/run/initctl"
	chown nobody "$T/run/initctl"
	hide_fifo_under_run
	wait_for eval '[ "$(in_namespace stat -c "%a %U" /run/initctl)" = "600 root" ]'
	use_debian_tools
	debian /sbin/telinit 3
	wait_for runlevel_is "2 3"
}

# A tmpfs mounted on /run hides the FIFO: init notices the new mount and
# makes it anew, with no signal.
test_fifo_comes_back_after_run_is_mounted_over() {
	level_inittab
	start_init
	in_namespace mount -t tmpfs tmpfs /run
	wait_for in_namespace test -p /run/initctl
	assertTrue "in_console '/run/initctl is gone (mounted over?): making it anew'"
	use_debian_tools
	debian /sbin/telinit 3
	wait_for runlevel_is "2 3"
	# Idle again: the mount watch woke init once, it does not keep it awake.
	timeout -s INT 3 strace -p "$(init_pid)" -o "$T/strace" 2>/dev/null
	assertEquals "system calls while idle" "" "$(grep -Ev '^epoll_p?wait\(' "$T/strace")"
}

# Debian's rc 1 ends with /etc/init.d/single: `exec init -t1 S`. Level S
# runs sulogin; when it exits, the default level follows, as in sysvinit.
test_telinit_1_reaches_single_user_and_back() {
	level_inittab
	echo "l1:1:wait:/bin/sh -c 'echo rc1 >>$T/events; exec /sbin/init -t1 S'" >>"$T/inittab"
	start_init
	use_debian_tools
	debian /sbin/telinit a
	wait_for in_events ondemand
	debian /sbin/telinit 1
	wait_for in_events "sulogin S"
	assertEquals "1 S" "$(rl)"
	assertTrue "rc 1 ran first" "in_events rc1"
	assertEquals "ondemand entries stop in S" stopped "$(entry_state od)"
	debian /sbin/telinit b
	wait_for in_console 'ondemand entries do not run in single-user mode'
	in_namespace kill "$(entry_pid '~~')"
	wait_for runlevel_is "S 2"
	assertTrue "in_console 'single-user mode ended: going to the default runlevel 2'"
}

test_power_commands_run_power_entries() {
	inittab <<X
id:2:initdefault:
pf::powerfail:/bin/sh -c 'echo powerfail >>$T/events'
pn::powerfailnow:/bin/sh -c 'echo powerfailnow >>$T/events'
po::powerokwait:/bin/sh -c 'echo powerokwait >>$T/events'
X
	start_init
	write_request "$(request 2 0 0)"
	wait_for in_events powerfail
	write_request "$(request 3 0 0)"
	wait_for in_events powerfailnow
	write_request "$(request 4 0 0)"
	wait_for in_events powerokwait
}

. "$SHUNIT2"
