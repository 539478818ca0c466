#!/bin/bash
# Container mode under a real OCI runtime: runc (what Docker and containerd
# run) starts a container whose rootfs holds busybox and build/init as the
# entrypoint. Skipped, with the reason, where runc cannot run a container.
. "$(dirname "$0")/lib.sh"

BUSYBOX=${BUSYBOX:-/bin/busybox}
RUNC_SKIP=

# Builds the bundle in $T/bundle; args (a JSON array) is the process.
# init is /sbin/init, and also where images and docker run --init put the
# inits of other names: docker run --init mounts its init at
# /sbin/docker-init and runs `/sbin/docker-init -- COMMAND`; images call
# tini and dumb-init by name, often without `--`.
make_bundle() {
	local rootfs=$T/bundle/rootfs applet
	rm -rf "$T/bundle"
	mkdir -p "$rootfs/bin" "$rootfs/sbin" "$rootfs/proc" "$rootfs/dev" "$rootfs/tmp" "$rootfs/usr/bin"
	cp "$BUSYBOX" "$rootfs/bin/busybox"
	for applet in sh sleep cat grep ps touch test seq true; do
		ln -s busybox "$rootfs/bin/$applet"
	done
	cp "$INIT" "$rootfs/sbin/init"
	cp "$INIT" "$rootfs/sbin/docker-init"
	ln -s /sbin/init "$rootfs/usr/bin/tini"
	ln -s /sbin/init "$rootfs/usr/bin/dumb-init"
	(cd "$T/bundle" && runc spec) || return 1
	python3 - "$T/bundle/config.json" "$1" <<'EOF'
import json, sys
path, args = sys.argv[1], json.loads(sys.argv[2])
config = json.load(open(path))
config["process"]["terminal"] = False
config["process"]["args"] = args
config["root"]["readonly"] = False
json.dump(config, open(path, "w"), indent=1)
EOF
}

runc_() {
	runc --root "$T/state" "$@"
}

# The probe: can runc run a container here at all?
oneTimeSetUp() {
	local probe
	if ! command -v runc >/dev/null; then
		RUNC_SKIP="runc is not installed"
	elif [ ! -x "$BUSYBOX" ]; then
		RUNC_SKIP="no static busybox at $BUSYBOX"
	else
		make_sandbox
		make_bundle '["/bin/true"]' >/dev/null 2>&1
		probe=$(timeout 30 runc --root "$T/state" run -b "$T/bundle" "probe-$$" </dev/null 2>&1)
		[ $? -eq 0 ] || RUNC_SKIP="runc cannot run a container here: $(echo "$probe" | tail -n 1)"
		runc --root "$T/state" delete -f "probe-$$" >/dev/null 2>&1
		rm -rf "$T"
	fi
	[ -z "$RUNC_SKIP" ] || echo "SKIPPING runc tests: $RUNC_SKIP"
}

setUp() {
	make_sandbox
	ID=hydra-$$-$RANDOM
}

# First line of each test: where runc cannot run, one skipped assertion
# that names the reason, and nothing else.
runc_usable() {
	[ -z "$RUNC_SKIP" ] && return 0
	startSkipping
	fail "runc: $RUNC_SKIP"
	return 1
}

tearDown() {
	if [ -z "$RUNC_SKIP" ]; then
		runc_ kill "$ID" KILL >/dev/null 2>&1
		runc_ delete -f "$ID" >/dev/null 2>&1
		[ -z "${RUN_PID:-}" ] || { kill -KILL "$RUN_PID" 2>/dev/null; wait "$RUN_PID" 2>/dev/null; }
		RUN_PID=
	fi
	rm -rf "$T"
}

run_container() {
	timeout -s KILL 30 runc --root "$T/state" run -b "$T/bundle" "$ID" </dev/null >"$T/out" 2>"$T/err"
}

# Runs the container until the file (a path in its rootfs) appears, then
# sends it TERM as docker stop would; its status in STATUS.
stop_when_ready() {
	run_container &
	RUN_PID=$!
	wait_for test -e "$T/bundle/rootfs$1"
	runc_ kill "$ID" TERM
	wait "$RUN_PID"
	STATUS=$?
	RUN_PID=
}

test_exit_code_comes_back() {
	runc_usable || return 0
	make_bundle '["/sbin/init", "--", "sh", "-c", "exit 42"]'
	run_container
	assertEquals "runc run's status is the main process's" 42 $?
	make_bundle '["/sbin/init", "--", "sh", "-c", "kill -USR1 $$"]'
	ID=$ID-b run_container
	assertEquals "a death by USR1 is 138" 138 $?
}

test_zombies_reaped() {
	runc_usable || return 0
	# The main process makes 50 orphans, waits until none is left as a
	# process (init reaped them, zombies would stay), and reports.
	make_bundle '["/sbin/init", "-w", "--", "sh", "-c",
		"for i in $(seq 50); do (sleep 0.1 &); done; n=0; while [ $n -lt 100 ]; do z=$(grep -l \"^State:.Z\" /proc/[0-9]*/status 2>/dev/null | grep -c .); s=$(ps -o comm | grep -c \"^sleep\"); [ $s -eq 0 ] && [ $z -eq 0 ] && exit 0; n=$((n + 1)); sleep 0.1; done; echo zombies=$z sleeping=$s; exit 1"]'
	run_container
	assertEquals "no zombie and no orphan left (output: $(cat "$T/out"))" 0 $?
	assertEquals "init reaped the 50 orphans" 50 "$(grep -c 'reaped orphan' "$T/err")"
}

test_runc_kill_term_is_graceful() {
	runc_usable || return 0
	make_bundle '["/sbin/init", "--", "sh", "-c",
		"trap \"echo graceful; exit 7\" TERM; touch /tmp/ready; sleep 1000 & wait"]'
	stop_when_ready /tmp/ready
	assertEquals "runc run's status is the main process's, from its TERM trap" 7 "$STATUS"
	assertTrue "the main process's TERM handler ran" "grep -q graceful '$T/out'"
}

# The other names, as docker run --init and images call them (see make_bundle).
test_docker_init_style() {
	runc_usable || return 0
	make_bundle '["/sbin/docker-init", "--", "sh", "-c", "for i in $(seq 20); do (sleep 0.1 &); done; sleep 0.5; exit 42"]'
	run_container
	assertEquals "docker-init -- CMD: the main process's status" 42 $?
	assertEquals "nothing said on the way" "" "$(cat "$T/err")"
	make_bundle '["/usr/bin/tini", "-e", "3", "sh", "-c", "exit 3"]'
	ID=$ID-b run_container
	assertEquals "tini -e 3 CMD, no --: 3 is success" 0 $?
	make_bundle '["/usr/bin/tini", "/bin/no-such-command"]'
	ID=$ID-c run_container
	assertEquals "tini: a missing command is 127" 127 $?
	make_bundle '["/usr/bin/dumb-init", "/bin/no-such-command"]'
	ID=$ID-d run_container
	assertEquals "dumb-init: an exec failure is 2" 2 $?
}

# dumb-init --rewrite: runc kill TERM (docker stop) reaches the main
# process as USR1, in its own session.
test_dumb_init_rewrites_runc_kill() {
	runc_usable || return 0
	make_bundle '["/usr/bin/dumb-init", "--rewrite", "15:10", "sh", "-c",
		"trap \"echo usr1; exit 7\" USR1; test $(cut -d\" \" -f6 /proc/$$/stat) = $$ && touch /tmp/ready; sleep 1000 & wait"]'
	stop_when_ready /tmp/ready
	assertEquals "TERM came as USR1: the trap's status" 7 "$STATUS"
	assertTrue "the USR1 trap ran" "grep -q usr1 '$T/out'"
}

# Boot mode as a container's init: an inittab with levels, and runc kill
# TERM (what docker stop sends) taking it to runlevel 0 in order.
test_boot_mode_goes_down_in_order_on_term() {
	runc_usable || return 0
	make_bundle '["/sbin/init", "-t", "1"]'
	mkdir -p "$T/bundle/rootfs/etc" "$T/bundle/rootfs/run"
	cat >"$T/bundle/rootfs/etc/inittab" <<'X'
id:2:initdefault:
up:2:once:/bin/touch /tmp/up
sv:2:respawn:/bin/sleep 1000
l0:0:wait:/bin/sh -c 'echo level 0 ran'
X
	stop_when_ready /tmp/up
	assertEquals "init left the container with status 0" 0 "$STATUS"
	# No terminal, so no /dev/console: init and its entries write to the
	# container's stdout and stderr.
	assertTrue "level 0's entry ran" "grep -q 'level 0 ran' '$T/out'"
	assertTrue "the service was stopped" "grep -q 'sv (pid [0-9]*) stopped$' '$T/err'"
	assertTrue "init said so" "grep -q 'powering off: leaving the PID namespace' '$T/err'"
}

. "$SHUNIT2"
