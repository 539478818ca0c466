#!/bin/bash
# What init, telinit and runlevel do with arguments they cannot use, and a
# console that only appears after init has started.
. "$(dirname "$0")/lib.sh"

test_telinit_needs_exactly_one_argument() {
	"$BUILD/telinit" -c "$T/sock" 2>"$T/err"
	assertEquals "no argument: status" 2 $?
	assertContains "$(cat "$T/err")" "telinit: missing runlevel"
	assertContains "usage follows" "$(cat "$T/err")" "usage: telinit"
	"$BUILD/telinit" -c "$T/sock" 2 3 2>"$T/err"
	assertEquals "two arguments: status" 2 $?
	assertContains "$(cat "$T/err")" "telinit: too many arguments"
	"$BUILD/telinit" -x 2>"$T/err"
	assertEquals "unknown option: status" 2 $?
	assertContains "$(cat "$T/err")" "usage: telinit"
}

test_runlevel_refuses_arguments() {
	"$BUILD/runlevel" -c "$T/sock" extra 2>"$T/err"
	assertEquals "extra argument: status" 2 $?
	assertEquals "usage: runlevel [-c SOCKET]" "$(cat "$T/err")"
	"$BUILD/runlevel" -x 2>"$T/err"
	assertEquals "unknown option: status" 2 $?
	assertContains "$(cat "$T/err")" "usage: runlevel [-c SOCKET]"
}

test_runlevel_without_init_says_unknown() {
	local output
	output=$("$BUILD/runlevel" -c "$T/nothing-here" 2>"$T/err")
	assertEquals "status" 1 $?
	assertEquals "unknown" "$output"
	assertContains "$(cat "$T/err")" "runlevel: cannot reach init at $T/nothing-here"
}

test_a_socket_path_too_long_is_refused() {
	local path
	path=$T/$(printf 'd%.0s' $(seq 1 120))
	"$BUILD/telinit" -c "$path" status 2>"$T/err"
	assertEquals "status" 1 $?
	assertEquals "telinit: control socket path too long: $path" "$(cat "$T/err")"
}

test_init_not_pid_1_without_arguments() {
	"$INIT" >"$T/out" 2>"$T/err"
	assertEquals "status" 2 $?
	assertContains "$(cat "$T/err")" "init: must be run as PID 1"
	"$INIT" --help >"$T/out" 2>"$T/err"
	assertEquals "--help status" 0 $?
	assertContains "usage on stdout" "$(cat "$T/out")" "usage: init [-f INITTAB]"
}

test_a_bad_grace_time_at_boot_keeps_the_default() {
	inittab <<X
id:2:initdefault:
X
	start_init -t soon
	assertEquals "N 2" "$(rl)"
	assertTrue "in_console \"bad grace time 'soon': keeping 3000 ms\""
}

test_container_options_without_a_value_are_refused() {
	for option in -t -e -p -f; do
		"$INIT" "$option" -- /bin/true 2>"$T/err"
		assertEquals "$option without a value: status" 2 $?
		assertContains "$(cat "$T/err")" "option $option needs a value"
	done
	"$INIT" -h -- /bin/true >"$T/out"
	assertEquals "-h status" 0 $?
	assertContains "usage on stdout" "$(cat "$T/out")" "usage"
}

# Early in boot /dev may not be mounted: a console that cannot be opened
# yet is tried again with each line, and init's lines reach it once it can.
test_a_console_that_appears_later_gets_the_lines_after() {
	inittab <<X
id:2:initdefault:
X
	rm "$T/console"
	ln -s "$T/later/console" "$T/console"
	start_init
	mkdir "$T/later"
	: >"$T/later/console"
	assertContains "$(ctl q)" "reloaded"
	wait_for grep -q "reloading $T/inittab" "$T/later/console"
	assertFalse "the lines before it are lost, not held" "grep -q 'entering runlevel 2' '$T/later/console'"
}

. "$SHUNIT2"
