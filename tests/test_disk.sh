#!/bin/bash
# What is written before `telinit 0` is on the disk after it.  The machine
# (tests/vm.sh) boots with an ext4 image made here as its virtio disk; the
# test mounts it with a tmpfs inside, writes a file and goes down at once,
# typing no sync.  Once QEMU has ended by itself, the image is read on the
# host, never mounted there: the file must be whole, and the filesystem no
# longer in use.  Only init's final stage can do that: the page cache holds
# the file for up to 30 s, and ext4 is marked in use until it is unmounted
# or remounted read-only.
#
# The image cannot show the order of the unmounts (were /mnt tried before
# /mnt/inner, it would be busy and remounted read-only instead, which leaves
# the same image): init's log lines on the console do.  The innermost mount
# point has a space in its name, which /proc/self/mountinfo writes as \040:
# init must unmount it under its real name.  A second machine hides a
# mount under another that cannot go: init must name it, not skip it.

. "$(dirname "${BASH_SOURCE[0]}")/vm.sh"

IMAGE_MB=32

oneTimeSetUp() {
	vm_prepare
}

oneTimeTearDown() {
	vm_clean_up
}

# KNOWN_CONTENT: 1 MiB of a known pattern, then a line, as busybox and
# coreutils both make it.
KNOWN_CONTENT="yes 'hydra 0123456789 abcdefghijklmnopqrstuvwxyz' | head -c 1048576; echo 'the last line'"

test_file_written_before_telinit_0_is_on_the_disk() {
	local image=$WORK/disk.img
	truncate -s "${IMAGE_MB}M" "$image" && mkfs.ext4 -F -q "$image" ||
		{ fail "cannot make an ext4 image"; return; }
	vm_start disk --disk "$image" || { fail "no boot"; return; }

	vm_run 'mount -t ext4 /dev/vda /mnt && mkdir /mnt/inner && mount -t tmpfs inner /mnt/inner'
	assertEquals "mounted /dev/vda, then a tmpfs inside: $VM_OUTPUT" 0 "$VM_STATUS"
	# The innermost mount point has a space: mountinfo shows it as \040.
	vm_run "mkdir '/mnt/inner/with space' && mount -t tmpfs spaced '/mnt/inner/with space'"
	assertEquals "a tmpfs inside that: $VM_OUTPUT" 0 "$VM_STATUS"
	vm_run "($KNOWN_CONTENT) > /mnt/file && echo inside > /mnt/inner/file"
	assertEquals "wrote the file: $VM_OUTPUT" 0 "$VM_STATUS"
	vm_type 'telinit 0'
	vm_wait_exit || { fail "QEMU still runs ${DOWN_SECONDS}s after telinit 0"; return; }
	assertEquals "QEMU exit status" 0 "${VM_EXIT:-}"
	assertTrue "powered off" "console_has 'reboot: Power down'"
	assertFalse "init unmounted or remounted everything: $(console | grep 'cannot unmount')" \
		"console_has 'cannot unmount'"
	assertEquals "innermost first, each unmounted (not just remounted), the space decoded" \
		"init: unmounted /mnt/inner/with space
init: unmounted /mnt/inner
init: unmounted /mnt" "$(console | tr -d '\r' | grep -E '^init: (unmounted|remounted) /mnt')"

	(eval "$KNOWN_CONTENT") > "$WORK/expected"
	debugfs -R 'cat /file' "$image" > "$WORK/found" 2>"$WORK/debugfs.err"
	assertTrue "the file on the disk is the one written: $(cmp "$WORK/expected" "$WORK/found" 2>&1; cat "$WORK/debugfs.err")" \
		"cmp -s '$WORK/expected' '$WORK/found'"
	# A journalled ext4 says "clean" even while mounted: that it is in use
	# shows as the feature needs_recovery, set at mount, cleared at
	# unmount (or remount read-only).
	local header
	header=$(dumpe2fs -h "$image" 2>/dev/null)
	assertEquals "the filesystem state" clean \
		"$(echo "$header" | sed -n 's/^Filesystem state: *//p')"
	assertNotContains "the filesystem was left unmounted" \
		"$(echo "$header" | grep '^Filesystem features:')" needs_recovery
}

# A tmpfs on /run/hidden, then a tmpfs on /run over it (as a system's
# own /run over what an initramfs left there): init makes its socket and
# FIFO anew in the new /run, which keeps it busy at the final stage, so
# /run/hidden's path leads nowhere then. It stays mounted: init says so.
test_a_mount_hidden_under_another_is_named() {
	vm_start hidden || { fail "no boot"; return; }
	vm_run 'mkdir /run/hidden && mount -t tmpfs hidden /run/hidden && mount -t tmpfs over /run && until telinit status >/dev/null 2>&1; do sleep 0.1; done'
	assertEquals "mounted, and init answers on its new socket: $VM_OUTPUT" 0 "$VM_STATUS"
	vm_type 'telinit 0'
	vm_wait_exit || { fail "QEMU still runs ${DOWN_SECONDS}s after telinit 0"; vm_kill; return; }
	assertTrue "named: $(console | grep -E 'unmount|remount')" \
		"console_has 'cannot unmount or remount /run/hidden read-only: No such file or directory'"
	assertTrue "powered off" "console_has 'reboot: Power down'"
	vm_kill
}

. "$SHUNIT2"
