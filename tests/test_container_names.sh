#!/bin/bash
# hydra called by the names of the inits images use: tini, docker-init
# and dumb-init, each with that tool's option syntax, environment and exit
# codes. The scenarios are the ones tini's and dumb-init's documentation
# describe. Every check that can runs twice: as PID 1 of a new PID
# namespace and as a plain child (a subreaper).
#
# Controls: TINI_CONTROL=/usr/bin/tini DUMB_INIT_CONTROL=/usr/bin/dumb-init
# run the same checks against the real tools (Debian's tini and dumb-init
# packages); the checks of what only hydra does then pass without asserting.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/container_lib.sh"

# CHECKS=... SINGLE_CHECKS=... MODES=... run a part (while developing).
MODES=${MODES:-pid1 subreaper}
CHECKS=${CHECKS-tini_without_double_dash tini_exit_codes tini_environment tini_verbosity
	tini_signals_and_reaping dumb_init_without_double_dash dumb_init_exit_codes
	dumb_init_session dumb_init_signals_to_group dumb_init_rewrite
	dumb_init_stops_with_child dumb_init_term_at_end dumb_init_ctrl_c_in_terminal
	graceful_end_under_every_name}
# Checks that need init outside a PID namespace (job control of your own
# shell, a terminal init leads): once each.
SINGLE_CHECKS=${SINGLE_CHECKS-tini_answers dumb_init_answers dumb_init_under_interactive_shell
	dumb_init_gives_terminal_to_session}

oneTimeSetUp() {
	build_sigtool
	ln -s "${TINI_CONTROL:-$INIT}" "$HELPERS/tini"
	ln -s "${TINI_CONTROL:-$INIT}" "$HELPERS/docker-init"
	ln -s "${DUMB_INIT_CONTROL:-$INIT}" "$HELPERS/dumb-init"
}

# False (and the check passes without asserting) when NAME is a control.
hydra_only() {
	case $1 in
	tini | docker-init) [ -z "${TINI_CONTROL:-}" ] ;;
	dumb-init) [ -z "${DUMB_INIT_CONTROL:-}" ] ;;
	esac
}

# Runs init by NAME in the foreground (in the current mode), with default
# signal dispositions and a time limit.
run_named() {
	local name=$1
	shift
	run_in_mode "$HELPERS/$name" "$@"
}

# Starts init by NAME in the background (see start_in_mode).
start_named() {
	local name=$1
	shift
	start_in_mode "$HELPERS/$name" "$@"
}

# --- tini and docker-init ---------------------------------------------------------

# tini's own builds use glibc's getopt, which takes options from anywhere
# on the line: with them `--` is optional only for a command without
# options, which these checks use (a script and its plain arguments).
check_tini_without_double_dash() {
	local name
	printf '#!/bin/sh\nexit "$1"\n' >"$T/exit-with"
	chmod +x "$T/exit-with"
	for name in tini docker-init; do
		run_named $name "$T/exit-with" 3
		assertEquals "$name CMD ARGS" 3 $?
		run_named $name -s -- sh -c 'exit 4'
		assertEquals "$name -s -- CMD" 4 $?
		run_named $name -e 5 "$T/exit-with" 5
		assertEquals "$name -e 5 CMD: 5 is success" 0 $?
		run_named $name -g -- sh -c 'kill -USR1 $$'
		assertEquals "$name: death by USR1" 138 $?
	done
	# Options after the command are the command's (tini's builds would
	# take them as their own).
	if hydra_only tini; then
		assertEquals "arguments after the command" "-v -l x" "$(run_named tini echo -v -l x)"
	fi
}

check_tini_exit_codes() {
	local arguments
	printf 'data\n' >"$T/plain"
	chmod 644 "$T/plain"
	run_named tini "$T/missing" 2>/dev/null
	assertEquals "a missing command" 127 $?
	run_named tini "$T/plain" 2>/dev/null
	assertEquals "a command that is not executable" 126 $?
	run_named tini /etc/passwd/x 2>/dev/null
	assertEquals "exec fails otherwise (not a directory): tini's 1" 1 $?
	for arguments in "-x" "-e 256" "-e abc" "-p NOSUCHSIGNAL" "-Z --" ""; do
		# shellcheck disable=SC2086
		run_named docker-init $arguments ${arguments:+touch "$T/started"} >/dev/null 2>"$T/err"
		assertEquals "exit status for: docker-init $arguments" 1 $?
		assertTrue "a message for: docker-init $arguments" "[ -s '$T/err' ]"
		assertFalse "nothing started for: docker-init $arguments" "[ -e '$T/started' ]"
	done
	# Under its own name hydra keeps its codes.
	"$INIT" -x -- true 2>/dev/null
	assertEquals "hydra's own name: a bad option is 2" 2 $?
	"$INIT" -- /etc/passwd/x 2>/dev/null
	assertEquals "hydra's own name: not a directory is 127" 127 $?
}

# TINI_KILL_PROCESS_GROUP is -g; TINI_SUBREAPER is -s.
check_tini_environment() {
	start_named tini -- sh -c "'$SIGTOOL' catch '$T/grandchild' 15 & wait"
	wait_for test -s "$T/grandchild.pid"
	kill -USR1 "$INIT_HOST_PID"
	wait_container
	assertEquals "the main process got USR1" 138 "$ENDED"
	assertFalse "without TINI_KILL_PROCESS_GROUP the grandchild did not" \
		"recorded '$T/grandchild' 10"
	pkill -KILL -f -- "$SIGTOOL catch $T/grandchild" || :

	rm -f "$T/grandchild" "$T/grandchild.pid"
	# (The main process outlives USR1 here: tini as PID 1 would exit with
	# it at once, and the namespace's end could beat the grandchild's
	# handler.)
	TINI_KILL_PROCESS_GROUP=1 start_named tini -- sh -c "trap '' USR1; '$SIGTOOL' catch '$T/grandchild' 15 & wait"
	wait_for test -s "$T/grandchild.pid"
	kill -USR1 "$INIT_HOST_PID"
	wait_for recorded "$T/grandchild" 10
	assertTrue "with TINI_KILL_PROCESS_GROUP the grandchild got USR1" "recorded '$T/grandchild' 10"
	kill -TERM "$INIT_HOST_PID"
	wait_container
	pkill -KILL -f -- "$SIGTOOL catch $T/grandchild" || :

	# An orphan (its parent, the subshell, is gone) comes to init.
	TINI_SUBREAPER= start_named tini -- sh -c "(sleep $NAP & echo \$! > '$T/orphan'); exec sleep $((NAP + 500))"
	wait_for test -s "$T/orphan"
	wait_for eval '[ -n "$(host_pid_of "sleep $NAP")" ]'
	assertEquals "the orphan's parent is init" "$INIT_HOST_PID" \
		"$(ps -o ppid= -p "$(host_pid_of "sleep $NAP")" | tr -d ' ')"
	assertFalse "no warning about reaping with TINI_SUBREAPER" "grep -qi 'subreaper' '$T/err'"
	kill -TERM "$INIT_HOST_PID"
	wait_container
}

# -v counts up from tini's default, TINI_VERBOSITY sets it and wins over -v.
check_tini_verbosity() {
	local quiet loud overridden
	quiet=$(run_named tini -s true 2>&1)
	loud=$(run_named tini -s -vvv true 2>&1)
	overridden=$(TINI_VERBOSITY=0 run_named tini -s -vvv true 2>&1)
	assertEquals "nothing said by default" "" "$quiet"
	assertNotEquals "-vvv: debugging messages" "" "$loud"
	assertEquals "TINI_VERBOSITY=0 wins over -vvv" "" "$overridden"
	assertNotEquals "TINI_VERBOSITY=3" "" "$(TINI_VERBOSITY=3 run_named tini -s true 2>&1)"
	# -w's line for each reaped orphan is a warning, as tini's own:
	# TINI_VERBOSITY=0 (errors only) silences it, and -w turns on nothing else.
	local warned silenced
	warned=$(run_named tini -s -w sh -c '(true &)' 2>&1)
	silenced=$(TINI_VERBOSITY=0 run_named tini -s -w sh -c '(true &)' 2>&1)
	assertEquals "TINI_VERBOSITY=0 silences -w" "" "$silenced"
	if hydra_only tini; then
		assertContains "-w: the orphan's line" "$warned" "reaped orphan"
		assertEquals "-w: no other line" "" "$(echo "$warned" | grep -v 'reaped orphan')"
	fi
}

zombie_children_of() {
	ps -e -o ppid=,stat= | awk -v parent="$1" '$1 == parent && $2 ~ /^Z/' | grep -c .
}

check_tini_signals_and_reaping() {
	local number missing=""
	start_named docker-init "$SIGTOOL" catch "$T/signals" 15
	wait_for test -s "$T/signals.pid"
	for number in 1 2 3 10 12 28; do
		kill -s "$number" "$INIT_HOST_PID"
		wait_for recorded "$T/signals" "$number" || missing="$missing $number"
	done
	assertEquals "signals that did not reach the main process:" "" "$missing"
	kill -TERM "$INIT_HOST_PID"
	wait_container
	assertEquals "TERM forwarded; the main process exits 0 on it" 0 "$ENDED"

	start_named tini -s -- sh -c "for i in \$(seq 20); do (sleep 0.$NAP &); done; echo > '$T/forked'; exec sleep $NAP"
	wait_for test -e "$T/forked"
	wait_for eval '[ -z "$(host_pid_of "sleep 0.$NAP")" ]'
	wait_for eval '[ "$(zombie_children_of '"$INIT_HOST_PID"')" -eq 0 ]'
	assertEquals "zombies left under init" 0 "$(zombie_children_of "$INIT_HOST_PID")"
	kill -TERM "$INIT_HOST_PID"
	wait_container
	assertEquals 143 "$ENDED"
}

# --version in Docker's format (`docker info` reads it), -h, -l.
check_tini_answers() {
	local line version commit
	line=$("$HELPERS/docker-init" --version)
	assertEquals "--version exits 0" 0 $?
	hydra_only tini || return 0
	# As Docker reads it: the version after "tini version " and before
	# " - ", the commit after "git." if that part has exactly one dot.
	version=$(echo "$line" | awk -F ' - ' '{ sub(/^tini version /, "", $1); print $1 }')
	commit=$(echo "$line" | awk -F ' - ' '{ n = split($2, part, "."); if (n == 2 && part[1] == "git") print part[2] }')
	assertEquals "one line" 1 "$(echo "$line" | grep -c .)"
	assertEquals "the version Docker reads" "0.19.0+hydra-0.1" "$version"
	assertEquals "the commit docker info shows" "hydra" "$commit"
	assertEquals "tini says the same" "$line" "$("$HELPERS/tini" --version)"
	"$HELPERS/tini" -h >"$T/out" 2>"$T/err"
	assertEquals "-h exits 0" 0 $?
	assertTrue "-h: the usage on stdout" "grep -q TINI_SUBREAPER '$T/out'"
	"$HELPERS/tini" -l >"$T/out"
	assertEquals "-l exits 0" 0 $?
	assertTrue "-l says there is no licence statement" "grep -q 'no licence' '$T/out'"
}

# --- dumb-init ------------------------------------------------------------------

check_dumb_init_without_double_dash() {
	local code name
	for code in 0 1 2 32 64 127 254 255; do
		run_named dumb-init sh -c "exit $code"
		assertEquals "dumb-init CMD: exit $code" "$code" $?
	done
	for name in TERM INT QUIT KILL; do
		run_named dumb-init -- sh -c "kill -$name \$\$"
		status=$?
		assertEquals "dumb-init -- CMD killed by $name" $((128 + $(kill -l $name))) $status
	done
}

check_dumb_init_exit_codes() {
	local arguments
	for arguments in "/doesnotexist" "-- /doesnotexist" "-c /doesnotexist" \
		"--single-child -- /doesnotexist"; do
		# shellcheck disable=SC2086
		run_named dumb-init $arguments 2>"$T/err"
		assertEquals "exec failure: dumb-init $arguments" 2 $?
		assertTrue "the message names the command" "grep -q '/doesnotexist: No such file' '$T/err'"
	done
	for arguments in "--bogus" "-x" "-r 32:1" "-r 15" "-r 0:1" "-r 15:32" "-g" ""; do
		# shellcheck disable=SC2086
		run_named dumb-init $arguments ${arguments:+touch "$T/started"} >/dev/null 2>"$T/err"
		assertEquals "exit status for: dumb-init $arguments" 1 $?
		assertTrue "a message for: dumb-init $arguments" "[ -s '$T/err' ]"
		assertFalse "nothing started for: dumb-init $arguments" "[ -e '$T/started' ]"
	done
}

# Setsid mode (the default): the main process leads a session of its own.
# -c and DUMB_INIT_SETSID=0: it stays in init's session.
check_dumb_init_session() {
	local main init_session
	start_named dumb-init "$SIGTOOL" catch "$T/a" 15
	wait_for test -s "$T/a.pid"
	main=$(host_pid_of "$SIGTOOL catch $T/a")
	assertEquals "setsid mode: its own session" "$main" "$(stat_field "$main" 6)"
	kill -TERM "$INIT_HOST_PID"
	wait_container

	for setting in "-c" "--single-child" "DUMB_INIT_SETSID=0"; do
		rm -f "$T/a" "$T/a.pid"
		if [ "$setting" = DUMB_INIT_SETSID=0 ]; then
			DUMB_INIT_SETSID=0 start_named dumb-init "$SIGTOOL" catch "$T/a" 15
		else
			start_named dumb-init "$setting" "$SIGTOOL" catch "$T/a" 15
		fi
		wait_for test -s "$T/a.pid"
		main=$(host_pid_of "$SIGTOOL catch $T/a")
		init_session=$(stat_field "$INIT_HOST_PID" 6)
		assertEquals "$setting: init's session" "$init_session" "$(stat_field "$main" 6)"
		kill -TERM "$INIT_HOST_PID"
		wait_container
	done
}

check_dumb_init_signals_to_group() {
	# (The main process outlives USR1, as in check_tini_environment.)
	start_named dumb-init sh -c "trap '' USR1; '$SIGTOOL' catch '$T/grandchild' 15 & wait"
	wait_for test -s "$T/grandchild.pid"
	kill -USR1 "$INIT_HOST_PID"
	wait_for recorded "$T/grandchild" 10
	assertTrue "setsid mode: the grandchild got USR1" "recorded '$T/grandchild' 10"
	kill -TERM "$INIT_HOST_PID"
	wait_container
	assertEquals "the main process got TERM" 143 "$ENDED"
	pkill -KILL -f -- "$SIGTOOL catch $T/grandchild" || :

	rm -f "$T/grandchild" "$T/grandchild.pid"
	start_named dumb-init -c sh -c "'$SIGTOOL' catch '$T/grandchild' 15 & wait"
	wait_for test -s "$T/grandchild.pid"
	kill -USR1 "$INIT_HOST_PID"
	wait_container
	assertEquals "the main process got USR1" 138 "$ENDED"
	assertFalse "-c: the grandchild did not" "recorded '$T/grandchild' 10"
	pkill -KILL -f -- "$SIGTOOL catch $T/grandchild" || :
}

# -r S:R sends S as R; R 0 drops S. The order of what arrives proves what
# was dropped.
check_dumb_init_rewrite() {
	start_named dumb-init -r 15:2 --rewrite 2:15 -r 28:0 --rewrite=1:31 -- "$SIGTOOL" catch "$T/signals"
	wait_for test -s "$T/signals.pid"
	kill -TERM "$INIT_HOST_PID"
	wait_for recorded "$T/signals" 2
	kill -INT "$INIT_HOST_PID"
	wait_for recorded "$T/signals" 15
	kill -WINCH "$INIT_HOST_PID"
	kill -USR1 "$INIT_HOST_PID"
	wait_for recorded "$T/signals" 10
	kill -HUP "$INIT_HOST_PID"
	wait_for recorded "$T/signals" 31
	assertEquals "what the main process got" "2 15 10 31" "$(tr '\n' ' ' <"$T/signals" | sed 's/ $//')"
	kill -KILL "$(host_pid_of "$SIGTOOL catch $T/signals")"
	wait_container
}

# TSTP, TTIN, TTOU: forwarded (as STOP in setsid mode: the kernel drops the
# others in a session without a parent), then init stops too, so that a
# shell sees its job stop. As a namespace's PID 1 init cannot stop.
check_dumb_init_stops_with_child() {
	local main number setting expected
	for setting in setsid single-child; do
		rm -f "$T/signals" "$T/signals.pid"
		if [ $setting = setsid ]; then
			start_named dumb-init "$SIGTOOL" catch "$T/signals"
		else
			start_named dumb-init -c "$SIGTOOL" catch "$T/signals"
		fi
		wait_for test -s "$T/signals.pid"
		main=$(host_pid_of "$SIGTOOL catch $T/signals")
		for number in 20 21 22; do
			kill -s "$number" "$INIT_HOST_PID"
			if [ $setting = setsid ]; then
				wait_for state_is "$main" T
				assertEquals "$setting: $number stopped the main process" T "$(state_of "$main")"
				expected=18
			else
				wait_for recorded "$T/signals" "$number"
				assertTrue "$setting: $number forwarded" "recorded '$T/signals' $number"
				expected="$number 18"
			fi
			if [ "$MODE" = subreaper ]; then
				wait_for state_is "$INIT_HOST_PID" T
				assertEquals "$setting: $number stopped init" T "$(state_of "$INIT_HOST_PID")"
			else
				assertNotEquals "$setting: PID 1 is not stopped by $number" T \
					"$(state_of "$INIT_HOST_PID")"
			fi
			kill -CONT "$INIT_HOST_PID"
			wait_for eval '[ "$(tail -n 1 "$T/signals")" = 18 ]'
			assertEquals "$setting: CONT forwarded after $number" "$expected" \
				"$(tail -n "$(echo "$expected" | wc -w)" "$T/signals" | tr '\n' ' ' | sed 's/ $//')"
			wait_for eval '! state_is "$main" T'
			assertNotEquals "$setting: the main process runs again" T "$(state_of "$main")"
			assertNotEquals "$setting: init runs again" T "$(state_of "$INIT_HOST_PID")"
		done
		kill -KILL "$main"
		wait_container
	done
}

# Setsid mode: when the main process ends, its group gets TERM.
check_dumb_init_term_at_end() {
	# (dumb-init as PID 1 exits right after that TERM, and the kernel
	# kills what is left of the namespace before it can be handled.)
	[ "$MODE" = subreaper ] || hydra_only dumb-init || return 0
	run_named dumb-init sh -c "'$SIGTOOL' catch '$T/left' 15 &
		while [ ! -s '$T/left.pid' ]; do sleep 0.01; done; exit 0"
	assertEquals "the main process's status" 0 $?
	wait_for recorded "$T/left" 15
	assertTrue "the process left in its group got TERM" "recorded '$T/left' 15"
}

# What hydra does differently on purpose, under every name: whatever is left
# when the main process ends gets TERM (KILL after the grace time) and is
# gone before init exits. tini and dumb-init -c leave it running.
check_graceful_end_under_every_name() {
	local name
	for name in tini docker-init dumb-init; do
		hydra_only $name || continue
		rm -f "$T/left" "$T/left.pid"
		set -- -s
		[ $name != dumb-init ] || set -- -c
		run_named $name "$@" sh -c "setsid '$SIGTOOL' catch '$T/left' &
			while [ ! -s '$T/left.pid' ]; do sleep 0.01; done; exit 6"
		assertEquals "$name: the main process's status" 6 $?
		assertTrue "$name: the process left got TERM" "recorded '$T/left' 15"
		assertEquals "$name: nothing left running" "" "$(host_pid_of "$SIGTOOL catch $T/left")"
	done
}

check_dumb_init_answers() {
	local flag
	for flag in -V --version; do
		"$HELPERS/dumb-init" $flag >"$T/out" 2>"$T/err"
		assertEquals "$flag exits 0" 0 $?
		assertTrue "$flag: on stderr, in dumb-init's form" "grep -q '^dumb-init v[0-9]' '$T/err'"
		assertEquals "$flag: nothing on stdout" "" "$(cat "$T/out")"
	done
	for flag in -h --help; do
		"$HELPERS/dumb-init" $flag >"$T/out" 2>"$T/err"
		assertEquals "$flag exits 0" 0 $?
		assertTrue "$flag: the usage on stderr" "grep -q -- '--single-child' '$T/err'"
	done
}

# --- terminals ----------------------------------------------------------------

# Ctrl-C reaches the main process through init, in its own session.
check_dumb_init_ctrl_c_in_terminal() {
	if [ "$MODE" = pid1 ]; then
		start_in_pty unshare --pid --fork --mount --mount-proc --kill-child "$HELPERS/dumb-init" \
			sh -c "echo ready; exec sleep $NAP"
	else
		start_in_pty "$HELPERS/dumb-init" sh -c "echo ready; exec sleep $NAP"
	fi
	wait_for in_pty ready
	wait_for host_pid_of "sleep $NAP"
	printf '\003' >&7
	wait_container
	assertEquals "Ctrl-C ended the main process: 128+INT" 130 "$ENDED"
	exec 7>&-
}

# dumb-init as a job of your interactive shell: Ctrl-Z stops the job and
# gives you the prompt, fg continues it, Ctrl-C ends it.
check_dumb_init_under_interactive_shell() {
	local sleeper
	start_in_pty env PS1='P> ' HELPERS="$HELPERS" /bin/sh -i
	wait_for eval '[ "$(prompts)" -ge 1 ]'
	printf '"$HELPERS/dumb-init" sleep %s\n' "$NAP" >&7
	wait_for host_pid_of "sleep $NAP"
	sleeper=$(host_pid_of "sleep $NAP")
	printf '\032' >&7
	wait_for in_pty Stopped
	assertTrue "Ctrl-Z stopped the job and gave the shell back" "in_pty Stopped"
	# init forwards TSTP, then stops: the shell may see init stopped
	# before the main process, in a session of its own, has stopped too.
	wait_for state_is "$sleeper" T
	assertEquals "the main process is stopped" T "$(state_of "$sleeper")"
	wait_for eval '[ "$(prompts)" -ge 2 ]'
	printf 'fg\n' >&7
	wait_for eval '[ "$(state_of '"$sleeper"')" != T ]'
	assertNotEquals "fg continued the main process" T "$(state_of "$sleeper")"
	printf '\003' >&7
	wait_for eval '! kill -0 '"$sleeper"
	wait_for eval '[ "$(prompts)" -ge 3 ]'
	printf 'echo "status=$?"\n' >&7
	wait_for in_pty 'status=130'
	assertTrue "Ctrl-C ended it: 130" "in_pty status=130"
	printf 'exit 0\n' >&7
	wait_container
	exec 7>&-
}

# Init leads the terminal's session (docker run -t): the main process's
# new session takes the terminal, so a shell there has job control.
check_dumb_init_gives_terminal_to_session() {
	local sleeper
	start_in_pty env PS1='P> ' "$HELPERS/dumb-init" /bin/sh -i
	wait_for eval '[ "$(prompts)" -ge 1 ]'
	printf 'sleep %s\n' "$NAP" >&7
	wait_for host_pid_of "sleep $NAP"
	sleeper=$(host_pid_of "sleep $NAP")
	assertNotEquals "the main process has the terminal" 0 "$(stat_field "$sleeper" 7)"
	printf '\032' >&7
	wait_for in_pty Stopped
	assertTrue "job control: Ctrl-Z stopped the job" "in_pty Stopped"
	wait_for eval '[ "$(prompts)" -ge 2 ]'
	printf 'kill -9 %%1\n' >&7
	wait_for eval '[ "$(prompts)" -ge 3 ]'
	printf 'jobs\n' >&7 # the shell learns of the end, and exits without a warning
	wait_for in_pty Killed
	printf 'exit 4\n' >&7
	wait_container
	assertEquals "the shell's status" 4 "$ENDED"
	exec 7>&-
}

. "$SHUNIT2"
