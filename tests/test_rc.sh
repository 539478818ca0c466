#!/bin/bash
# rc and rc.sysinit run on the host: no machine needed.  rc goes through
# the levels of a small tree of services under each shell it must work
# with; rc.sysinit runs in namespaces of its own.
. "$(dirname "$0")/lib.sh"

# make_rc_tree DIR: three services a, b, c; level 2 starts a and b, level 3
# keeps a, stops b and starts c (whose start fails), level 0 stops them all.
make_rc_tree() {
	local dir=$1 service
	mkdir -p "$dir/init.d" "$dir/rc0.d" "$dir/rc2.d" "$dir/rc3.d"
	for service in a b c; do
		cat > "$dir/init.d/$service" <<SCRIPT
#!/bin/sh
echo "$service \$1 \$RUNLEVEL \$PREVLEVEL" >> "$dir/log"
[ "$service" != c ] || [ "\$1" != start ] || exit 7
SCRIPT
		chmod +x "$dir/init.d/$service"
	done
	ln -s ../init.d/a "$dir/rc2.d/S10a"; ln -s ../init.d/b "$dir/rc2.d/S20b"
	ln -s ../init.d/c "$dir/rc2.d/K50c"
	ln -s ../init.d/a "$dir/rc3.d/S10a"; ln -s ../init.d/b "$dir/rc3.d/K20b"
	ln -s ../init.d/c "$dir/rc3.d/S30c"
	ln -s ../init.d/a "$dir/rc0.d/K10a"; ln -s ../init.d/b "$dir/rc0.d/K20b"
	ln -s ../init.d/c "$dir/rc0.d/K30c"
}

# rc_levels SHELL: boot to 2, go to 3, then 0, with rc run by SHELL.
rc_levels() {
	local dir=$T/rc-${1// /-}
	make_rc_tree "$dir"
	RC_DIR=$dir PREVLEVEL=N $1 "$ROOT/rc/rc" 2 > "$dir/out" 2>&1
	RC_STATUS_2=$?
	RC_DIR=$dir PREVLEVEL=2 $1 "$ROOT/rc/rc" 3 >> "$dir/out" 2>&1
	RC_STATUS_3=$?
	RC_DIR=$dir PREVLEVEL=3 $1 "$ROOT/rc/rc" 0 >> "$dir/out" 2>&1
	RC_LOG=$(cat "$dir/log")
	RC_OUT=$(cat "$dir/out")
}

assert_rc_levels() {
	rc_levels "$1"
	assertEquals "$1: K and S scripts, skipping what is already so" "a start 2 N
b start 2 N
b stop 3 2
c start 3 2
a stop 0 3
c stop 0 3" "$RC_LOG"
	assertEquals "$1: level 2 went well" 0 "$RC_STATUS_2"
	assertEquals "$1: level 3 reports its failure" 1 "$RC_STATUS_3"
	assertContains "$1: the failing script named" "$RC_OUT" "rc: S30c start failed with status 7"
}

test_rc_under_dash() {
	command -v dash >/dev/null || startSkipping
	assert_rc_levels dash
}

test_rc_under_busybox_sh() {
	assert_rc_levels "busybox sh"
}

# In a container, or run twice, rc.sysinit finds everything done and says
# nothing.  Its own mount and UTS namespaces keep the host untouched.
test_rc_sysinit_skips_what_is_done() {
	local dir=$T/sysinit
	mkdir -p "$dir/rcS.d"
	cp "$ROOT/rc/rc" "$dir/rc"
	RC_DIR=$dir unshare --mount --uts --propagation private sh -c '
		"$1" > "$2/first" 2>&1; echo $? > "$2/first.status"
		"$1" > "$2/second" 2>&1; echo $? > "$2/second.status"' \
		sh "$ROOT/rc/rc.sysinit" "$dir" </dev/null
	assertEquals "second run: nothing to do" "" "$(cat "$dir/second")"
	assertEquals "second run succeeds" 0 "$(cat "$dir/second.status")"
}

. "$SHUNIT2"
