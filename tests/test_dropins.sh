#!/bin/bash
# The files sysvinit 3 reads beside its inittab: inittab.d/*.tab (read
# after the inittab, in name order, by boot, reload and --check alike) and
# initscript (which runs every entry when it exists).
. "$(dirname "$0")/lib.sh"

check() {
	"$INIT" --check "$T/inittab" >"$T/out" 2>"$T/err"
}

# Name order, only *.tab, ids unique across all files, FILE:LINE for each.
test_check_reads_the_tab_files_in_name_order() {
	inittab <<'X'
id:3:initdefault:
m1:2:once:/bin/true
X
	mkdir "$T/inittab.d"
	printf 'b1:2:once:/bin/true\nm1:2:once:/bin/false\nbad line\n' >"$T/inittab.d/b.tab"
	printf '# comment\na1:2:once:/bin/true\nb1:3:once:/bin/true\n' >"$T/inittab.d/a.tab"
	printf 'c1:2:once:/bin/true\nb1:2:launch:/bin/true\n' >"$T/inittab.d/c.tab"
	printf 'x1:2:once:/bin/true\nnot even a line\n' >"$T/inittab.d/notes.txt"
	check
	assertEquals "exit status" 1 $?
	local d="$T/inittab.d"
	assertEquals "messages" \
"$d/b.tab:1: duplicate id 'b1'
$d/b.tab:2: duplicate id 'm1'
$d/b.tab:3: missing field: expected id:runlevels:action:process
$d/c.tab:2: unknown action 'launch'" "$(cat "$T/err")"
	assertEquals "summary" "$T/inittab and 3 files of $T/inittab.d: 5 entries, 4 errors, default runlevel 3" \
		"$(cat "$T/out")"
}

# The inittab and its .tab files share the 1 MiB: a file that does not fit
# is refused (and said so), the others are still read.
test_the_size_limit_covers_the_tab_files_too() {
	{ echo 'id:2:initdefault:'; head -c 700000 /dev/zero | tr '\0' '#'; echo; } >"$T/inittab"
	mkdir "$T/inittab.d"
	{ echo 'a1:2:once:/bin/true'; head -c 300000 /dev/zero | tr '\0' '#'; echo; } >"$T/inittab.d/a.tab"
	{ echo 'b1:2:once:/bin/true'; head -c 300000 /dev/zero | tr '\0' '#'; echo; } >"$T/inittab.d/b.tab"
	echo 'c1:2:once:/bin/true' >"$T/inittab.d/c.tab"
	check
	assertEquals "exit status" 1 $?
	assertEquals "$T/inittab.d/b.tab: cannot read: too large (the inittab and its .tab files share 1 MiB)" \
		"$(cat "$T/err")"
	assertContains "$(cat "$T/out")" "3 entries, 1 error,"
}

# Boot starts the entries of inittab.d, a reload reads a new .tab file, and
# bad lines are logged with their file.
test_boot_and_reload_read_the_tab_files() {
	inittab <<'X'
id:2:initdefault:
r1:2:respawn:/bin/sleep 1001
X
	mkdir "$T/inittab.d"
	printf 'r2:2:respawn:/bin/sleep 1002\nr1:2:respawn:/bin/sleep 1003\n' >"$T/inittab.d/extra.tab"
	start_init
	wait_for entry_state_is r2 running
	assertEquals "r1 from the inittab" running "$(entry_state r1)"
	assertTrue "the duplicate logged with its file" \
		"in_console '$T/inittab.d/extra.tab:2: duplicate id .r1.'"
	echo 'r3:2:respawn:/bin/sleep 1004' >"$T/inittab.d/more.tab"
	rm "$T/inittab.d/extra.tab"
	ctl q >/dev/null
	wait_for entry_state_is r3 running
	assertEquals "the new file's entry" running "$(entry_state r3)"
	wait_for eval '[ -z "$(entry_state r2)" ]'
	assertEquals "the removed file's entry is gone" "" "$(entry_state r2)"
}

# With an initscript beside the inittab, each entry runs as
# sh initscript ID LEVELS ACTION PROCESS, as sysvinit does it; not in
# level S.
test_an_initscript_runs_every_entry() {
	cat >"$T/initscript" <<X
echo "\$1|\$2|\$3|\$4" >>$T/ran
ulimit -n 77
eval exec "\$4"
X
	inittab <<X
id:2:initdefault:
si::sysinit:/bin/true
r1:2:respawn:/bin/sleep 1000
o1:23:once:+/bin/echo hello
s1:S:once:/bin/touch $T/single-ran
X
	start_init
	wait_for entry_state_is r1 running
	wait_for grep -q '^o1' "$T/ran"
	# r1 and o1 start together: their lines come in either order.
	assertEquals "the initscript's arguments" "o1|23|once|/bin/echo hello
r1|2|respawn|/bin/sleep 1000
si|#|sysinit|/bin/true" "$(sort "$T/ran")"
	assertEquals "r1 is the process the initscript exec'd" "/bin/sleep 1000" \
		"$(in_namespace cat /proc/"$(entry_pid r1)"/cmdline | tr '\0' ' ' | sed 's/ $//')"
	assertEquals "with the initscript's limits" 77 \
		"$(in_namespace awk '/^Max open files/ { print $4 }' /proc/"$(entry_pid r1)"/limits)"
	ctl S >/dev/null
	wait_for test -e "$T/single-ran"
	assertFalse "not in level S" "grep -q '^s1' '$T/ran'"
}

. "$SHUNIT2"
