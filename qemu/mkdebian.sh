#!/bin/bash
# mkdebian.sh OUTDIR
#
# Builds a Debian 12 system as a user would install it with sysvinit, for
# tests/test_debian.sh: mmdebstrap (minbase) with sysvinit-core, sysv-rc,
# initscripts, udev, procps, e2fsprogs and Debian's kernel, whose postinst
# makes its own initramfs with initramfs-tools.  Packages come from this
# machine's apt sources (/etc/apt/sources.list and sources.list.d), which
# the system keeps as its own.  OUTDIR gets:
#   rootfs.img          the system on an ext4 filesystem (raw, sparse), /dev/vda
#   vmlinuz, initrd.img Debian's kernel and the initramfs it made
#   sysvinit-core.deb   the package as installed, for `dpkg -i` in the test
# Changes to Debian's own files, each one a user would make to reach the
# machine through a serial console and nothing else:
#   /etc/fstab          / on /dev/vda (there is no installer to write it)
#   /etc/inittab        Debian's commented T0 line enabled: a getty on
#                       ttyS0 that logs root in, as autologin does
#   /root/.profile      says "debian: shell ready" for the test to wait on
#   /etc/initramfs-tools MODULES=list with the virtio disk's and ext4's
#                       modules, as for a VM: Debian's MODULES=most puts
#                       every storage driver in, which software emulation
#                       takes most of a minute to load at each boot
# Needs root (mmdebstrap's root mode) and the network to a Debian mirror.
set -euo pipefail

[ $# = 1 ] || { sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
out=$(realpath -m "$1")
[ "$(id -u)" = 0 ] || { echo "mkdebian.sh: mmdebstrap needs root" >&2; exit 1; }

PACKAGES=sysvinit-core,sysv-rc,initscripts,udev,procps,e2fsprogs,linux-image-amd64
IMAGE_SIZE=3G

sources=()
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -s "$file" ] && grep -q '^[^#]' "$file" && sources+=("$file")
done
[ ${#sources[@]} -gt 0 ] || { echo "mkdebian.sh: no apt sources on this machine" >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d "$out/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root

# The customize hooks run on this machine with the chroot as $1.
mmdebstrap --variant=minbase --include="$PACKAGES" \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	--customize-hook='echo MODULES=list > "$1/etc/initramfs-tools/conf.d/modules-for-a-vm"' \
	--customize-hook='printf "%s\n" virtio_pci virtio_blk crc32c_generic ext4 >> "$1/etc/initramfs-tools/modules"' \
	--customize-hook='chroot "$1" update-initramfs -u -k all' \
	--customize-hook='echo "/dev/vda / ext4 errors=remount-ro 0 1" > "$1/etc/fstab"' \
	--customize-hook='echo debian > "$1/etc/hostname"' \
	--customize-hook='sed -i "s|^#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100|T0:23:respawn:/sbin/getty --autologin root -L 115200 ttyS0 vt100|" "$1/etc/inittab"; grep -q "^T0:.*autologin" "$1/etc/inittab"' \
	--customize-hook='printf "%s\n" "PS1=\"debian# \"" "echo \"debian: shell ready\"" > "$1/root/.profile"' \
	--customize-hook='cp "$1"/var/cache/apt/archives/sysvinit-core_*.deb "'"$work"'/sysvinit-core.deb"' \
	bookworm "$root" "${sources[@]}"

cp -L "$root/vmlinuz" "$work/vmlinuz"
cp -L "$root/initrd.img" "$work/initrd.img"
truncate -s "$IMAGE_SIZE" "$work/rootfs.img"
mkfs.ext4 -q -F -L root -d "$root" "$work/rootfs.img"
rm -rf "$root"
# rootfs.img last: the test takes its presence for a finished build.
mv "$work/vmlinuz" "$work/initrd.img" "$work/sysvinit-core.deb" "$out/"
mv "$work/rootfs.img" "$out/"
