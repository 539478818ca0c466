#!/bin/bash
# What sysvinit gives the processes it starts, and hydra must too: RUNLEVEL=S
# during sysinit and boot, TERM and HOME as the kernel passed them to init.
. "$(dirname "$0")/lib.sh"

# Each entry writes its environment (sorted, one line) to $T/<id>.env.
env_entry() { # id levels action
	echo "$1:$2:$3:/bin/sh -c 'env | grep -v \"^PWD=\\|^SHLVL=\\|^_=\" | sort | tr \"\\\\n\" \" \" >$T/$1.env'"
}

test_sysinit_and_boot_see_level_S_then_the_level_its_previous() {
	{
		echo "id:3:initdefault:"
		env_entry si "" sysinit
		env_entry bo "" boot
		env_entry bw "" bootwait
		env_entry l3 3 wait
	} >"$T/inittab"
	INIT_ENVIRONMENT="TERM=linux HOME=/" start_init
	wait_for test -s "$T/l3.env"
	for id in si bo bw; do
		assertContains "$id: $(cat "$T/$id.env")" "$(cat "$T/$id.env")" "PREVLEVEL=N RUNLEVEL=S "
	done
	assertContains "$(cat "$T/l3.env")" "PREVLEVEL=N RUNLEVEL=3 "
	assertEquals "runlevel itself says N before the first level" "N 3" "$(rl)"
}

test_term_and_home_from_the_kernel_and_nothing_else() {
	{
		echo "id:2:initdefault:"
		env_entry l2 2 wait
	} >"$T/inittab"
	INIT_ENVIRONMENT="TERM=vt102 HOME=/root" start_init
	wait_for test -s "$T/l2.env"
	local environment
	environment=$(cat "$T/l2.env")
	assertContains "$environment" "TERM=vt102 "
	assertContains "$environment" "HOME=/root "
	assertNotContains "init's other variables stay with it" "$environment" "LEAKED"
	assertEquals "CONSOLE=$T/console HOME=/root INIT_CONTROL=$T/sock INIT_VERSION=hydra-0.1 PATH=/sbin:/usr/sbin:/bin:/usr/bin PREVLEVEL=N RUNLEVEL=2 TERM=vt102 " "$environment"
}

test_no_term_or_home_when_the_kernel_gave_none() {
	{
		echo "id:2:initdefault:"
		env_entry l2 2 wait
	} >"$T/inittab"
	start_init
	wait_for test -s "$T/l2.env"
	assertNotContains "$(cat "$T/l2.env")" "TERM="
	assertNotContains "$(cat "$T/l2.env")" "HOME="
}

# An initscript beside the inittab runs each entry, as sysvinit's
# /etc/initscript: sh initscript ID LEVELS ACTION PROCESS.
test_initscript_beside_the_inittab_runs_each_entry() {
	cat >"$T/initscript" <<EOF
echo "\$@" >$T/initscript.args
exec \$4
EOF
	{
		echo "id:2:initdefault:"
		echo "l2:2:wait:/bin/touch $T/ran"
	} >"$T/inittab"
	start_init
	wait_for test -e "$T/ran"
	assertEquals "l2 2 wait /bin/touch $T/ran" "$(cat "$T/initscript.args")"
}

. "$SHUNIT2"
