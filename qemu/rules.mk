# The test machine: included by the top-level Makefile.
#
#   make boot     build init, the initramfs and fetch Debian's kernel, then
#                 boot it under QEMU with a shell on this terminal; piped
#                 lines are typed into that shell once it is ready, e.g.
#                   printf 'telinit 3\nrunlevel\ntelinit 0\n' | make boot
#   make kernel   only fetch the kernel into $(KERNEL_CACHE)
#   make initramfs
#
# KERNEL=/path/to/bzImage boots your own kernel instead of Debian's;
# INITRAMFS=/path/to/initrd your own root filesystem (see docs/qemu.md).
# BOOT_FLAGS passes options to qemu/boot.sh, e.g. BOOT_FLAGS='--timeout 30'.
# ACCEL=kvm and MEMORY=512M are read by qemu/boot.sh from the environment.

BUILD ?= build
KERNEL_CACHE ?= .cache/kernel
KERNEL ?=
INITRAMFS ?= $(BUILD)/initramfs.gz
BOOT_FLAGS ?=

# Debian's kernel keeps the disk's drivers in modules, which go into the
# initramfs (qemu/rootfs/etc/modules lists them); your own kernel brings
# none.  A kernel fetched anew has a newer modules.dep.
KERNEL_MODULES = $(if $(KERNEL),,$(KERNEL_CACHE)/current/modules)

INITRAMFS_INPUTS = $(BUILD)/init qemu/mkinitramfs.sh qemu/fetch-kernel.sh inittab.example \
	rc/rc rc/rc.sysinit rc/functions rc/links rc/heartbeat rc/ctrlaltdel rc/power \
	$(wildcard rc/init.d/*) $(shell find qemu/rootfs -type f 2>/dev/null) \
	$(wildcard $(KERNEL_MODULES)/lib/modules/*/modules.dep)

.PHONY: boot kernel initramfs

$(BUILD)/initramfs.gz: $(INITRAMFS_INPUTS)
	KERNEL='$(KERNEL)' qemu/fetch-kernel.sh $(KERNEL_CACHE) >/dev/null
	modules='$(KERNEL_MODULES)'; [ -d "$$modules" ] || modules=; \
	MODULES=$$modules qemu/mkinitramfs.sh $@ $(BUILD)/init inittab.example

initramfs: $(BUILD)/initramfs.gz

kernel:
	@KERNEL='$(KERNEL)' qemu/fetch-kernel.sh $(KERNEL_CACHE)

# deps first: on a fresh machine it installs QEMU, busybox-static and cpio.
boot: deps $(INITRAMFS)
	@kernel=$$(KERNEL='$(KERNEL)' qemu/fetch-kernel.sh $(KERNEL_CACHE)) && \
	exec qemu/boot.sh --kernel "$$kernel" --initrd $(INITRAMFS) $(BOOT_FLAGS)
