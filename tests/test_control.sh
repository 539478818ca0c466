#!/bin/bash
# The control socket and its clients: telinit, runlevel, halt and friends,
# who may change state, and what garbage does (nothing).
. "$(dirname "$0")/lib.sh"

basic_inittab() {
	inittab <<X
id:2:initdefault:
r1:2:respawn:/bin/sleep 1000
X
}

# Sends raw bytes to the control socket and prints the answer.
raw_request() {
	printf "$1" | socat -t 5 - UNIX-CONNECT:"$T/sock"
}

test_status_lists_every_entry() {
	basic_inittab
	start_init
	wait_for entry_state_is r1 running
	local status
	status=$(ctl status)
	assertContains "$status" "runlevel 2 (previous N)"
	assertContains "$status" "ID       LEVELS   ACTION       STATE          PID     RESTARTS LAST EXIT"
	assertTrue "r1 line" "echo '$status' | grep -Eq '^r1 +2 +respawn +running +[0-9]+ +0 +-$'"
	assertTrue "initdefault line" "echo '$status' | grep -Eq '^id +2 +initdefault +stopped'"
}

# No limit on ids: a long one's status line is whole.
test_status_of_a_long_id() {
	local id
	id=$(printf 'x%.0s' $(seq 1 3000))
	printf 'id:2:initdefault:\n%s:2:respawn:/bin/sleep 1000\n' "$id" >"$T/inittab"
	start_init
	wait_for eval "ctl status | grep -Eq '^$id +2 +respawn +running +[0-9]+ +0 +-\$'"
	assertTrue "ctl status | grep -Eq '^$id +2 +respawn +running +[0-9]+ +0 +-\$'"
}

test_only_root_may_change_state() {
	basic_inittab
	chmod 755 "$T"
	start_init
	local output status
	output=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$BUILD/telinit" -c "$T/sock" 3 2>&1)
	status=$?
	assertEquals "telinit fails" 1 "$status"
	assertEquals "telinit: init refused: permission denied: only root may change init's state" "$output"
	assertTrue "refusal logged" "in_console 'refused a request from uid 65534'"
	assertEquals "anyone may read the runlevel" "N 2" \
		"$(setpriv --reuid=65534 --regid=65534 --clear-groups "$BUILD/runlevel" -c "$T/sock")"
	assertEquals "level unchanged" "N 2" "$(rl)"
}

# Sends 300 bytes without a newline, waits for init's end of answer, sends
# 5000 bytes more, then prints what init answered (or why it could not).
too_long_in_two_parts() {
	timeout 10 python3 -c '
import select, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"x" * 300)
p = select.poll()
p.register(s, select.POLLRDHUP)
p.poll()
try:
    s.sendall(b"x" * 5000)
except OSError as e:
    sys.exit("sending the rest: %s" % e.strerror)
sys.stdout.buffer.write(s.recv(4096))
' "$T/sock" 2>&1
}

test_garbage_requests_are_refused_without_harm() {
	basic_inittab
	start_init
	assertEquals "error unknown request" "$(raw_request 'reboot-now-please\n')"
	assertEquals "error request holds a byte that is not printable ASCII" "$(raw_request 'level \001\n')"
	assertEquals "error level needs one of 0-9 or S" "$(raw_request 'level 99\n')"
	assertEquals "error empty request" "$(raw_request '\n')"
	assertEquals "error request too long" "$(head -c 5000 /dev/zero | tr '\0' x | socat -t 5 - UNIX-CONNECT:"$T/sock")"
	# A client still sending after init answered reads the refusal too: it
	# sends the rest only once init has said end-of-answer.
	assertEquals "refusal read after sending the rest" "error request too long" "$(too_long_in_two_parts)"
	# A client that connects and says nothing cannot block init.
	local -a silent
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 30 | socat - UNIX-CONNECT:"$T/sock" & silent+=($!)
	done
	assertEquals "init still answers" "N 2" "$(rl)"
	kill "${silent[@]}" 2>/dev/null
	pkill -f "UNIX-CONNECT:$T/sock"
	assertEquals "still in level 2" "N 2" "$(rl)"
}

# Out of descriptors, init cannot accept a connection that stays queued:
# it pauses the socket for a second instead of spinning on it.
test_no_spinning_when_out_of_descriptors() {
	basic_inittab
	start_init
	# Leave init one descriptor: the lowest free number is the last below the limit.
	local free=0
	while [ -e /proc/"$(init_pid)"/fd/$free ]; do free=$((free + 1)); done
	prlimit --pid "$(init_pid)" --nofile=$((free + 1))
	sleep 30 | socat - UNIX-CONNECT:"$T/sock" &   # takes the last descriptor
	local silent=$!
	wait_for eval "[ \$(ls -l /proc/$(init_pid)/fd | grep -c socket:) -eq 2 ]"
	local before after
	before=$(awk '{ print $14 + $15 }' /proc/"$(init_pid)"/stat)
	timeout 3 "$BUILD/runlevel" -c "$T/sock" >/dev/null 2>&1 &
	# EMFILE reads "No file descriptors available" in musl, "Too many open files" in glibc.
	wait_for in_console 'cannot accept a connection: [A-Za-z ]*; pausing for 1 s'
	sleep 2
	after=$(awk '{ print $14 + $15 }' /proc/"$(init_pid)"/stat)
	assertTrue "init used $((after - before)) ticks of CPU in 2 s" "[ $((after - before)) -lt 20 ]"
	pkill -f "UNIX-CONNECT:$T/sock"; kill "$silent" 2>/dev/null
	wait_for rl
	assertEquals "answers again" "N 2" "$(rl)"
}

# Connections from users cannot crowd out root's: when the slots are full,
# only theirs are dropped, and quietly.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

exited_count() {
	local count=0 pid
	for pid in "$@"; do kill -0 "$pid" 2>/dev/null || count=$((count + 1)); done
	echo "$count"
}

test_users_cannot_crowd_out_root() {
	basic_inittab
	chmod 755 "$T"
	start_init
	local -a users
	for i in $(seq 8); do     # every slot taken by a silent user
		sleep 60 | as_nobody socat - UNIX-CONNECT:"$T/sock" & users+=($!)
	done
	wait_for eval "[ \$(ls -l /proc/$(init_pid)/fd | grep -c socket:) -eq 9 ]"
	mkfifo "$T/request"
	socat - UNIX-CONNECT:"$T/sock" <"$T/request" >"$T/answer" &   # root, silent for now
	local root=$!
	exec 8>"$T/request"
	wait_for eval '[ "$(exited_count "${users[@]}")" -eq 1 ]'   # a user made room
	for i in $(seq 8); do     # eight more users arrive
		sleep 60 | as_nobody socat - UNIX-CONNECT:"$T/sock" & users+=($!)
	done
	wait_for eval '[ "$(exited_count "${users[@]}")" -eq 9 ]'
	if kill -0 "$root" 2>/dev/null; then echo runlevel >&8; fi
	exec 8>&-
	wait "$root"
	assertEquals "root's connection was kept" "ok N 2" "$(cat "$T/answer")"
	assertEquals "the console is not flooded" 0 "$(grep -c 'connections' "$T/console")"
	kill "${users[@]}" 2>/dev/null
	pkill -f "UNIX-CONNECT:$T/sock"
}

test_telinit_errors() {
	basic_inittab
	start_init
	ctl 7x 2>"$T/err"
	assertEquals "bad argument status" 2 $?
	assertEquals "telinit: bad argument '7x': expected 0-9, S, Q, U, A-C or status" "$(cat "$T/err")"
	"$BUILD/telinit" -c "$T/nothing-here" 3 2>"$T/err"
	assertEquals "unreachable status" 1 $?
	assertEquals "telinit: cannot reach init at $T/nothing-here: No such file or directory" "$(cat "$T/err")"
	ctl -t abc 3 2>"$T/err"
	assertEquals "bad grace" 2 $?
	assertContains "$(cat "$T/err")" "bad time 'abc'"
	ctl 2>/dev/null
	assertEquals "missing argument" 2 $?
	ctl -x 3 2>/dev/null
	assertEquals "unknown option" 2 $?
}

# Asking for the level init is in changes nothing; once the final stage has
# begun, level changes and reloads are refused.  A process that ignores
# TERM (an orphan in a session of its own) holds the final stage for the
# grace time, until the test kills it.
test_already_in_the_level_and_going_down_replies() {
	inittab <<X
id:2:initdefault:
r1:2:respawn:/bin/sleep 1000
st:2:once:setsid /bin/sh -c 'trap "" TERM; echo \$\$ >$T/stubborn; while :; do sleep 0.1; done' &
X
	start_init -t 60
	wait_for entry_state_is r1 running
	wait_for test -s "$T/stubborn"
	assertEquals "already in runlevel 2" "$(ctl 2)"
	assertEquals "the entry kept its process" running "$(entry_state r1)"
	assertContains "$(ctl 0)" "switching to runlevel 0"
	wait_for in_console 'sending all processes the TERM signal'
	ctl 3 2>"$T/err"
	assertEquals "level change refused" 1 $?
	assertEquals "telinit: init refused: the system is already going down" "$(cat "$T/err")"
	ctl q 2>"$T/err"
	assertEquals "reload refused" 1 $?
	assertEquals "telinit: init refused: the system is going down: not reloading" "$(cat "$T/err")"
	ctl a 2>"$T/err"
	assertEquals "ondemand refused" 1 $?
	assertEquals "telinit: init refused: the system is going down: not starting ondemand entries" \
		"$(cat "$T/err")"
	assertContains "$(ctl status)" "runlevel 0 (previous 2), going down"
	in_namespace kill -KILL "$(cat "$T/stubborn")"
	wait_for init_gone
}

test_init_as_non_pid1_acts_as_telinit() {
	basic_inittab
	start_init
	assertContains "$("$INIT" -c "$T/sock" 3)" "switching to runlevel 3"
	wait_for runlevel_is "2 3"
}

test_control_path_from_environment() {
	basic_inittab
	start_init
	assertEquals "N 2" "$(INIT_CONTROL=$T/sock "$BUILD/runlevel")"
	assertEquals "runlevel answers unknown when init is unreachable" "unknown" \
		"$(INIT_CONTROL=$T/nothing "$BUILD/runlevel" 2>/dev/null)"
}

test_sigusr1_reopens_the_socket() {
	basic_inittab
	start_init
	rm "$T/sock"
	assertFalse "gone" "rl"
	kill -USR1 "$(init_pid)"
	wait_for rl
	assertEquals "N 2" "$(rl)"
}

# halt, poweroff and reboot ask init; with -f they call reboot(2) at once,
# which inside a PID namespace only ends that namespace.
test_poweroff_and_reboot_ask_init() {
	basic_inittab
	start_init
	assertContains "$("$BUILD/poweroff" -c "$T/sock")" "switching to runlevel 0"
	wait_for init_gone
	assertTrue "in_console 'powering off: leaving the PID namespace'"
	: >"$T/console"
	start_init
	assertContains "$("$BUILD/reboot" -c "$T/sock")" "switching to runlevel 6"
	wait_for init_gone
	assertTrue "in_console 'rebooting: leaving the PID namespace'"
	: >"$T/console"
	start_init
	assertContains "$("$BUILD/halt" -c "$T/sock")" "switching to runlevel 0"
	wait_for init_gone
	assertTrue "in_console 'halting: leaving the PID namespace'"
}

test_halt_force_inside_a_namespace() {
	timeout 10 unshare --pid --fork --kill-child "$BUILD/halt" -f
	# The kernel ends the namespace: its init (halt itself) dies of SIGINT.
	assertEquals "killed by SIGINT" $((128 + 2)) $?
	timeout 10 unshare --pid --fork --kill-child "$BUILD/reboot" -f
	assertEquals "killed by SIGHUP" $((128 + 1)) $?
}

# The socket gets its mode 0666 from bind itself. A chmod by name after
# bind followed a symlink swapped in meanwhile: here bind is held up 5 s
# (strace), the socket replaced by a symlink to a root-owned 0600 file,
# and that file must keep its mode.
test_the_socket_mode_cannot_be_redirected_through_a_symlink() {
	basic_inittab
	start_init
	assertEquals "socket mode" 666 "$(stat -c %a "$T/sock")"
	echo secret >"$T/victim"
	chmod 600 "$T/victim"
	# Gone before the reopen, so that a socket at the path is the new one
	# (the new socket may well get the old one's inode number).
	rm "$T/sock"
	strace -p "$(init_pid)" -e trace=bind -e inject=bind:delay_exit=5000000 -o "$T/strace" \
		2>"$T/strace.err" &
	local tracer=$!
	wait_for traced "$(init_pid)"
	kill -USR1 "$(init_pid)"
	# bind has made the new socket and is held up: swap in the symlink.
	wait_for test -S "$T/sock"
	ln -s "$T/victim" "$T/link"
	mv -T "$T/link" "$T/sock"
	wait_for grep -q DELAYED "$T/strace"
	kill "$tracer"
	wait "$tracer" 2>/dev/null
	wait_for eval '! traced "$(init_pid)"'
	assertEquals "the file's mode" 600 "$(stat -c %a "$T/victim")"
	assertEquals "the file" secret "$(cat "$T/victim")"
}

# What is at -c PATH and is not a socket is not init's to delete.
test_a_file_at_the_socket_path_is_not_deleted() {
	basic_inittab
	start_init
	rm "$T/sock"
	echo precious >"$T/sock"
	kill -USR1 "$(init_pid)"
	wait_for in_console "cannot listen on $T/sock: it exists and is not a socket; not removing it"
	assertEquals "the file is whole" precious "$(cat "$T/sock")"
	rm "$T/sock"
	kill -USR1 "$(init_pid)"
	wait_for runlevel_is "N 2"
	assertEquals "a socket again" "N 2" "$(rl)"
}

# A socket that never accepts, its backlog full (a stopped init): telinit
# and runlevel give up after their 10 s instead of waiting in connect().
test_clients_time_out_when_init_does_not_accept() {
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(0)
queued = []
while True:
    c = socket.socket(socket.AF_UNIX)
    c.setblocking(False)
    try:
        c.connect(sys.argv[1])
    except BlockingIOError:
        break
    queued.append(c)
print("full", flush=True)
time.sleep(120)' "$T/fake" >"$T/fake.out" &
	local fake=$!
	wait_for grep -q full "$T/fake.out"
	timeout 30 "$BUILD/telinit" -c "$T/fake" status 2>"$T/telinit.err" &
	local telinit=$!
	timeout 30 "$BUILD/runlevel" -c "$T/fake" >"$T/runlevel.out" 2>"$T/runlevel.err"
	assertEquals "runlevel: exit status (124: still waiting)" 1 $?
	assertEquals "runlevel prints" unknown "$(cat "$T/runlevel.out")"
	assertContains "$(cat "$T/runlevel.err")" "cannot reach init at $T/fake: timed out"
	wait "$telinit"
	assertEquals "telinit: exit status (124: still waiting)" 1 $?
	assertContains "$(cat "$T/telinit.err")" "cannot reach init at $T/fake: timed out"
	kill "$fake"
	wait "$fake" 2>/dev/null || true # it was killed
}

. "$SHUNIT2"
