#!/bin/bash
# make bench: hydra and its peers, on the same work, in the same run.
# Each init runs as PID 1 of a fresh PID and mount namespace with a private
# /run, /var/log and /etc (its own inittab), and /dev/console bound to
# /dev/null: nothing reaches the machine. Figures go to bench/results.tsv;
# bench/report.py turns them into bench/results.md and bench/*.svg.
#
#   bench/run.sh            every scenario, full size (about 22 minutes)
#   QUICK=1 bench/run.sh    every scenario, small, into build/bench (a smoke
#                           test of the benchmark itself, ~5 minutes)
#   bench/run.sh rest respawn    only the scenarios named
#   INITS="hydra finit" bench/run.sh    only these inits (and the floor)
#
# Peers come from Debian's packages: sysvinit-core and finit (unpacked,
# never installed; finit's two libraries are), busybox-static, tini (tini
# and tini-static), dumb-init and catatonit. Timings on a shared machine
# are noisy: each figure is a median over repetitions, peers run
# interleaved, and the report compares them as ratios within this one run.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=${QUICK:-}
# A quick run is no result to keep: it goes to build/bench.
if [ -n "$QUICK" ]; then OUT=${BENCH_OUT:-$ROOT/build/bench}; else OUT=${BENCH_OUT:-$ROOT/bench}; fi
mkdir -p "$OUT"
HYDRA=$ROOT/build/init
work=$(mktemp -d /tmp/hydra-bench.XXXXXX)
results=$work/results.tsv
ns_parent=
ns_init=
ns_cgroup=
ns_account=    # set: ns_start puts the run in a cgroup, ns_stop sets ns_cpu_ms
ns_cpu_ms=

cleanup() {
	ns_stop
	umount -l "$work"/etc.* 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" >&2; }
quick() { [ -n "$QUICK" ]; }
# The inits named that INITS (default: all) chooses; the floors always.
chosen() {
	local init
	for init in "$@"; do
		[ -z "${INITS:-}" ] || [[ $init == floor* ]] || [[ " $INITS " == *" $init "* ]] || continue
		echo "$init"
	done
}
# A figure: scenario, init, metric, value.
record() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$results"; }
now() { "$work/probe" now; }

prepare() {
	musl-gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o "$work/probe" bench/probe.c || exit 1
	. tests/sysvinit.sh
	SYSVINIT=$(sysvinit_root) || { say "cannot unpack sysvinit-core"; exit 1; }
	FINIT=$(unpacked_package finit finit sbin/finit) || { say "cannot unpack finit"; exit 1; }
	ldd "$FINIT/sbin/finit" | grep -q 'not found' && { say "finit's libraries are missing: run make bench-deps"; exit 1; }
	CGROUP2=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
	[ -n "$CGROUP2" ] || { say "no cgroup2 hierarchy is mounted: finit needs one"; exit 1; }
	for tool in /bin/busybox /usr/bin/tini /usr/bin/tini-static /usr/bin/dumb-init /usr/bin/catatonit; do
		[ -x "$tool" ] || { say "missing $tool: run make bench-deps"; exit 1; }
	done
	: >"$results"
	record machine - cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	record machine - cores "$(nproc)"
	record machine - kernel "$(uname -r)"
	record machine - date "$(date -u +%Y-%m-%d)"
	record machine - quick "${QUICK:-0}"
	record machine - load_start "$(cut -d' ' -f1 /proc/loadavg)"
}

# The command line each init is started with; the inittab (boot inits) or
# the command (container inits) follow.
init_command() {
	case $1 in
	hydra) echo "$HYDRA" ;;
	sysvinit) echo "$SYSVINIT/sbin/init" ;;
	finit) echo "$FINIT/sbin/finit" ;;
	busybox) echo "/bin/busybox init" ;;
	tini) echo "/usr/bin/tini --" ;;
	tini-static) echo "/usr/bin/tini-static --" ;;
	dumb-init) echo "/usr/bin/dumb-init" ;;
	catatonit) echo "/usr/bin/catatonit --" ;;
	esac
}

binary_of() { set -- $(init_command "$1"); echo "$1"; }

# ns_start INITTAB|- COMMAND...: starts COMMAND as PID 1 of new namespaces,
# with INITTAB as /etc/inittab (/etc/finit.conf for finit); sets ns_init
# to its pid as this shell sees it, once it runs the binary asked for.
ns_start() {
	local inittab=$1 etc name=inittab isolate=()
	shift
	etc=$(mktemp -d "$work/etc.XXXXXX")
	[ "$inittab" = - ] || cp "$inittab" "$work/inittab.current"
	ns_cgroup= ns_cpu_ms=
	[ -z "$ns_account" ] || ns_cgroup=$CGROUP2/hydra-bench.$$
	if [ "$(basename "$1")" = finit ]; then
		# finit boots a whole system: it sets the host name, brings
		# up network interfaces, mounts a tmpfs on /tmp (where the
		# bench works: a bind mount of /tmp over itself keeps it out)
		# and makes a cgroup for each service. Namespaces of its own
		# for these, in a cgroup of the bench's, keep it all off the
		# machine. None of them is on the paths measured.
		name=finit.conf
		isolate=(--uts --net --ipc --cgroup)
		ns_cgroup=$CGROUP2/hydra-bench.$$
	fi
	[ -z "$ns_cgroup" ] || mkdir -p "$ns_cgroup" || return 1
	setsid sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' sh "$ns_cgroup" \
		unshare "${isolate[@]}" --pid --fork --mount --mount-proc --kill-child sh -c '
		etc=$1 inittab=$2 name=$3 cgroup=$4 setup=$5; shift 5
		mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/log || exit 1
		mount --bind /dev/null /dev/console || exit 1
		if [ "$inittab" != - ]; then
			mount -t tmpfs tmpfs "$etc" && cp -a /etc/. "$etc/" &&
				cp "$inittab" "$etc/$name" && mount --bind "$etc" /etc || exit 1
		fi
		[ "$name" = inittab ] || mount --bind /tmp /tmp || exit 1
		# What the set-up took (a copy of /etc: 150 ms) is not the run'"'"'s.
		[ -z "$cgroup" ] || awk '"'"'$1 == "usage_usec" { print $2 }'"'"' "$cgroup/cpu.stat" >"$setup" || exit 1
		exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CONSOLE=/dev/null "$@"' \
		sh "$etc" "$([ "$inittab" = - ] && echo - || echo "$work/inittab.current")" "$name" "$ns_cgroup" "$work/ns.setup" "$@" \
		</dev/null >"$work/ns.out" 2>&1 &
	ns_parent=$!
	ns_init=
	local binary
	binary=$(readlink -f "$1")
	for _ in $(seq 400); do
		ns_init=$(pgrep -P "$ns_parent" | head -n 1)
		[ -n "$ns_init" ] && [ "$(readlink "/proc/$ns_init/exe" 2>/dev/null)" = "$binary" ] && return 0
		sleep 0.01
	done
	say "$* did not start: $(cat "$work/ns.out")"
	return 1
}

ns_stop() {
	if [ -n "$ns_parent" ]; then
		kill -KILL "$ns_parent" 2>/dev/null
		wait "$ns_parent" 2>/dev/null
		ns_parent=
	fi
	# The namespace's processes die after its init. Once none is left,
	# the cgroup's CPU time is the whole run's (its descendants' too), and
	# it and the cgroups finit made can go. The set-up's time is not counted.
	if [ -n "$ns_cgroup" ]; then
		wait_until 10 grep -q '^populated 0' "$ns_cgroup/cgroup.events" &&
			ns_cpu_ms=$(awk -v setup="$(cat "$work/ns.setup")" '$1 == "usage_usec" { print ($2 - setup) / 1000 }' \
				"$ns_cgroup/cpu.stat")
		wait_until 10 remove_cgroups "$ns_cgroup" || say "cannot remove $ns_cgroup"
		ns_cgroup=
	fi
}

remove_cgroups() {
	find "$1" -depth -type d -exec rmdir {} + 2>/dev/null
	[ ! -e "$1" ]
}

# Runs a command inside the running namespace.
ns_run() { nsenter -t "$ns_init" -m -p -- "$@"; }

children_count() { wc -w <"/proc/$ns_init/task/$ns_init/children" 2>/dev/null || echo 0; }

# Waits (10 ms polls, at most the seconds given) for a condition.
wait_until() {
	local seconds=$1 tries
	shift
	for ((tries = seconds * 100; tries > 0; tries--)); do
		"$@" && return 0
		sleep 0.01
	done
	return 1
}

children_at_least() { [ "$(children_count)" -ge "$1" ]; }
children_at_most() { [ "$(children_count)" -le "$1" ]; }

# Median and 99th percentile of numbers on stdin.
percentiles() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = v[int(NR * 0.99 + 0.999)]; if (p == "") p = v[NR]
		print m, p }'
}

# An inittab of count respawn entries running command (%d: the entry's
# number), in the boot init's own syntax. sysvinit's ids have at most 4
# characters (r and 3 base-36 digits); BusyBox's lines have none; finit's
# services of one command need an :ID each.
respawn_inittab() {
	awk -v init="$1" -v count="$2" -v command="$3" 'BEGIN {
		digits = "0123456789abcdefghijklmnopqrstuvwxyz"
		if (init == "finit") print "runlevel 2"
		else if (init != "busybox") print "id:2:initdefault:"
		for (i = 1; i <= count; i++) {
			line = command; sub(/%d/, i, line)
			if (init == "busybox") { print "::respawn:" line; continue }
			if (init == "finit") { print "service :" i " [2] " line; continue }
			id = ""; n = i
			for (k = 0; k < 3; k++) { id = substr(digits, n % 36 + 1, 1) id; n = int(n / 36) }
			print "r" id ":2:respawn:" line
		}
	}'
}

# One once entry, in the boot init's syntax.
once_inittab() {
	if [ "$1" = busybox ]; then
		echo "::once:$2"
	elif [ "$1" = finit ]; then
		printf 'runlevel 2\ntask [2] %s\n' "$2"
	else
		printf 'id:2:initdefault:\nor:2:once:%s\n' "$2"
	fi
}

# --- at rest ------------------------------------------------------------------

# Resident memory and what an idle init does in a few seconds: system calls
# (strace) and wake-ups (context switches, without strace attached).
measure_rest() {
	local init=$1 entries=$2 seconds=$3 rss before after calls
	sleep 1 # settle
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$ns_init/status")
	before=$(awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$ns_init/status")
	sleep "$seconds"
	after=$(awk '/ctxt_switches/ { s += $2 } END { print s }' "/proc/$ns_init/status")
	timeout -s INT "$seconds" strace -p "$ns_init" -o "$work/strace" 2>/dev/null
	# Every line but the wait strace found the process blocked in.
	calls=$(grep -cv -E '^[a-z_0-9]+\(.*(<detached|<unfinished)' "$work/strace")
	record rest "$init" "rss_kib_$entries" "$rss"
	record rest "$init" "syscalls_$entries" "$calls"
	record rest "$init" "wakeups_$entries" "$((after - before))"
}

scenario_rest() {
	local seconds=10 init entries
	quick && seconds=2
	say "at rest: resident memory, system calls and wake-ups in ${seconds} s idle"
	for init in $(chosen hydra sysvinit busybox finit); do
		for entries in 1 30; do
			respawn_inittab "$init" "$entries" "/bin/sleep 10000%d" >"$work/inittab"
			ns_start "$work/inittab" $(init_command "$init") || continue
			wait_until 10 children_at_least "$entries"
			measure_rest "$init" "$entries" "$seconds"
			ns_stop
		done
	done
	for init in $(chosen tini tini-static dumb-init catatonit); do
		ns_start - $(init_command "$init") /bin/sleep 100001 || continue
		measure_rest "$init" 1 "$seconds"
		ns_stop
	done
	for init in hydra sysvinit busybox finit tini tini-static dumb-init catatonit; do
		record rest "$init" binary_bytes "$(stat -L -c %s "$(binary_of "$init")")"
		record rest "$init" linked "$(file -L "$(binary_of "$init")" | grep -q 'statically linked' &&
			echo static || echo dynamic)"
	done
}

# --- respawn ------------------------------------------------------------------

# A respawn entry that exits at once, stamping the clock as it starts:
# consecutive stamps are one death and the next exec apart (plus the
# probe's own few microseconds, the same for every init).
scenario_respawn() {
	local init count
	say "respawn latency: a respawn entry that exits at once"
	for init in $(chosen hydra sysvinit busybox finit); do
		case $init in
		hydra) count=1000 ;;  # -R lifts the rate limit for this
		sysvinit) count=9 ;;  # 10 starts (9 respawns) in 2 minutes, then a 5-minute pause
		busybox) count=5 ;;   # BusyBox waits a second between rounds
		finit) count=10 ;;    # 10 restarts, then finit marks it crashed
		esac
		quick && [ "$count" -gt 100 ] && count=100
		rm -f "$work/stamps"
		respawn_inittab "$init" 1 "$work/probe stamp $work/stamps" >"$work/inittab"
		if [ "$init" = hydra ]; then
			ns_start "$work/inittab" "$HYDRA" -R 100000/1/1 || continue
		else
			ns_start "$work/inittab" $(init_command "$init") || continue
		fi
		"$work/probe" wait-lines "$work/stamps" "$((count + 1))" >/dev/null
		ns_stop
		head -n $((count + 1)) "$work/stamps" |
			awk 'NR > 1 { print ($1 - previous) / 1000 } { previous = $1 }' >"$work/latencies"
		read -r median p99 < <(percentiles <"$work/latencies")
		record respawn "$init" median_us "$median"
		record respawn "$init" p99_us "$p99"
		record respawn "$init" respawns "$(wc -l <"$work/latencies")"
	done
}

# --- telinit ------------------------------------------------------------------

# From just before telinit 3 runs to the level's first process running,
# and the answer time of runlevel: hydra, sysvinit and finit, each with
# its own telinit and runlevel (finit's initctl runlevel is both).
scenario_telinit() {
	local init rounds=30 i telinit runlevel format
	quick && rounds=3
	say "telinit: level change round trip, runlevel answer"
	for init in $(chosen hydra sysvinit finit); do
		case $init in
		hydra) telinit=$ROOT/build/telinit runlevel=$ROOT/build/runlevel ;;
		sysvinit) telinit=$SYSVINIT/sbin/telinit runlevel=$SYSVINIT/sbin/runlevel ;;
		finit) telinit="$FINIT/lib/finit/initctl runlevel" runlevel=$telinit ;;
		esac
		rm -f "$work/level3" "$work/level2" "$work/rounds"
		format='id:2:initdefault:\nl3:3:wait:%s stamp %s\nl2:2:wait:%s stamp %s\n'
		[ "$init" = finit ] && format='runlevel 2\ntask :3 [3] %s stamp %s\ntask :2 [2] %s stamp %s\n'
		printf "$format" "$work/probe" "$work/level3" "$work/probe" "$work/level2" >"$work/inittab"
		ns_start "$work/inittab" $(init_command "$init") || continue
		"$work/probe" wait-lines "$work/level2" 1 >/dev/null
		for ((i = 1; i <= rounds; i++)); do
			ns_run "$work/probe" now >>"$work/rounds.start"
			ns_run $telinit 3 >/dev/null 2>&1
			"$work/probe" wait-lines "$work/level3" "$i" >/dev/null || break
			ns_run $telinit 2 >/dev/null 2>&1
			"$work/probe" wait-lines "$work/level2" "$((i + 1))" >/dev/null || break
		done
		paste "$work/rounds.start" "$work/level3" | awk 'NF == 2 { print ($2 - $1) / 1000 }' >"$work/latencies"
		rm -f "$work/rounds.start"
		read -r median p99 < <(percentiles <"$work/latencies")
		record telinit "$init" level_change_median_us "$median"
		# runlevel, 100 times in one shell inside the namespace.
		# A runlevel that fails is no answer: no figure then.
		if ns_run sh -c 'probe=$1; shift; "$probe" now; for i in $(seq 100); do "$@" >/dev/null || exit; done
				"$probe" now' sh "$work/probe" $runlevel >"$work/runlevel.times"; then
			record telinit "$init" runlevel_us "$(awk 'NR == 1 { a = $1 } NR == 2 { print ($1 - a) / 100000 }' \
				"$work/runlevel.times")"
		else
			say "$init: runlevel failed"
		fi
		ns_stop
	done
}

# --- orphans ------------------------------------------------------------------

# A small run (QUICK) can end, and its container init with it, before
# ns_start sees the init: its result still counts.
finished_early() { [ -s "$work/orphans.out" ]; }

# Wall time on a shared machine spreads by 20% or more from one round to the
# next, the floor's too, and is mostly the forking, which no init does. The
# goal is judged on what reaping costs: the reaper's own time on a CPU,
# which the probe reads from /proc/PID/schedstat (init's, or its own as the
# subreaper for floor-reaper). CPU time of the whole run (from a cgroup:
# the probe, its children and the init) is shown beside it.
scenario_orphans() {
	local init count sizes="20000 100000" rounds round ns_account=1
	quick && sizes=2000
	say "orphans: created and reaped, against a fork-and-wait floor"
	for count in $sizes; do
		# One round's spread is 20%: the median of several is steadier.
		case $count in
		20000) rounds=9 ;;
		100000) rounds=5 ;;
		*) rounds=1 ;;
		esac
		local inits=($(chosen floor floor-reaper hydra sysvinit busybox finit tini tini-static dumb-init catatonit)) turn
		for ((round = 0; round < rounds; round++)); do
			# Interleaved: each round runs every init once, and each
			# round starts one further down the list, so that no init
			# always runs in the same place (in a fixed order, hydra
			# always came right after the floor's 20000 processes).
			for ((turn = 0; turn < ${#inits[@]}; turn++)); do
				init=${inits[(round + turn) % ${#inits[@]}]}
				rm -f "$work/orphans.out"
				case $init in
				floor | floor-reaper)
					# The probe's own loops, under hydra like the inits after.
					ns_start - "$HYDRA" -- sh -c "exec $work/probe orphans-${init#floor-} $count >$work/orphans.out" ||
						finished_early || continue ;;
				sysvinit | busybox | finit)
					once_inittab "$init" "$work/probe orphans $count >$work/orphans.out" >"$work/inittab"
					ns_start "$work/inittab" $(init_command "$init") || continue ;;
				*)
					# hydra as a container's init, like the four after it.
					ns_start - $(init_command "$init") $([ "$init" = hydra ] && echo --) \
						sh -c "exec $work/probe orphans $count >$work/orphans.out" ||
						finished_early || continue ;;
				esac
				wait_until 300 test -s "$work/orphans.out" || say "$init: no result for $count orphans"
				ns_stop
				[ -s "$work/orphans.out" ] || continue
				record orphans "$init" "ms_$count" "$(awk '{ print $1 / 1000000 }' "$work/orphans.out")"
				# The reaper's own time on a CPU: init's, or the probe's as
				# the subreaper (floor-reaper). The parent's wait loop has none.
				[ "$init" = floor ] ||
					record orphans "$init" "reaper_cpu_ms_$count" "$(awk '{ print $2 / 1000000 }' "$work/orphans.out")"
				[ -z "$ns_cpu_ms" ] || record orphans "$init" "cpu_ms_$count" "$ns_cpu_ms"
			done
		done
	done
}

# --- scale --------------------------------------------------------------------

scenario_scale() {
	local init count sizes="1000 10000" started elapsed
	quick && sizes=100
	say "scale: many respawn entries started, reloaded and stopped"
	for count in $sizes; do
		for init in $(chosen hydra sysvinit busybox finit); do
			respawn_inittab "$init" "$count" "/bin/sleep 10000%d" >"$work/inittab"
			started=$("$work/probe" now)
			ns_start "$work/inittab" $(init_command "$init") || continue
			# finit takes over two minutes for 10000.
			if ! wait_until 300 children_at_least "$count"; then
				say "$init: $count entries did not all start"
				ns_stop
				continue
			fi
			elapsed=$(( $("$work/probe" now) - started ))
			record scale "$init" "start_ms_$count" "$((elapsed / 1000000))"
			sleep 1
			record scale "$init" "rss_kib_$count" "$(awk '/^VmRSS/ { print $2 }' "/proc/$ns_init/status")"
			if [ "$init" = hydra ]; then
				# telinit q answers once the reload is done.
				started=$("$work/probe" now)
				ns_run "$ROOT/build/telinit" q >/dev/null
				record scale "$init" "reload_ms_$count" "$(( ($("$work/probe" now) - started) / 1000000 ))"
			fi
			if [ "$init" != busybox ]; then
				# Level 4 lists none of them: every one is stopped.
				started=$("$work/probe" now)
				case $init in
				hydra) ns_run "$ROOT/build/telinit" 4 ;;
				sysvinit) ns_run "$SYSVINIT/sbin/telinit" 4 ;;
				finit) ns_run "$FINIT/lib/finit/initctl" runlevel 4 ;;
				esac >/dev/null 2>&1
				if wait_until 120 children_at_most 0; then
					record scale "$init" "stop_ms_$count" "$(( ($("$work/probe" now) - started) / 1000000 ))"
				fi
			fi
			ns_stop
		done
	done
}

# --- shutdown -----------------------------------------------------------------

# hydra's own time to go down: telinit 0 with 30 services that end on TERM,
# to the namespace's init exiting (its final stage, with nothing to unmount).
scenario_shutdown() {
	local rounds=10 round started
	quick && rounds=2
	say "shutdown: telinit 0 with 30 prompt services, to init's exit"
	for ((round = 0; round < rounds; round++)); do
		respawn_inittab hydra 30 "/bin/sleep 10000%d" >"$work/inittab"
		ns_start "$work/inittab" "$HYDRA" || continue
		wait_until 10 children_at_least 30
		started=$("$work/probe" now)
		ns_run "$ROOT/build/telinit" 0 >/dev/null
		wait "$ns_parent" 2>/dev/null
		echo $(( ($("$work/probe" now) - started) / 1000 )) >>"$work/shutdowns"
		ns_parent=
	done
	read -r median p99 < <(percentiles <"$work/shutdowns")
	record shutdown hydra median_ms "$(awk -v us="$median" 'BEGIN { print us / 1000 }')"
}

# --- boot and power off under QEMU -------------------------------------------

# The bench machine's inittab for each boot init: the example rc scripts
# (rc.sysinit, rc 2, rc 0), a mark once level 2 is reached that then powers
# off with the init's own poweroff, and with stubborn, a service that
# ignores TERM. sysvinit leaves powering off to the last script of level 0
# (Debian's /etc/init.d/halt); BusyBox has no levels but a shutdown action;
# finit's configuration is its /etc/finit.conf (boot_extra puts it there;
# two runs of one command need an :ID each), its poweroff is initctl's.
boot_inittab() {
	local init=$1 variant=$2 stubborn="/bin/sh -c 'trap \"\" TERM; exec sleep 100000'"
	if [ "$init" = finit ]; then
		printf '%s\n' "runlevel 2" "run [S] /etc/rc.d/rc.sysinit" "run :2 [2] /etc/rc.d/rc 2" \
			"run :0 [0] /etc/rc.d/rc 0" "task [2] /etc/rc.d/bench-mark /lib/finit/poweroff"
		[ "$variant" = prompt ] || echo "service [2] /etc/rc.d/stubborn"
		return
	fi
	if [ "$init" = busybox ]; then
		printf '%s\n' "::sysinit:/etc/rc.d/rc.sysinit" "::wait:/etc/rc.d/rc 2" \
			"::once:/etc/rc.d/bench-mark /sbin/poweroff" "::shutdown:/etc/rc.d/rc 0"
		[ "$variant" = prompt ] || echo "::respawn:$stubborn"
		return
	fi
	printf '%s\n' "id:2:initdefault:" "si::sysinit:/etc/rc.d/rc.sysinit" "l0:0:wait:/etc/rc.d/rc 0" \
		"l2:2:wait:/etc/rc.d/rc 2"
	if [ "$init" = sysvinit ]; then
		echo "h0:0:wait:/opt/sysvinit/sbin/halt -d -f -p"
		echo "mk:2:once:/etc/rc.d/bench-mark /opt/sysvinit/sbin/poweroff"
	else
		echo "mk:2:once:/etc/rc.d/bench-mark /sbin/poweroff"
	fi
	[ "$variant" = prompt ] || echo "st:2:respawn:$stubborn"
}

# What the bench machine adds to the example one: the mark script, and for
# sysvinit and finit their other commands and the C library they need.
boot_extra() {
	local init=$1 inittab=$2 extra=$work/extra.$1 library programs=
	rm -rf "$extra"
	mkdir -p "$extra/lib/modules" "$extra/etc/rc.d"
	cat >"$extra/etc/rc.d/bench-mark" <<-'EOF'
		#!/bin/sh
		# Level 2 is reached: say when (seconds since the kernel started),
		# wait for its services to settle, then power off with $1.
		read -r uptime _ </proc/uptime
		echo "BENCH level2 $uptime" >/dev/console
		sleep 2
		echo "BENCH poweroff" >/dev/console
		exec "$1"
	EOF
	chmod 0755 "$extra/etc/rc.d/bench-mark"
	if [ "$init" = sysvinit ]; then
		mkdir -p "$extra/opt/sysvinit/sbin" "$extra/sbin"
		cp -a "$SYSVINIT/sbin/." "$extra/opt/sysvinit/sbin/"
		# halt, outside levels 0 and 6, runs this very path.
		cp "$SYSVINIT/sbin/shutdown" "$extra/sbin/shutdown"
		programs=$SYSVINIT/sbin/*
	fi
	if [ "$init" = finit ]; then
		mkdir -p "$extra/lib/finit"
		cp -a "$FINIT/lib/finit/." "$extra/lib/finit/"
		printf '#!/bin/sh\nexec /lib/finit/initctl poweroff\n' >"$extra/lib/finit/poweroff"
		printf '#!/bin/sh\ntrap "" TERM\nexec sleep 100000\n' >"$extra/etc/rc.d/stubborn"
		chmod 0755 "$extra/lib/finit/poweroff" "$extra/etc/rc.d/stubborn"
		cp "$inittab" "$extra/etc/finit.conf"
		programs="$FINIT/sbin/finit $FINIT/lib/finit/initctl"
	fi
	[ -z "$programs" ] ||
		for library in $(ldd $programs | awk '$3 ~ /^\// { print $3 } $1 ~ /^\/lib64/ { print $1 }' | sort -u); do
			mkdir -p "$extra$(dirname "$library")"
			cp -L "$library" "$extra$library"
		done
	echo "$extra"
}

scenario_boot() {
	local boots=3 init variant round kernel image line started level2 mark_time ended
	quick && boots=1
	say "boot and power off: the same kernel, initramfs and rc scripts under QEMU ($boots boots each)"
	kernel=$(qemu/fetch-kernel.sh "$ROOT/.cache/kernel") || { say "no kernel"; return; }
	for init in $(chosen hydra sysvinit busybox finit); do
		for variant in prompt stubborn; do
			boot_inittab "$init" "$variant" >"$work/inittab.$init.$variant"
			case $init in
			hydra) image=$HYDRA ;;
			sysvinit) image=$SYSVINIT/sbin/init ;;
			busybox) image=/bin/busybox ;;
			finit) image=$FINIT/sbin/finit ;;
			esac
			MODULES=$(boot_extra "$init" "$work/inittab.$init.$variant") qemu/mkinitramfs.sh "$work/initramfs.$init.$variant" "$image" \
				"$work/inittab.$init.$variant" || { say "no initramfs for $init"; continue; }
		done
	done
	for ((round = 0; round < boots; round++)); do
		for variant in prompt stubborn; do
			for init in $(chosen hydra sysvinit busybox finit); do
				started=$EPOCHREALTIME level2= mark_time=
				while IFS= read -r line; do
					case $line in
					*"BENCH level2 "*) level2=${line##*BENCH level2 } ;;
					*"BENCH poweroff"*) mark_time=$EPOCHREALTIME ;;
					esac
				done < <(qemu/boot.sh --kernel "$kernel" --initrd "$work/initramfs.$init.$variant" \
					--timeout 120 --ready "" </dev/null 2>&1)
				ended=$EPOCHREALTIME
				if [ -z "$level2" ] || [ -z "$mark_time" ]; then
					say "$init ($variant): no level 2 or no power off within 120 s"
					continue
				fi
				record boot "$init" "level2_s_$variant" "${level2%% *}"
				record boot "$init" "poweroff_ms_$variant" \
					"$(awk -v a="$mark_time" -v b="$ended" 'BEGIN { printf "%.0f", (b - a) * 1000 }')"
			done
		done
	done
}

prepare
[ $# -gt 0 ] || set -- rest respawn telinit orphans scale shutdown boot
for scenario in "$@"; do
	"scenario_$scenario"
done
record machine - load_end "$(cut -d' ' -f1 /proc/loadavg)"
cp "$results" "$OUT/results.tsv"
python3 bench/report.py "$OUT/results.tsv" "$OUT"
