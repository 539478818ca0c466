#!/bin/bash
# mkinitramfs.sh OUTPUT INIT [INITTAB]
#
# Builds the test machine's root filesystem as a gzipped cpio (newc)
# initramfs: INIT (build/init) as /sbin/init with its role links, busybox
# for /bin/sh and the usual tools, the rc scripts and example services from
# rc/ under /etc/rc.d with the rcN.d links that rc/links asks for, and
# INITTAB (default inittab.example) as /etc/inittab.
#
# MODULES=DIR copies DIR into the root as well: qemu/fetch-kernel.sh keeps
# the kernel's modules that the disk needs in such a folder (its
# lib/modules/VERSION), and rcS.d/S10modules loads them at boot.
#
# The kernel runs /init from an initramfs, so /init links to /sbin/init.
# No root is needed: the few device nodes init opens before rc.sysinit
# mounts devtmpfs (/dev/console, /dev/kmsg, /dev/null) are written straight
# into a second cpio archive appended to the first, as dracut does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
output=${1:?usage: mkinitramfs.sh OUTPUT INIT [INITTAB]}
init=${2:?usage: mkinitramfs.sh OUTPUT INIT [INITTAB]}
inittab=${3:-$top/inittab.example}
busybox=${BUSYBOX:-/bin/busybox}
modules=${MODULES:-}

for file in "$init" "$inittab" "$busybox"; do
	[ -r "$file" ] || { echo "mkinitramfs: $file is missing" >&2; exit 1; }
done
[ -z "$modules" ] || [ -d "$modules/lib/modules" ] ||
	{ echo "mkinitramfs: MODULES=$modules has no lib/modules folder" >&2; exit 1; }
# A dynamically linked busybox would find no libc in the initramfs.
if command -v file >/dev/null && ! LC_ALL=C file -L "$busybox" | grep -q 'static'; then
	echo "mkinitramfs: $busybox is not statically linked (apt-get install busybox-static)" >&2
	exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/rc.d/init.d,proc,sys,dev,run,tmp,root,mnt,var/log}
chmod 1777 "$root/tmp"
ln -s ../run "$root/var/run"

# init and the client roles it takes from argv[0].
install -m 0755 "$init" "$root/sbin/init"
for role in telinit runlevel halt poweroff reboot; do
	ln -s init "$root/sbin/$role"
done
ln -s sbin/init "$root/init"

# busybox and its applets, except those init plays itself.
install -m 0755 "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while read -r applet; do
	case ${applet##*/} in
		init|linuxrc|telinit|runlevel|halt|poweroff|reboot) continue ;;
	esac
	[ -e "$root/$applet" ] && continue
	dir=$(dirname "$applet")
	case $dir in
		bin) target=busybox ;;
		sbin|usr) target=../bin/busybox ;;
		usr/bin|usr/sbin) target=../../bin/busybox ;;
		*) echo "mkinitramfs: unexpected applet path $applet" >&2; exit 1 ;;
	esac
	ln -s "$target" "$root/$applet"
done

# rc: the runner, the boot script, the services and their links.
install -m 0755 "$top/rc/rc" "$top/rc/rc.sysinit" "$top/rc/heartbeat" \
	"$top/rc/ctrlaltdel" "$top/rc/power" "$root/etc/rc.d/"
install -m 0644 "$top/rc/functions" "$root/etc/rc.d/"
install -m 0755 "$top"/rc/init.d/* "$root/etc/rc.d/init.d/"
for level in S 0 1 2 3 4 5 6; do
	mkdir -p "$root/etc/rc.d/rc$level.d"
done
while read -r service levels start stop; do
	case $service in ''|'#'*) continue ;; esac
	[ -x "$root/etc/rc.d/init.d/$service" ] ||
		{ echo "mkinitramfs: rc/links names $service, not in rc/init.d" >&2; exit 1; }
	if [ "$levels" = S ]; then
		ln -s "../init.d/$service" "$root/etc/rc.d/rcS.d/S$start$service"
		continue
	fi
	for level in 0 1 2 3 4 5 6; do
		case $levels in
			*$level*) ln -s "../init.d/$service" "$root/etc/rc.d/rc$level.d/S$start$service" ;;
			*) ln -s "../init.d/$service" "$root/etc/rc.d/rc$level.d/K$stop$service" ;;
		esac
	done
done < "$top/rc/links"

install -m 0644 "$inittab" "$root/etc/inittab"
cp -R "$here/rootfs/." "$root/"
[ -z "$modules" ] || cp -R "$modules/." "$root/"
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"

# newc_node NAME MAJOR MINOR: one character device, root-owned, mode 0600,
# as a cpio newc entry (header, name, padding to 4 bytes).
inode=900000
newc_node() {
	local name=$1 size
	inode=$((inode + 1))
	size=$(( ${#name} + 1 ))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
		"$inode" $((8#020600)) 0 0 1 0 0 0 0 "$2" "$3" "$size" 0 "$name"
	# The 110-byte header plus the name is padded to a multiple of 4.
	printf '%*s' $(( (4 - (110 + size) % 4) % 4 )) '' | tr ' ' '\0'
}
device_nodes() {
	newc_node dev/console 5 1
	newc_node dev/kmsg 1 11
	newc_node dev/null 1 3
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
		0 0 0 0 1 0 0 0 0 0 0 11 0 'TRAILER!!!'
	printf '\0\0\0\0'
}

mkdir -p "$(dirname "$output")"
{
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null --create --format=newc --owner=0:0 --quiet)
	device_nodes
} | gzip -9n > "$output.tmp"
mv "$output.tmp" "$output"
