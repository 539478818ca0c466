#!/bin/bash
# The binary and its installation: static, multi-call, installed where the
# kernel looks for it, with its man pages.
. "$(dirname "$0")/lib.sh"

test_binary_is_static() {
	assertFalse "no program interpreter" "readelf -l '$INIT' | grep -q INTERP"
	assertFalse "no shared libraries" "readelf -d '$INIT' 2>/dev/null | grep -q NEEDED"
}

# Issue 10's goal, kept: the static binary, every role in it, in 64 KiB.
test_binary_fits_in_64_kib() {
	local size
	size=$(stat -c %s "$INIT")
	assertTrue "build/init is $size bytes: over 65536 (64 KiB)" "[ $size -le 65536 ]"
}

test_roles_come_from_the_name() {
	for role in telinit runlevel halt poweroff reboot; do
		assertEquals "$role is a link to init" init "$(readlink "$BUILD/$role")"
	done
	assertContains "$("$BUILD/telinit" -h)" "usage: telinit"
	assertContains "$("$BUILD/poweroff" --help)" "usage: poweroff"
	assertEquals "hydra-0.1" "$("$INIT" --version)"
}

test_init_refuses_what_it_cannot_do_when_not_pid1() {
	"$INIT" 2>"$T/err"
	assertEquals 2 $?
	assertContains "$(cat "$T/err")" "must be run as PID 1"
	"$INIT" --check 2>"$T/err"
	assertEquals 2 $?
	assertContains "$(cat "$T/err")" "usage: init --check INITTAB"
}

test_make_install() {
	make -s -C "$ROOT" install DESTDIR="$T/root" PREFIX=/usr >/dev/null
	assertTrue "sbin/init" "[ -x '$T/root/usr/sbin/init' ]"
	assertTrue "same binary" "cmp -s '$INIT' '$T/root/usr/sbin/init'"
	for role in telinit runlevel halt poweroff reboot; do
		assertEquals "$role link" init "$(readlink "$T/root/usr/sbin/$role")"
	done
	for page in man8/init.8 man8/telinit.8 man5/inittab.5; do
		assertTrue "$page" "[ -s '$T/root/usr/share/man/$page' ]"
		assertEquals "$page renders without warnings" "" \
			"$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$T/root/usr/share/man/$page" 2>&1 >/dev/null)"
	done
}

# A system where sysvinit-core owns /sbin/init (a dpkg database made here):
# make install refuses and names the package and the other ways; FORCE=1
# installs all the same.
test_make_install_spares_files_dpkg_owns() {
	local root=$T/root
	mkdir -p "$root/var/lib/dpkg/info"
	printf '%s\n' "Package: sysvinit-core" "Status: install ok installed" "Version: 3.06-4" \
		"Architecture: amd64" "Maintainer: nobody" "Description: test" > "$root/var/lib/dpkg/status"
	printf '%s\n' /. /sbin /sbin/init /sbin/telinit /sbin/halt > "$root/var/lib/dpkg/info/sysvinit-core.list"
	make -s -C "$ROOT" install DESTDIR="$root" PREFIX=/usr >"$T/out" 2>&1
	assertNotEquals "make install fails" 0 $?
	assertFalse "nothing installed" "[ -e '$root/usr/sbin/init' ]"
	assertContains "names the file and its package" "$(cat "$T/out")" "/usr/sbin/init sysvinit-core"
	assertContains "names halt too" "$(cat "$T/out")" "/usr/sbin/halt sysvinit-core"
	assertNotContains "runlevel is no package's" "$(cat "$T/out")" "runlevel"
	assertContains "points to install-beside" "$(cat "$T/out")" "make install-beside"
	make -s -C "$ROOT" install DESTDIR="$root" PREFIX=/usr FORCE=1 >"$T/out" 2>&1
	assertEquals "FORCE=1 installs: $(cat "$T/out")" 0 $?
	assertTrue "init installed" "cmp -s '$INIT' '$root/usr/sbin/init'"
}

test_make_install_beside() {
	make -s -C "$ROOT" install-beside DESTDIR="$T/root" >/dev/null
	assertEquals "only hydra-init" "./usr/sbin/hydra-init" "$(cd "$T/root" && find . -type f)"
	assertTrue "the binary" "cmp -s '$INIT' '$T/root/usr/sbin/hydra-init'"
}

# The package takes sysvinit-core's place under its paths.
test_make_deb() {
	local deb
	deb=$(make -s -C "$ROOT" deb BUILD="$T/build" 2>"$T/err" | tail -n 1)
	assertTrue "a .deb: $(cat "$T/err")" "[ -s '$deb' ]"
	local field
	for field in Conflicts Replaces Provides; do
		assertContains "$field" "$(dpkg-deb -f "$deb" "$field")" sysvinit-core
	done
	dpkg-deb -x "$deb" "$T/unpacked"
	assertTrue "/sbin/init is hydra" "cmp -s '$T/build/init' '$T/unpacked/sbin/init'"
	for role in telinit runlevel halt poweroff reboot shutdown; do
		assertEquals "/sbin/$role" init "$(readlink "$T/unpacked/sbin/$role")"
	done
	assertTrue "man page" "[ -s '$T/unpacked/usr/share/man/man8/init.8.gz' ]"
	assertEquals "owned by root" "root/root" "$(dpkg-deb -c "$deb" | awk '$6 == "./sbin/init" { print $2 }')"
}

test_own_libc_functions_match_glibc() {
	"$ROOT/build/libc-test" >"$T/out" 2>&1
	local status=$?
	assertEquals "init/libc/ against glibc: $(tail -5 "$T/out")" 0 "$status"
	assertContains "$(tail -1 "$T/out")" " 0 failed"
}

# musl's stdio (FILE buffers, fflush at exit) is 4 KB of the static
# binary; hydra writes with dprintf (init/libc/printf.c), one write(2) each.
test_no_stdio_in_the_binary() {
	local used
	used=$(nm -u "$ROOT"/build/obj/*.o | awk '{ print $2 }' |
		grep -xE 'v?f?printf|puts|fputs|fputc|putchar|fwrite|fflush|fopen|fdopen|fgets|getline|stdout|stderr|perror' | sort -u)
	assertEquals "stdio functions used (write with dprintf instead)" "" "$used"
}

test_example_inittab_is_valid() {
	"$INIT" --check "$ROOT/inittab.example" >/dev/null
	assertEquals "init --check inittab.example" 0 $?
}

. "$SHUNIT2"
