#!/bin/bash
# boot.sh --kernel BZIMAGE --initrd INITRAMFS [options]
#
# Boots the test machine under qemu-system-x86_64 with the serial console as
# the only console.  By default the console is this terminal (stdin/stdout):
# typed or piped lines reach the shell init runs there.  QEMU exits when the
# guest powers off, and also when it reboots (-no-reboot), or panics (the
# kernel reboots at once with panic=-1).
#
# Options:
#   --kernel PATH          bzImage to boot
#   --initrd PATH          initramfs (qemu/mkinitramfs.sh)
#   --append ARGS          more kernel command line
#   --disk FILE            a disk image as the virtio disk /dev/vda (raw,
#                          or qcow2 when the name ends in .qcow2); given
#                          again, the next is /dev/vdb
#   --root DEVICE          boot the system on a disk, not hydra's initramfs:
#                          root=DEVICE ro instead of rdinit=/sbin/init (the
#                          initrd is then the system's own, e.g. Debian's)
#   --timeout SECONDS      kill QEMU after this long; 0 means never.  Default:
#                          0 on a terminal, 120 when stdin is not one.
#   --serial-pipe PATH     console on the fifos PATH.in and PATH.out (made
#                          here) instead of stdio, for scripts and tests
#   --monitor-pipe PATH    QEMU monitor on the fifos PATH.in and PATH.out,
#                          e.g. `echo 'sendkey ctrl-alt-delete' > PATH.in`
#   --monitor-socket PATH  QEMU monitor on a unix socket
#                          (e.g. `socat - UNIX-CONNECT:PATH`)
#   --log PATH             copy of the console output (stdio mode only)
#   --ready STRING         when stdin is not a terminal, hold its lines back
#                          until the console shows STRING, default
#                          "hydra: shell ready" (from /etc/profile); "" sends
#                          them at once
# Environment:
#   ACCEL    QEMU accelerator, default tcg (software).  kvm is faster where it
#            works; on some hosts /dev/kvm exists and hangs, so it is opt-in.
#   MEMORY   guest memory, default 256M
#   QEMU     the QEMU binary, default qemu-system-x86_64
#
# Exit status: QEMU's (0 after a power off or reboot), 124 on the time
# limit, 1 when the console showed a kernel panic (stdio mode).
set -euo pipefail

usage() { sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }

kernel= initrd= append= disks=() root= timeout= serial_pipe= monitor_pipe= monitor_socket= log=
ready="hydra: shell ready"
while [ $# -gt 0 ]; do
	case $1 in
		--kernel) kernel=$2; shift 2 ;;
		--initrd) initrd=$2; shift 2 ;;
		--append) append=$2; shift 2 ;;
		--disk) disks+=("$2"); shift 2 ;;
		--root) root=$2; shift 2 ;;
		--timeout) timeout=$2; shift 2 ;;
		--serial-pipe) serial_pipe=$2; shift 2 ;;
		--monitor-pipe) monitor_pipe=$2; shift 2 ;;
		--monitor-socket) monitor_socket=$2; shift 2 ;;
		--log) log=$2; shift 2 ;;
		--ready) ready=$2; shift 2 ;;
		-h|--help) usage ;;
		*) echo "boot.sh: unknown argument $1" >&2; usage ;;
	esac
done
[ -r "$kernel" ] || { echo "boot.sh: kernel '$kernel' is not readable (--kernel)" >&2; exit 2; }
[ -r "$initrd" ] || { echo "boot.sh: initramfs '$initrd' is not readable (--initrd)" >&2; exit 2; }
for disk in "${disks[@]}"; do
	[ -w "$disk" ] || { echo "boot.sh: disk image '$disk' is not writable (--disk)" >&2; exit 2; }
done
if [ -z "$timeout" ]; then
	if [ -t 0 ] && [ -z "$serial_pipe" ]; then timeout=0; else timeout=120; fi
fi

# console=ttyS0: the serial port is the console init and its children use.
# panic=-1: a dying PID 1 panics the kernel, which then resets at once, and
# with -no-reboot that ends QEMU instead of hanging.
# loglevel=3: only critical kernel messages (and panics) on the console, so
# that what init and the shell print stays readable; dmesg has the rest.
# printk.devkmsg=on: by default the kernel keeps only 10 lines in 5 s that
# a process writes to /dev/kmsg, and init writes more when an entry dies
# again and again; dmesg should show all of init's lines.
# rdinit=/sbin/init: hydra is the initramfs's own init.  A system on a disk
# (--root) brings its own initramfs, which mounts the disk read-only, as a
# bootloader's default line has it, and runs its /sbin/init.
cmdline="console=ttyS0,115200 panic=-1 loglevel=3 printk.devkmsg=on"
if [ -n "$root" ]; then
	cmdline="$cmdline root=$root ro"
else
	cmdline="$cmdline rdinit=/sbin/init"
fi
[ -n "$append" ] && cmdline="$cmdline $append"

args=(
	-accel "${ACCEL:-tcg}"
	-m "${MEMORY:-256M}"
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
	-no-reboot
	-display none -vga none
	-nodefaults
	-net none
)
# -nodefaults drops the default NIC, VGA, serial and parallel ports and the
# drives; the pc machine's own i8042 keyboard controller stays, and
# Ctrl-Alt-Del arrives through it.
# A disk is a virtio-blk device on PCI: the guest loads virtio_pci and
# virtio_blk at boot (rcS.d/S10modules) and sees it as /dev/vda.  What the
# guest writes to it is in the file once QEMU has ended.
for disk in "${disks[@]}"; do
	case $disk in
		*.qcow2) args+=(-drive "file=$disk,if=virtio,format=qcow2") ;;
		*) args+=(-drive "file=$disk,if=virtio,format=raw") ;;
	esac
done

# Where the console goes: a terminal gets it directly (mon:stdio: Ctrl-A x
# quits QEMU, Ctrl-A c switches to its monitor).  Piped input would lose
# the bytes that arrive before the guest's serial driver is up, and a shell
# not started yet could not read them anyway: so then the console goes
# through fifos, and stdin is passed on once the shell says it is ready.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$serial_pipe" ]; then
	console=pipe
elif [ -t 0 ]; then
	console=terminal
else
	console=relay
	serial_pipe=$work/console
fi
if [ -n "$serial_pipe" ]; then
	rm -f "$serial_pipe.in" "$serial_pipe.out"
	mkfifo "$serial_pipe.in" "$serial_pipe.out"
	args+=(-chardev "pipe,id=console,path=$serial_pipe" -serial chardev:console)
else
	args+=(-serial mon:stdio)
fi
if [ -n "$monitor_pipe" ]; then
	rm -f "$monitor_pipe.in" "$monitor_pipe.out"
	mkfifo "$monitor_pipe.in" "$monitor_pipe.out"
	args+=(-chardev "pipe,id=monitor,path=$monitor_pipe" -mon chardev=monitor,mode=readline)
fi
[ -n "$monitor_socket" ] && args+=(-monitor "unix:$monitor_socket,server=on,wait=off")

run() {
	if [ "$timeout" = 0 ]; then
		"${QEMU:-qemu-system-x86_64}" "${args[@]}"
	else
		# --foreground keeps the terminal usable by QEMU when run by hand.
		timeout --foreground -k 5 "$timeout" "${QEMU:-qemu-system-x86_64}" "${args[@]}"
	fi
}

status=0
case $console in
pipe)
	run || status=$?
	exit "$status" ;;
terminal)
	log=${log:-$work/console.log}
	run | tee "$log" || status=${PIPESTATUS[0]} ;;
relay)
	log=${log:-$work/console.log}
	: > "$log"
	run &
	qemu_pid=$!
	tee "$log" < "$serial_pipe.out" &
	tee_pid=$!
	if [ -n "$ready" ]; then
		# tail --pid ends when QEMU does, so a console that never shows
		# the marker does not hang this.
		tail -n +1 -f --pid="$qemu_pid" "$log" | grep -q -F -- "$ready" || true
	fi
	# CRLF input would reach the shell as a stray \r on each line.
	# (A background job reads /dev/null unless told otherwise.)
	exec 3<&0
	tr -d '\r' <&3 > "$serial_pipe.in" &
	feeder_pid=$!
	wait "$qemu_pid" || status=$?
	# Still reading a stdin that has not ended: nothing left to feed.
	kill "$feeder_pid" 2>/dev/null || true
	# The tee ends when the fifo's last writer, QEMU, has closed it.
	wait "$tee_pid" || true ;;
esac
if grep -q 'Kernel panic - not syncing' "$log"; then
	echo "boot.sh: the kernel panicked (see above)" >&2
	[ "$status" = 0 ] && status=1
fi
[ "$status" = 124 ] && echo "boot.sh: time limit of ${timeout}s reached, QEMU killed" >&2
exit "$status"
