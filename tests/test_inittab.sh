#!/bin/bash
# The inittab parser, through `init --check` (the same parser PID 1 uses),
# and the pure modules through the unit test program.
. "$(dirname "$0")/lib.sh"

check() {
	"$INIT" --check "$T/inittab" >"$T/out" 2>"$T/err"
}

test_good_inittab_passes() {
	inittab <<'X'
# comment, then a blank line

id:3:initdefault:
si::sysinit:/etc/rc.d/rc.sysinit
b1::boot:/bin/true
b2::bootwait:/bin/true
l0:0:wait:/etc/rc.d/rc 0
o1:23:once:/bin/echo hi
r1:2345:respawn:/sbin/getty 38400 tty1
  x1:S:off:/bin/false
d1:ab:ondemand:/bin/sleep 10
ca::CtrlAltDel:/sbin/shutdown -r now
kb::kbrequest:/bin/echo kb
pw::powerwait:/bin/echo pw
pf::POWERFAIL:/bin/echo pf
po::powerokwait:/bin/echo po
pn::powerfailnow:/bin/echo pn
lc:s:wait:/bin/echo lower-case s is S
colon:2:once:/bin/echo a:b:c
X
	check
	assertEquals "exit status" 0 $?
	assertEquals "no errors" "" "$(cat "$T/err")"
	assertContains "$(cat "$T/out")" "17 entries, 0 errors, default runlevel 3"
}

# Each kind of bad line is reported as FILE:LINE: reason, and the rest is parsed.
test_bad_lines_are_reported_with_file_and_line() {
	inittab <<'X'
id:2:initdefault:
no colons at all
a1:2:respawn
a2:2:launch:/bin/true
a3:2x:once:/bin/true
a4:2:once:/bin/true
a4:3:once:/bin/false
:2:once:/bin/true
a5:2:respawn:
id2:23:initdefault:
id3:6:initdefault:
ok:2:once:/bin/true
X
	check
	assertEquals "exit status" 1 $?
	local f="$T/inittab"
	assertEquals "messages" \
"$f:2: missing field: expected id:runlevels:action:process
$f:3: missing field: expected id:runlevels:action:process
$f:4: unknown action 'launch'
$f:5: bad runlevel character 'x'
$f:7: duplicate id 'a4'
$f:8: empty id
$f:9: empty process for action 'respawn'
$f:10: initdefault needs exactly one runlevel (0-9 or S)
$f:11: initdefault 6 would halt or reboot at every boot" "$(cat "$T/err")"
	assertContains "good lines still count" "$(cat "$T/out")" "3 entries, 9 errors"
}

test_long_lines_are_not_truncated() {
	local long
	long=$(printf 'x%.0s' $(seq 1 5000))
	printf 'id:2:initdefault:\n%s:2:once:/bin/echo %s\n' "$long" "$long" >"$T/inittab"
	check
	assertEquals "exit status" 0 $?
	assertContains "$(cat "$T/out")" "2 entries, 0 errors"
}

test_missing_file_is_an_error() {
	"$INIT" --check "$T/nonexistent" 2>"$T/err"
	assertEquals "exit status" 1 $?
	assertContains "$(cat "$T/err")" "$T/nonexistent: cannot read: No such file or directory"
}

# --check reads as boot does: the same size limit, and only regular files.
test_check_refuses_what_boot_refuses() {
	{ echo 'id:2:initdefault:'; head -c 1048576 /dev/zero | tr '\0' '#'; echo; } >"$T/inittab"
	"$INIT" --check "$T/inittab" 2>"$T/err"
	assertEquals "exit status" 1 $?
	assertEquals "$T/inittab: cannot read: too large" "$(cat "$T/err")"
	mkfifo "$T/fifo"
	timeout 5 "$INIT" --check "$T/fifo" 2>"$T/err"
	assertEquals "a FIFO: refused at once" 1 $?
	assertEquals "$T/fifo: cannot read: not a regular file" "$(cat "$T/err")"
}

test_unit_tests_of_pure_modules() {
	local output
	output=$("$BUILD/unit" 2>&1)
	assertEquals "unit test output: $output" 0 $?
	assertContains "$output" "0 failed"
}

. "$SHUNIT2"
