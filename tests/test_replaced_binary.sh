#!/bin/bash
# A binary replaced on disk while init runs from it must not leave the disk
# dirty at power-off. The machine (tests/vm.sh) runs init from the
# initramfs, so the test first makes PID 1 run from a file on an ext4 disk:
# the file is bind-mounted over /sbin/init and `telinit u` executes it.
# Then the file is replaced as dpkg does (a new file renamed over it): PID
# 1's image is now a deleted inode on the disk. `telinit 0` must leave the
# filesystem clean: init continues from a copy in memory before it
# unmounts. The image is read on the host afterwards, never mounted there.

. "$(dirname "${BASH_SOURCE[0]}")/vm.sh"

oneTimeSetUp() {
	vm_prepare
}

oneTimeTearDown() {
	vm_clean_up
}

test_a_replaced_binary_leaves_the_disk_clean() {
	local image=$WORK/disk.img
	truncate -s 32M "$image" && mkfs.ext4 -F -q "$image" ||
		{ fail "cannot make an ext4 image"; return; }
	vm_start replaced --disk "$image" || { fail "no boot"; return; }

	vm_run 'mount -t ext4 /dev/vda /mnt && cp /sbin/init /mnt/init && mount -o bind /mnt/init /sbin/init'
	assertEquals "init's binary on the disk, bound over /sbin/init: $VM_OUTPUT" 0 "$VM_STATUS"
	vm_run 'telinit u'
	wait_until 60 console_has 're-executed: runlevel' || { fail "no re-exec: $(console | tail -n 5)"; return; }
	vm_run 'stat -L -c %d:%i /proc/1/exe; stat -c %d:%i /mnt/init'
	assertEquals "PID 1 runs the disk's file" 1 "$(echo "$VM_OUTPUT" | tr -d '\r' | sort -u | wc -l)"
	vm_run 'cp /mnt/init /mnt/init.new && mv /mnt/init.new /mnt/init && ls -l /proc/1/exe'
	assertContains "PID 1's file is deleted now" "$VM_OUTPUT" "(deleted)"
	vm_type 'telinit 0'
	vm_wait_exit || { fail "QEMU still runs ${DOWN_SECONDS}s after telinit 0"; return; }
	assertTrue "powered off" "console_has 'reboot: Power down'"
	assertTrue "init let the deleted file go" "console_has 'was replaced on disk: continuing from a copy in memory'"
	assertTrue "the copy finished the final stage" "console_has 'the final stage goes on from memory'"
	local header
	header=$(dumpe2fs -h "$image" 2>/dev/null)
	assertNotContains "the filesystem was unmounted or remounted read-only" \
		"$(echo "$header" | grep '^Filesystem features:')" needs_recovery
	assertTrue "e2fsck finds it clean: $(e2fsck -fn "$image" 2>&1 | tail -n 3)" "e2fsck -fn '$image' >/dev/null 2>&1"
}

. "$SHUNIT2"
