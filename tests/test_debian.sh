#!/bin/bash
# Boots real Debian 12 with sysvinit, then with hydra, and does on each what
# a user of sysvinit does (issue 7's table): shutdown, poweroff, reboot,
# Ctrl-Alt-Del, single user, who/last/runlevel, `dpkg -i sysvinit-core`, a
# replaced binary, Debian's halt options, the rcS environment, initscript
# and inittab.d, quiet stops.  After every shutdown the filesystem is
# checked on the host with `e2fsck -fn`.  The closing table puts the inits'
# results and shutdown times side by side (also in build/debian-table.md).
#
# The system (qemu/mkdebian.sh: mmdebstrap, Debian's kernel and its own
# initramfs, root on an ext4 virtio disk) is built once into
# .cache/debian/KEY, KEY a hash of the script that builds it; DEBIAN_CACHE
# puts the cache elsewhere (e.g. one shared by several checkouts).  Each
# column boots a qcow2 overlay of it, kept from boot to boot as a machine
# keeps its disk: what one boot sets up, the next one sees.
#
# Columns: sysvinit (the system as built); hydra, installed beside sysvinit
# with `make install-beside` and booted with init=/sbin/hydra-init; deb,
# the packaging: `make deb` installed with dpkg -i, booted, and sysvinit-core
# installed back (its own table, 3 boots).  DEBIAN_COLUMNS="sysvinit hydra
# deb" chooses (and orders) them.
#
# Slow: software emulation (never KVM), 8 boots a column, a few minutes
# each on a loaded machine.  `make test-debian` runs it.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BOOT_SECONDS=${BOOT_SECONDS:-900}
DOWN_SECONDS=${DOWN_SECONDS:-180}
VM_RUN_SECONDS=${VM_RUN_SECONDS:-300}
VM_TIMEOUT=${VM_TIMEOUT:-2400}
VM_READY="debian: shell ready"
export MEMORY=${MEMORY:-512M}
. "$ROOT/tests/vm.sh"

# Debian's bash switches bracketed paste on and off around each prompt:
# its escapes would stand before the markers vm_run looks for.
console() {
	sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\r//g' "$VM_DIR/console.log"
}

DEBIAN_CACHE=${DEBIAN_CACHE:-$ROOT/.cache/debian}
DEBIAN_COLUMNS=${DEBIAN_COLUMNS:-sysvinit hydra deb}
# The boots of a column (1 to 8, below), e.g. DEBIAN_BOOTS=7 for the dpkg
# row alone; a row whose boot did not run says "not run".  Boot 2 checks
# what boot 1 set up.
DEBIAN_BOOTS=${DEBIAN_BOOTS:-1 2 3 4 5 6 7 8}

# The rows of the table, in order: id and what the user does.
ROWS=(
	"shutdown|\`shutdown -h now\`"
	"poweroff|\`poweroff\`"
	"reboot|\`reboot\`"
	"cad|Ctrl-Alt-Del (inittab \`ca\`: \`shutdown -t1 -a -r now\`)"
	"single|\`telinit 1\`, then \`/etc/init.d/single\` runs \`telinit S\`: sulogin"
	"utmp|\`who -r\`, \`who -b\`, \`last -x\`, Debian's \`runlevel\`"
	"dpkg|\`dpkg -i sysvinit-core\` (postinst runs \`init u\`)"
	"replaced|PID 1's binary replaced on disk, then \`poweroff\`"
	"haltopts|Debian's scripts: \`halt -d -f -i -p -h\`, \`halt -w\`, \`reboot -d -f -i\`"
	"halt-H|\`shutdown -h -H now\` (INIT_HALT=HALT) halts"
	"halt|\`halt\` with HALT=poweroff in /etc/default/halt"
	"env|rcS scripts: RUNLEVEL=S, TERM and HOME from the kernel"
	"initscript|\`/etc/initscript\`"
	"inittab.d|\`/etc/inittab.d/*.tab\`"
	"quiet|entries init stops on a level change: no \"killed by signal\""
)

# The packaging's rows (the deb column).
DEB_ROWS=(
	"deb-install|\`dpkg -i hydra_*.deb\` on the running system (sysvinit-core goes), then \`reboot\`"
	"deb-boot|hydra boots as /sbin/init: \`runlevel\`, \`telinit status\`, \`who -r\`"
	"deb-back|\`apt-get install ./sysvinit-core.deb\` (hydra goes; postinst runs \`init u\`), then \`poweroff\`"
	"deb-again|sysvinit boots again, \`poweroff\`"
)

RESULTS=

oneTimeSetUp() {
	WORK=$(mktemp -d /tmp/hydra-debian.XXXXXX)
	RESULTS=$WORK/results
	: > "$RESULTS"
	debian_image || return 1
	VM_KERNEL=$IMAGE_DIR/vmlinuz
	VM_INITRD=$IMAGE_DIR/initrd.img
}

oneTimeTearDown() {
	vm_kill
	image_unexport
	if [ -n "$RESULTS" ] && [ -s "$RESULTS" ]; then
		mkdir -p "$BUILD"
		print_table | tee "$BUILD/debian-table.md"
	fi
	vm_clean_up
}

# debian_image: the system, from the cache or built now (minutes).  A lock
# keeps two runs from building it at once.
debian_image() {
	local key
	key=$(cat "$ROOT/qemu/mkdebian.sh" | sha256sum | cut -c 1-16)
	IMAGE_DIR=$DEBIAN_CACHE/$key
	mkdir -p "$DEBIAN_CACHE"
	if [ ! -e "$IMAGE_DIR/rootfs.img" ]; then
		echo "building the Debian system into $IMAGE_DIR (once; minutes)"
		flock "$DEBIAN_CACHE/.lock" sh -c '[ -e "$1/rootfs.img" ] || "$2" "$1"' sh \
			"$IMAGE_DIR" "$ROOT/qemu/mkdebian.sh" > "$WORK/mkdebian.log" 2>&1 ||
			{ echo "cannot build the Debian system:" >&2; tail -n 30 "$WORK/mkdebian.log" >&2; return 1; }
	fi
}

# --- the disk, seen from the host ----------------------------------------------

EXPORT_PID=

# image_export QCOW2: the image's content as a raw file, $WORK/export.raw,
# through QEMU's FUSE export (no loop device, no mount), for e2fsck and
# debugfs.  Only while no QEMU runs on the image.
image_export() {
	image_unexport
	: > "$WORK/export.raw"
	qemu-storage-daemon \
		--blockdev "driver=file,node-name=file,filename=$1" \
		--blockdev "driver=qcow2,node-name=disk,file=file" \
		--export "type=fuse,id=export,node-name=disk,mountpoint=$WORK/export.raw,writable=on" \
		--pidfile "$WORK/export.pid" --daemonize > "$WORK/export.log" 2>&1 ||
		{ echo "cannot export $1: $(cat "$WORK/export.log")" >&2; return 1; }
	EXPORT_PID=$(cat "$WORK/export.pid")
}

image_unexport() {
	[ -n "$EXPORT_PID" ] || return 0
	kill "$EXPORT_PID" 2>/dev/null
	# It unmounts the file as it ends; the overlay is whole after that.
	poll_until 10 sh -c "! kill -0 $EXPORT_PID"
	EXPORT_PID=
}

# fsck_column COLUMN: e2fsck -fn on the column's disk; sets FSCK to
# "clean" or "e2fsck rc N" and returns e2fsck's status.
fsck_column() {
	local status
	image_export "$WORK/$1.qcow2" || { FSCK="no export"; return 1; }
	e2fsck -fn "$WORK/export.raw" > "$WORK/e2fsck.log" 2>&1
	status=$?
	image_unexport
	if [ "$status" = 0 ]; then
		FSCK=clean
	else
		FSCK="e2fsck rc $status"
		echo "e2fsck -fn on $1's disk: rc $status"
		tail -n 8 "$WORK/e2fsck.log"
	fi
	return "$status"
}

# install_tree COLUMN STAGE: copy a staged tree (make install DESTDIR=STAGE)
# into the column's disk with debugfs: files root-owned, modes kept.
install_tree() {
	local column=$1 stage=$2 path commands=$WORK/debugfs.commands
	: > "$commands"
	(cd "$stage" && find . -mindepth 1 | sort) | while read -r path; do
		path=${path#.}
		if [ -d "$stage$path" ]; then
			echo "mkdir $path"
		elif [ -L "$stage$path" ]; then
			echo "rm $path"
			echo "symlink $path $(readlink "$stage$path")"
		else
			echo "rm $path"
			echo "cd $(dirname "$path")"
			echo "write $stage$path $(basename "$path")"
			echo "cd /"
			printf 'sif %s mode 0%o\n' "$path" "$(( 0100000 | 0$(stat -c %a "$stage$path") ))"
			echo "sif $path uid 0"
			echo "sif $path gid 0"
		fi
	done > "$commands"
	image_export "$WORK/$column.qcow2" || return 1
	# debugfs says "mkdir: ... exists" and "rm: file not found" where the
	# image has them already: harmless; what counts is the check after.
	debugfs -w -f "$commands" "$WORK/export.raw" > "$WORK/debugfs.log" 2>&1
	local missing=0
	(cd "$stage" && find . -type f) | while read -r path; do
		debugfs -R "stat ${path#.}" "$WORK/export.raw" 2>/dev/null | grep -q 'Type: regular' ||
			{ echo "not in the image: ${path#.}"; exit 1; }
	done || missing=1
	image_unexport
	return "$missing"
}

# --- the columns ---------------------------------------------------------------

# column_prepare COLUMN: its disk, an overlay of the system, with hydra
# installed as the column says.
column_prepare() {
	local column=$1
	qemu-img create -q -f qcow2 -b "$IMAGE_DIR/rootfs.img" -F raw "$WORK/$column.qcow2" ||
		return 1
	local stage=$WORK/stage-$column
	case $column in
	sysvinit) ;;
	hydra|deb)
		make -s -C "$ROOT" install-beside DESTDIR="$stage" > "$WORK/install.log" 2>&1 ||
			{ cat "$WORK/install.log"; return 1; }
		if [ "$column" = deb ]; then
			mkdir -p "$stage/root"
			make -s -C "$ROOT" deb BUILD="$WORK/deb-build" > "$WORK/deb.log" 2>&1 &&
				cp "$WORK"/deb-build/hydra_*.deb "$stage/root/hydra.deb" ||
				{ cat "$WORK/deb.log"; return 1; }
		fi
		install_tree "$column" "$stage" ;;
	esac || return 1
	# The package as installed, for the dpkg row.
	mkdir -p "$WORK/stage-deb/root"
	cp "$IMAGE_DIR/sysvinit-core.deb" "$WORK/stage-deb/root/sysvinit-core.deb"
	install_tree "$column" "$WORK/stage-deb"
}

DEB_APPEND=

column_append() {
	case $1 in
	hydra) echo "init=/sbin/hydra-init" ;;
	deb) echo "$DEB_APPEND" ;;
	esac
}

BOOTS=0

# column_boot COLUMN NAME: boot the column's disk and wait for root's shell
# on ttyS0.  Its console is $WORK/COLUMN-NAME/console.log.
column_boot() {
	local column=$1 append
	append=$(column_append "$column")
	BOOTS=$((BOOTS + 1))
	BOOT_START=$(now_ms)
	vm_start "$column-$2" --root /dev/vda --disk "$WORK/$column.qcow2" \
		${append:+--append "$append"}
	local status=$?
	echo "$column $2: boot took $(( ($(now_ms) - BOOT_START) / 1000 )) s"
	return "$status"
}

# record COLUMN ROW ok|FAIL|XFAIL DETAIL: a cell of the table.  A FAIL of
# hydra's is also a failed assertion; sysvinit's column is the reference,
# and where sysvinit fails (a binary replaced on disk, which only its
# re-exec at an upgrade covers) the cell says so and the test goes on.
record() {
	local column=$1 row=$2 result=$3
	shift 3
	printf '%s|%s|%s|%s\n' "$column" "$row" "$result" "$*" >> "$RESULTS"
	echo "$column / $row: $result $*"
	[ "$result" != FAIL ] || [ "$column" = sysvinit ] || fail "$column / $row: $*"
}

# record_all COLUMN DETAIL ROW...: the rows a boot that did not come up
# could not check.
record_all() {
	local column=$1 detail=$2 row
	shift 2
	for row in "$@"; do
		record "$column" "$row" FAIL "$detail"
	done
}

# go_down COLUMN ROW HOW EXPECTED: do HOW (a command line, or the key
# "ctrl-alt-delete"), wait for the machine to reach EXPECTED (the kernel's
# last words: "Power down", "Restarting system" or "System halted"), then
# check the disk.  Records the row with the time it took unless ROW is -.
go_down() {
	local column=$1 row=$2 how=$3 expected=$4 start took result detail
	start=$(now_ms)
	if [ "$how" = ctrl-alt-delete ]; then
		vm_monitor "sendkey ctrl-alt-delete"
	else
		vm_type "$how"
	fi
	if [ "$expected" = "System halted" ]; then
		# A halted machine stays on: QEMU runs until it is killed.
		poll_until "$DOWN_SECONDS" console_has_or_vm_gone "reboot: $expected"
	else
		poll_until "$DOWN_SECONDS" vm_gone
	fi
	took=$(( $(now_ms) - start ))
	local went
	went=$(console | sed -n 's/.*reboot: \(Power down\|Restarting system\|System halted\).*/\1/p' | tail -n 1)
	vm_kill
	fsck_column "$column"
	detail="$(printf '%d.%d s' $((took / 1000)) $((took % 1000 / 100))), $FSCK"
	if [ -z "$went" ]; then
		result=FAIL detail="still up after $((took / 1000)) s, $FSCK"
	elif [ "$went" != "$expected" ]; then
		result=FAIL detail="$went instead of $expected, $detail"
	elif [ "$FSCK" != clean ]; then
		result=FAIL
	else
		result=ok
	fi
	LAST_DOWN="$result|$detail"
	[ "$row" = - ] || record "$column" "$row" "$result" "$detail"
}

# --- one column: eight boots ------------------------------------------------------

# The first boot: the utmp records, then it sets up what the second boot
# checks (an rcS script that keeps its environment, /etc/initscript and a
# file in /etc/inittab.d), and goes down with `shutdown -h now`.
boot_1() {
	local column=$1
	column_boot "$column" 1-shutdown ||
		{ record_all "$column" "no boot" shutdown utmp; vm_kill; return; }
	vm_run 'runlevel; who -r; who -b'
	UTMP_1=$VM_OUTPUT
	vm_type_file /etc/init.d/envprobe <<'EOF'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          envprobe
# Required-Start:    $local_fs
# Required-Stop:
# Default-Start:     S
# Default-Stop:
# Short-Description: keeps the environment rcS scripts get, for the test
### END INIT INFO
[ "$1" = start ] && env > /run/envprobe
exit 0
EOF
	vm_run 'chmod 755 /etc/init.d/envprobe && update-rc.d envprobe defaults'
	vm_type_file /etc/initscript <<'EOF'
# sysvinit runs each inittab entry as: /bin/sh /etc/initscript ID LEVELS ACTION PROCESS
INITSCRIPT_ID=$1; export INITSCRIPT_ID
eval exec "$4"
EOF
	vm_run 'mkdir -p /etc/inittab.d'
	vm_type_file /etc/inittab.d/probe.tab <<'EOF'
tp:2345:once:/bin/sh -c 'echo "tab ${INITSCRIPT_ID:-no-initscript}" > /run/inittab-d-probe'
EOF
	vm_run 'sync'
	go_down "$column" shutdown "shutdown -h now" "Power down"
}

# vm_type_file PATH: write stdin to PATH on the machine (in base64, so that
# no character means anything to the shell that reads the line).
vm_type_file() {
	vm_run "echo $(base64 -w 0) | base64 -d > $1"
	assertEquals "wrote $1: $VM_OUTPUT" 0 "$VM_STATUS"
}

# The second boot: what the first set up, the records of the first boot and
# its shutdown; goes down with `poweroff`.
boot_2() {
	local column=$1
	column_boot "$column" 2-poweroff ||
		{ record_all "$column" "no boot" poweroff env initscript inittab.d; vm_kill; return; }
	check_utmp "$column"
	vm_run 'cat /run/envprobe'
	local env=$VM_OUTPUT runlevel term home
	runlevel=$(echo "$env" | sed -n 's/^RUNLEVEL=//p')
	term=$(echo "$env" | sed -n 's/^TERM=//p')
	home=$(echo "$env" | sed -n 's/^HOME=//p')
	local detail="RUNLEVEL=${runlevel:-unset} TERM=${term:-unset} HOME=${home:-unset}"
	if [ "$runlevel" = S ] && [ -n "$term" ] && [ -n "$home" ] &&
		! console_has 'TERM is not defined'; then
		record "$column" env ok "$detail"
	else
		console_has 'TERM is not defined' && detail="$detail, \"\$TERM is not defined\""
		record "$column" env FAIL "$detail"
	fi
	vm_run 'cat /run/inittab-d-probe'
	case $VM_OUTPUT in
	"tab tp")
		record "$column" inittab.d ok "entry ran"
		record "$column" initscript ok "entry ran through it" ;;
	"tab no-initscript")
		record "$column" inittab.d ok "entry ran"
		record "$column" initscript FAIL "not used" ;;
	*)
		record "$column" inittab.d FAIL "entry did not run"
		record "$column" initscript FAIL "untested: the inittab.d entry did not run" ;;
	esac
	vm_run 'rm -f /etc/initscript /etc/inittab.d/probe.tab && update-rc.d -f envprobe remove && rm /etc/init.d/envprobe && sync'
	go_down "$column" poweroff poweroff "Power down"
}

# check_utmp COLUMN: what the first boot's shell saw, and now `last -x`
# with the first boot's shutdown.
check_utmp() {
	local column=$1 problems=
	vm_run 'last -x | head -n 20'
	local last=$VM_OUTPUT
	echo "$UTMP_1" | grep -q -x 'N 2' || problems="$problems runlevel: $(echo "$UTMP_1" | head -n 1);"
	echo "$UTMP_1" | grep -q 'run-level 2' || problems="$problems no who -r;"
	echo "$UTMP_1" | grep -q 'system boot' || problems="$problems no who -b;"
	echo "$last" | grep -q '^shutdown *system down' || problems="$problems no shutdown in last -x;"
	echo "$last" | grep -q '^runlevel *(to lvl 0)' || problems="$problems no level 0 in last -x;"
	echo "$last" | grep -q '^reboot *system boot' || problems="$problems no boot in last -x;"
	if [ -z "$problems" ]; then
		record "$column" utmp ok "N 2, records"
	else
		record "$column" utmp FAIL "${problems% ;}"
	fi
}

boot_3() {
	column_boot "$1" 3-reboot || { record_all "$1" "no boot" reboot; vm_kill; return; }
	go_down "$1" reboot reboot "Restarting system"
}

boot_4() {
	column_boot "$1" 4-cad || { record_all "$1" "no boot" cad; vm_kill; return; }
	go_down "$1" cad ctrl-alt-delete "Restarting system"
}

boot_5() {
	column_boot "$1" 5-halt-H || { record_all "$1" "no boot" halt-H; vm_kill; return; }
	go_down "$1" halt-H "shutdown -h -H now" "System halted"
}

boot_6() {
	column_boot "$1" 6-halt || { record_all "$1" "no boot" halt; vm_kill; return; }
	vm_run 'grep "^HALT=" /etc/default/halt'
	assertEquals "Debian's default" "HALT=poweroff" "$VM_OUTPUT"
	go_down "$1" halt halt "Power down"
}

# The seventh boot: reinstalling sysvinit-core, whose postinst asks init to
# re-execute itself (`init u`), then PID 1's binary replaced as an upgrade
# replaces it (a new file renamed over the old one), then `poweroff`.
boot_7() {
	local column=$1
	column_boot "$column" 7-dpkg || { record_all "$column" "no boot" dpkg replaced; vm_kill; return; }
	local start took stack_before
	# An exec gives PID 1 a new stack, at a new random address: the one
	# sign of a re-exec that sysvinit and hydra share.
	vm_run "grep '\[stack\]' /proc/1/maps"
	stack_before=$VM_OUTPUT
	start=$(now_ms)
	vm_run 'dpkg -i /root/sysvinit-core.deb > /root/dpkg.log 2>&1; s=$?; tail -n 5 /root/dpkg.log; (exit $s)'
	took=$(( $(now_ms) - start ))
	local dpkg_status=$VM_STATUS dpkg_output=$VM_OUTPUT
	vm_run 'runlevel'
	local level=$VM_OUTPUT
	vm_run "grep '\[stack\]' /proc/1/maps"
	local detail
	detail="$(printf '%d.%d s' $((took / 1000)) $((took % 1000 / 100)))"
	if [ -z "$VM_OUTPUT" ] || [ "$VM_OUTPUT" = "$stack_before" ]; then
		record "$column" dpkg FAIL "$detail, dpkg rc $dpkg_status, but init did not re-execute: $(console | grep -m 1 'init: .*re-exec')"
	elif [ "$dpkg_status" = 0 ] && ! echo "$dpkg_output" | grep -q 'control channel' &&
		[ "$level" = "N 2" ]; then
		record "$column" dpkg ok "$detail"
	else
		record "$column" dpkg FAIL "$detail, dpkg rc $dpkg_status, runlevel '$level': $(echo "$dpkg_output" | grep -m 1 -i 'timeout\|error\|fail')"
	fi
	vm_run 'exe=$(readlink /proc/1/exe) && cp -p "$exe" "$exe.new" && mv "$exe.new" "$exe" && ls -l /proc/1/exe'
	assertContains "PID 1's binary is a deleted file now" "$VM_OUTPUT" "(deleted)"
	go_down "$column" replaced poweroff "Power down"
}

# The eighth boot: level 1, whose last script asks for level S, where
# inittab's ~~ entry runs sulogin --force: root's password is locked, so
# after an Enter it gives root's shell.
boot_8() {
	local column=$1
	column_boot "$column" 8-single || { record_all "$column" "no boot" single; vm_kill; return; }
	vm_type 'telinit 1'
	# With root's password locked, sulogin --force asks for Enter first,
	# then runs root's shell (not a login shell: no ready line).
	if poll_until 300 console_has_or_vm_gone "Press Enter for maintenance" &&
		vm_type '' && vm_run 'runlevel'; then
		local level=$VM_OUTPUT
		go_down "$column" - 'telinit 0' "Power down"
		if [ "${level##* }" = S ]; then
			record "$column" single ok "runlevel '$level', sulogin shell; then telinit 0: ${LAST_DOWN#*|}"
		else
			record "$column" single FAIL "runlevel '$level'; then telinit 0: ${LAST_DOWN#*|}"
		fi
	else
		record "$column" single FAIL "no sulogin shell: $(console | tail -n 3 | tr '\n' ' ')"
		vm_kill
		fsck_column "$column"
	fi
}

# What shows over all of a column's boots.
check_consoles() {
	local column=$1 logs bad
	logs=$(cat "$WORK/$column"-*/console.log | tr -d '\r\0')
	bad=$(echo "$logs" | grep -i -m 3 'unrecognized option\|invalid option\|usage: halt\|usage: reboot')
	if [ -z "$bad" ]; then
		record "$column" haltopts ok "no complaint"
	else
		record "$column" haltopts FAIL "$(echo "$bad" | head -n 1)"
	fi
	bad=$(echo "$logs" | grep -c 'killed by signal')
	if [ "$bad" = 0 ]; then
		record "$column" quiet ok "quiet"
	else
		record "$column" quiet FAIL "$bad \"killed by signal\" lines: $(echo "$logs" | grep -m 1 'killed by signal')"
	fi
}

run_column() {
	local column=$1 boot
	column_prepare "$column" || { fail "cannot prepare the $column disk"; return; }
	for boot in $DEBIAN_BOOTS; do
		"boot_$boot" "$column"
	done
	check_consoles "$column"
}

# The packaging, three boots: hydra (init=) installs the .deb and reboots
# into it; it boots as /sbin/init; apt puts sysvinit-core back while hydra
# runs, which must then power off cleanly; sysvinit boots again.
run_deb_column() {
	local column=deb start took
	column_prepare "$column" || { fail "cannot prepare the $column disk"; return; }

	DEB_APPEND=init=/sbin/hydra-init
	if column_boot "$column" 0-install; then
		vm_run 'dpkg -i /root/hydra.deb > /root/dpkg.log 2>&1; s=$?; tail -n 4 /root/dpkg.log; (exit $s)'
		local dpkg_status=$VM_STATUS dpkg_output=$VM_OUTPUT
		vm_run "dpkg-query -W -f '\${db:Status-Abbrev}' sysvinit-core hydra; echo; sync"
		local states=$VM_OUTPUT
		go_down "$column" - reboot "Restarting system"
		if [ "$dpkg_status" = 0 ] && [ "${LAST_DOWN%%|*}" = ok ]; then
			record "$column" deb-install ok "dpkg: $(echo "$states" | tr -s ' ' | head -n 1); reboot ${LAST_DOWN#*|}"
		else
			record "$column" deb-install FAIL "dpkg rc $dpkg_status: $(echo "$dpkg_output" | tail -n 1); reboot ${LAST_DOWN#*|}"
		fi
	else
		record_all "$column" "no boot" deb-install
		vm_kill
	fi
	DEB_APPEND=

	if column_boot "$column" 1-hydra; then
		vm_run 'readlink /proc/1/exe; runlevel; who -r; telinit status > /dev/null && echo answers'
		if echo "$VM_OUTPUT" | grep -q -x /usr/sbin/init && echo "$VM_OUTPUT" | grep -q -x 'N 2' &&
			echo "$VM_OUTPUT" | grep -q -x answers && console_has "init: hydra-"; then
			record "$column" deb-boot ok "$(echo "$VM_OUTPUT" | grep -m 1 'run-level' | tr -s ' ')"
		else
			record "$column" deb-boot FAIL "$(echo "$VM_OUTPUT" | tr '\n' ' ')"
		fi
		start=$(now_ms)
		vm_run 'apt-get install -y /root/sysvinit-core.deb > /root/apt.log 2>&1; s=$?; tail -n 3 /root/apt.log; (exit $s)'
		took=$(( $(now_ms) - start ))
		local apt_status=$VM_STATUS apt_output=$VM_OUTPUT
		go_down "$column" - poweroff "Power down"
		local detail
		detail="apt $(printf '%d.%d s' $((took / 1000)) $((took % 1000 / 100))) rc $apt_status; poweroff ${LAST_DOWN#*|}"
		if [ "$apt_status" = 0 ] && ! echo "$apt_output" | grep -q 'control channel' &&
			[ "${LAST_DOWN%%|*}" = ok ]; then
			record "$column" deb-back ok "$detail"
		else
			record "$column" deb-back FAIL "$detail: $(echo "$apt_output" | grep -m 1 -i 'timeout\|error\|fail')"
		fi
	else
		record_all "$column" "no boot" deb-boot deb-back
		vm_kill
	fi

	if column_boot "$column" 2-sysvinit; then
		vm_run 'runlevel; dpkg-query -W -f "\${db:Status-Abbrev}\n" sysvinit-core'
		local back=$VM_OUTPUT
		go_down "$column" - poweroff "Power down"
		if console_has "INIT: version" && echo "$back" | grep -q -x 'N 2' &&
			[ "${LAST_DOWN%%|*}" = ok ]; then
			record "$column" deb-again ok "poweroff ${LAST_DOWN#*|}"
		else
			record "$column" deb-again FAIL "$(echo "$back" | tr '\n' ' '); poweroff ${LAST_DOWN#*|}"
		fi
	else
		record_all "$column" "no boot" deb-again
		vm_kill
	fi
}

# One test per column, in the order DEBIAN_COLUMNS gives.
suite() {
	local column
	for column in $DEBIAN_COLUMNS; do
		if [ "$column" = deb ]; then
			eval "test_$column() { run_deb_column; }"
		else
			eval "test_$column() { run_column $column; }"
		fi
		suite_addTest "test_$column"
	done
}

# --- the table ---------------------------------------------------------------

print_table() {
	local columns="" column
	for column in $DEBIAN_COLUMNS; do
		[ "$column" = deb ] || columns="$columns $column"
	done
	[ -z "$columns" ] || print_rows "$columns" "${ROWS[@]}"
	case " $DEBIAN_COLUMNS " in
	*" deb "*) print_rows deb "${DEB_ROWS[@]}" ;;
	esac
	echo
	echo "$BOOTS boots; times from the command to the kernel's last line, software emulation (TCG)."
}

# print_rows COLUMNS ROW...: a markdown table of those rows and columns.
print_rows() {
	local columns=$1 column header="| what the user does |" rule="|---|" row id title cell
	shift
	for column in $columns; do
		header="$header $(column_title "$column") |"
		rule="$rule---|"
	done
	echo
	echo "$header"
	echo "$rule"
	for row in "$@"; do
		id=${row%%|*} title=${row#*|}
		printf '| %s |' "$title"
		for column in $columns; do
			cell=$(awk -F '|' -v c="$column" -v r="$id" '$1 == c && $2 == r { print $3 " " $4 }' "$RESULTS" | tail -n 1)
			printf ' %s |' "${cell:-not run}"
		done
		echo
	done
}

column_title() {
	case $1 in
	sysvinit) echo "sysvinit 3.06" ;;
	hydra) echo "hydra (init=/sbin/hydra-init)" ;;
	deb) echo "hydra (.deb)" ;;
	*) echo "$1" ;;
	esac
}

. "$SHUNIT2"
