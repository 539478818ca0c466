# Shared helpers of the container tests (test_container.sh,
# test_container_names.sh). Source it after lib.sh. Each check runs in a
# MODE: pid1 (init as PID 1 of a new PID namespace, as under docker and
# podman) or subreaper (a plain child of the test, so that init must find
# its descendants without kill(-1)). suite() makes test_<check>_as_<mode>
# of each of $CHECKS in each of $MODES, and test_<check> of each of
# $SINGLE_CHECKS (once, as a subreaper).

# Builds the signal tool into $HELPERS (a new directory).
build_sigtool() {
	HELPERS=$(mktemp -d /tmp/hydra-helpers.XXXXXX)
	SIGTOOL=$HELPERS/sigtool
	gcc -O2 -o "$SIGTOOL" "$ROOT/tests/helpers/sigtool.c" || fail "cannot build sigtool"
}

oneTimeTearDown() {
	rm -rf "$HELPERS"
}

# Runs the command in the current mode.
in_mode() {
	if [ "$MODE" = pid1 ]; then
		unshare --pid --fork --mount --mount-proc --kill-child "$@"
	else
		"$@"
	fi
}

# A bash program that runs its arguments in the current mode, for the
# wrappers (sigtool, a pty) that take a command: bash -c "$(in_mode_program)" ...
in_mode_program() {
	echo "MODE=$MODE; $(declare -f in_mode); in_mode \"\$@\""
}

# Runs the command in the foreground, in the current mode, with default
# signal dispositions (bash makes background jobs ignore INT and QUIT; the
# foreground keeps the runner's), within 20 s.
run_in_mode() {
	timeout -s KILL 20 "$SIGTOOL" mask - - bash -c "$(in_mode_program)" in_mode "$@"
}

# Starts the command (an init) in the background in the current mode,
# stdout and stderr to $T/out and $T/err. CONTAINER: the pid to wait for;
# INIT_HOST_PID: init as the host sees it.
start_in_mode() {
	INIT_EXE=$(readlink -f "$1")
	"$SIGTOOL" mask - - bash -c "$(in_mode_program)" in_mode "$@" \
		>"$T/out" 2>"$T/err" </dev/null &
	CONTAINER=$!
	STARTED="$STARTED $CONTAINER"
	wait_for init_started
	INIT_HOST_PID=$(init_host_pid)
}

# bash, then unshare (PID 1 mode), then init.
init_host_pid() {
	local pid
	pid=$(pgrep -P "$CONTAINER" | head -n 1)
	if [ "$MODE" = pid1 ]; then pid=$(pgrep -P "$pid" | head -n 1); fi
	[ -n "$pid" ] && echo "$pid"
}

init_started() {
	local pid
	pid=$(init_host_pid) && [ "$(readlink "/proc/$pid/exe")" = "$INIT_EXE" ]
}

# Waits for the background init to end; its exit status in ENDED. (bash
# reaps it as it ends; a hung init fails the test, then is killed.) Not in
# $(...): a subshell cannot wait for the test's children.
ended() { [ ! -e "/proc/$1" ] || state_is "$1" Z; }
wait_container() {
	WAIT_SECONDS=30 wait_for ended "$CONTAINER" ||
		kill -KILL $(descendants "$CONTAINER") "$CONTAINER" 2>/dev/null
	wait "$CONTAINER"
	ENDED=$?
	STARTED=${STARTED/ $CONTAINER/}
}

# Starts CMD under a new pty (CMD leads its session); input through the
# fifo on fd 7, output in $T/pty.
start_in_pty() {
	mkfifo "$T/in"
	"$SIGTOOL" pty "$@" <"$T/in" >"$T/pty" 2>&1 &
	CONTAINER=$!
	STARTED="$STARTED $CONTAINER"
	exec 7>"$T/in"
}

in_pty() { grep -q -- "$1" "$T/pty"; }
prompts() { grep -o 'P> ' "$T/pty" | grep -c .; }

# The host pid of the process whose command line is text or starts with
# text and a space (not a wrapper that holds it as an argument). The
# machine may run other tests at once: what a test looks for names its
# sandbox, or sleeps for $NAP seconds, a number no other test uses.
host_pid_of() {
	pgrep -f -- "^$1( |\$)" | head -n 1
}

recorded() { grep -qx "$2" "$1" 2>/dev/null; }

# The state letter of a process (S, R, T...), from /proc.
state_of() {
	awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null
}
state_is() { [ "$(state_of "$1")" = "$2" ]; }

# Field N of /proc/PID/stat: 5 process group, 6 session, 7 terminal, 8
# the terminal's foreground group.
stat_field() {
	awk -v field="$2" '{ print $field }' "/proc/$1/stat"
}

# Every process below pid, deepest first.
descendants() {
	local child
	for child in $(pgrep -P "$1"); do
		descendants "$child"
		echo "$child"
	done
}

setUp() {
	make_sandbox
	STARTED=
	NAP=$(( 1000 * $$ + ${TESTS_SET_UP:=0} ))
	TESTS_SET_UP=$(( TESTS_SET_UP + 1 ))
}

tearDown() {
	local pid
	for pid in $STARTED; do
		kill -KILL $(descendants "$pid") "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# Anything a test's helpers started that escaped the tree.
	pkill -KILL -f -- "$T/" 2>/dev/null
	if [ "${KEEP_SANDBOX:-}" ]; then echo "sandbox: $T"; else rm -rf "$T"; fi
}

suite() {
	local mode check
	for check in $CHECKS; do
		for mode in $MODES; do
			eval "test_${check}_as_${mode}() { MODE=$mode; check_${check}; }"
			suite_addTest "test_${check}_as_${mode}"
		done
	done
	for check in ${SINGLE_CHECKS:-}; do
		eval "test_${check}() { MODE=subreaper; check_${check}; }"
		suite_addTest "test_${check}"
	done
}
